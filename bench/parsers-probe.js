// Quick probe of BibTeX readers on real files: entries returned and time per file.
//
//   node bench/parsers-probe.js [--quick]      (needs `npx tsc -p .` first: uses out/)
//
// Files: ../shared/data/{bib,bib-exports}/*.bib and the TeX Live .bib files of Debian's
// texlive-bibtex-extra (/usr/share/texlive/texmf-dist/bibtex/bib). "present" counts the
// lines that open an entry (`@type{` / `@type(`, not @string/@preamble/@comment): an
// independent floor. Times are the median of 3 runs after one warm-up (--quick: 1 run).
// Prints a Markdown table (the notes are in bench/parsers-probe.md).
'use strict';
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
const texLiveBib = '/usr/share/texlive/texmf-dist/bibtex/bib';
const runs = process.argv.includes('--quick') ? 1 : 3;

const ENTRY_LINE = /^[ \t]*@[ \t]*(?!(?:string|preamble|comment)[ \t]*[{(])[A-Za-z_][\w-]*[ \t]*[{(]/gim;
const NOT_ENTRIES = new Set(['string', 'preamble', 'comment']);

function bibFiles() {
  const out = [];
  for (const dir of [path.join(sharedData, 'bib'), path.join(sharedData, 'bib-exports')]) {
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: the probe needs the shared test data`);
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.bib')) out.push({ set: 'shared', file: path.join(dir, f) });
  }
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.bib')) out.push({ set: 'texlive', file: p });
    }
  };
  if (fs.existsSync(texLiveBib)) walk(texLiveBib);
  return out;
}

async function readers() {
  const core = path.join(repoRoot, 'out', 'src', 'core', 'bibtex', 'parse.js');
  if (!fs.existsSync(core)) throw new Error(`${core} is missing: run \`npx tsc -p .\` first`);
  const { parseBibtex, readBibtex, bibtexKeys } = require(core);
  const { parse: retorquere } = await import('@retorquere/bibtex-parser');
  const { bibtexParser } = require('latex-utensils');
  require('@citation-js/plugin-bibtex');
  const { plugins } = require('@citation-js/core');
  return {
    'ours: parseBibtex (papers)': (t, f) => parseBibtex(t, { file: f }).papers.length,
    'ours: readBibtex (entries)': (t) => readBibtex(t).entries.length,
    'ours: bibtexKeys': (t) => bibtexKeys(t).size,
    '@retorquere/bibtex-parser': (t) => retorquere(t).entries.length,
    'latex-utensils': (t) => bibtexParser.parse(t).content.filter((e) => !NOT_ENTRIES.has(String(e.entryType).toLowerCase())).length,
    '@citation-js/plugin-bibtex': (t) => plugins.input.chain(t, { forceType: '@biblatex/text', generateGraph: false }).length,
  };
}

function time(fn) {
  let result;
  try {
    result = fn();
  } catch (e) {
    return { error: String(e && e.message ? e.message : e).split('\n')[0].slice(0, 60) };
  }
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { result, ms: ms[Math.floor(ms.length / 2)] };
}

async function main() {
  const rs = await readers();
  const names = Object.keys(rs);
  console.log(`| file | KB | present | ${names.join(' | ')} |`);
  console.log(`|---|---:|---:|${names.map(() => '---').join('|')}|`);
  const totals = Object.fromEntries(names.map((n) => [n, { entries: 0, ms: 0, failed: 0 }]));
  let present = 0;
  for (const { set, file } of bibFiles()) {
    const text = fs.readFileSync(file, 'utf8');
    const floor = (text.match(ENTRY_LINE) ?? []).length;
    present += floor;
    const cells = names.map((n) => {
      const r = time(() => rs[n](text, file));
      if (r.error) {
        totals[n].failed++;
        return `fails: ${r.error}`;
      }
      totals[n].entries += r.result;
      totals[n].ms += r.ms;
      return `${r.result} / ${r.ms.toFixed(1)} ms`;
    });
    console.log(`| ${set}: ${path.basename(file)} | ${Math.round(text.length / 1024)} | ${floor} | ${cells.join(' | ')} |`);
  }
  console.log(`| **total** | | ${present} | ${names.map((n) => `${totals[n].entries} / ${totals[n].ms.toFixed(0)} ms${totals[n].failed ? ` (${totals[n].failed} files failed)` : ''}`).join(' | ')} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
