// Compiles the BibTeX that Paper Shelf writes with real LaTeX, the way users will:
//
//   1. the 14 seed records, pdflatex + bibtex with natbib (plainnat, and abbrvnat, which
//      abbreviates first names: the case that breaks on raw UTF-8 in classic BibTeX);
//   2. the same records, pdflatex + biber with biblatex;
//   3. a hand-made set of tricky records (TeX special characters, accents, Greek,
//      corporate and particle names, "and others") through both tool chains;
//   4. every entry of biblatex's own biblatex-examples.bib (../shared/data) read by our
//      reader and written back, through biber: the writer keeps what biblatex needs.
//
// A compile passes when the .log has no LaTeX error, no undefined citation and no
// missing glyph, the .blg reports no error or warning, and the .bbl holds every key.
// Uses the compiled core in out/ (runs `tsc -p .` when it is missing). Prints one line per
// check, then `N passed, N failed`; writes {passed, failed, failures} to $RESULT_FILE if set.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..', '..');
const outCore = path.join(repoRoot, 'out', 'src', 'core');

/** The citation keys the bundled listing must produce (seeds/yefan-zhou-papers.txt). */
const EXPECTED_SEED_KEYS = [
  'li2025diffusion', 'liu2024model', 'lu2024alphapruning', 'lu2024sharpness', 'qing2024alphalora',
  'schurholt2025model', 'singh2025shelf', 'xiong2026rl4rla', 'zhou2021dataset', 'zhou2023three',
  'zhou2024md', 'zhou2025variation', 'zhou2026hidden', 'zhu2021learn',
];

const TOOLS = ['pdflatex', 'bibtex', 'biber'];
const DEBIAN_PACKAGES = 'texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber';

const results = [];

function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

function finish() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (process.env.RESULT_FILE) {
    fs.mkdirSync(path.dirname(process.env.RESULT_FILE), { recursive: true });
    const failures = results.filter((r) => !r.ok).map((r) => ({ title: r.name, error: r.detail }));
    fs.writeFileSync(process.env.RESULT_FILE, JSON.stringify({ passed, failed, failures }, null, 2));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

function missingTools() {
  return TOOLS.filter((t) => {
    const r = spawnSync(t, ['--version'], { encoding: 'utf8' });
    return r.error !== undefined;
  });
}

/** The compiled core modules, building out/ first when it is missing. */
function loadCore() {
  if (!fs.existsSync(path.join(outCore, 'bibtex', 'write.js'))) {
    console.log('out/ is missing: running tsc -p .');
    spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return {
    listing: require(path.join(outCore, 'listing')),
    parse: require(path.join(outCore, 'bibtex', 'parse')),
    write: require(path.join(outCore, 'bibtex', 'write')),
  };
}

function seedPapers(listing) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'seeds', 'manifest.json'), 'utf8'));
  const seed = manifest.listings[0];
  const file = path.join(repoRoot, 'seeds', seed.file);
  return listing.parseListing(fs.readFileSync(file, 'utf8'), { file, captured: seed.captured });
}

/** Hand-made records that exercise everything the writer must escape. */
function trickyPapers() {
  const base = {
    authorsTruncated: false, year: 2024, month: 3, day: null, category: null, abstract: '',
    hasCode: false, codeUrl: null, source: { file: 'tricky', line: 1 },
  };
  return [
    {
      ...base,
      key: 'special:chars/1.0-beta+x',
      title: 'Costs & Benefits: 50% of $5 for #1 under_score {braces} ~tilde^ and back\\slash <a>',
      authors: [{ given: 'Łukasz', family: 'Kaiser' }, { given: 'Bjørn', family: 'Ødegaard' }, { given: 'Émile', family: 'Zola' }],
      abstract: 'Abstract with 100% & $x_1$ ^ ~ # {unbalanced and “curly quotes” — dashes – too…',
      hasCode: true,
      codeUrl: 'https://github.com/some_org/repo-name',
    },
    {
      ...base,
      key: 'accents2023',
      title: 'Ünïcødé Tïtlé with Dvořák, Ñúñez, Ça, Şahin, Erdős and Ångström: α-stable Laws ≤ β at 1.55 µm and 20 °C',
      authors: [
        { given: 'Antonín', family: 'Dvořák' },
        { given: 'José', family: 'Ñúñez' },
        { given: 'Ludwig', family: 'van Beethoven' },
        { given: 'Henry', family: 'Ford, Jr.' },
        { given: '', family: 'World Health Organization' },
        { given: '', family: 'Barnes and Noble' },
      ],
      authorsTruncated: true,
      month: 12,
      day: 31,
      category: { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' },
    },
    {
      ...base,
      key: 'Knuth:1984',
      title: 'Literate Programming with {TeX} and GPT-4o in LLMs',
      authors: [{ given: 'Donald E.', family: 'Knuth' }],
      year: 1984,
      month: null,
      extra: { entryType: 'article', fields: { journal: 'The Computer Journal', volume: '27', number: '2', pages: '97–111', doi: '10.1093/comjnl/27.2.97' } },
    },
    {
      ...base,
      key: 'sentencecase2020',
      // Capitals a sentence-casing style (plainnat) must keep; √, a thin space and an accent
      // typed decomposed (as pasted from a PDF) must compile.
      title: 'BERT: Pre-training of T5 and Q-learning for Õ(√T) Regret with 10\u2009000 Samples',
      // abbrvnat abbreviates Ștefan: raw UTF-8 there would be cut in half.
      authors: [{ given: 'Jo\u0308rg', family: 'Mu\u0308ller' }, { given: 'Ștefan', family: 'Țiriac' }],
      year: 2020,
      month: null,
    },
  ];
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, max_print_line: '10000' } });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Problems in a pdflatex .log: errors, undefined citations, glyphs the font lacks. */
function logProblems(log) {
  const problems = [];
  for (const m of log.matchAll(/^! .*$/gm)) problems.push(m[0]);
  for (const m of log.matchAll(/Citation [`'‘]?([^'’ ]+)['’]? .*undefined/g)) problems.push(`undefined citation ${m[1]}`);
  if (/There were undefined (references|citations)/.test(log)) problems.push('There were undefined references');
  for (const m of log.matchAll(/Missing character: There is no (.+?) in font/g)) problems.push(`missing glyph ${m[1]}`);
  return problems;
}

/** Problems in a .blg: BibTeX's error and warning lines, biber's ERROR/WARN lines. */
function blgProblems(blg, tool) {
  if (tool === 'bibtex') {
    const lines = blg.split('\n').filter((l) => /^Warning--|error message|^I was expecting|^I'm skipping|---line \d+ of file/.test(l));
    return lines.filter((l) => !/^\(There (was|were) no error/.test(l));
  }
  return blg.split('\n').filter((l) => /> (ERROR|WARN) - /.test(l));
}

function bblKeys(bbl, tool) {
  const re = tool === 'bibtex' ? /\\bibitem(?:\[[\s\S]*?\])?\{([^}]+)\}/g : /\\entry\{([^}]+)\}/g;
  return new Set([...bbl.matchAll(re)].map((m) => m[1]));
}

/**
 * Compiles `bib` citing `keys` with one tool chain; records one check. `expect`: text the
 * .bbl must contain, braces aside (biber writes names decoded to Unicode, so this shows
 * that the escaped LaTeX came back as the original letters).
 */
function compile(name, bib, keys, { tool, style, expect = [] }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-shelf-latex-'));
  try {
    fs.writeFileSync(path.join(dir, 'refs.bib'), bib);
    const cite = `\\nocite{${keys.join(',')}}`;
    const tex = tool === 'bibtex'
      ? ['\\documentclass{article}', '\\usepackage{natbib}', '\\usepackage{url}', '\\begin{document}', cite,
        `\\bibliographystyle{${style}}`, '\\bibliography{refs}', '\\end{document}']
      : ['\\documentclass{article}', '\\usepackage[backend=biber]{biblatex}', '\\addbibresource{refs.bib}',
        '\\begin{document}', cite, '\\printbibliography', '\\end{document}'];
    fs.writeFileSync(path.join(dir, 'doc.tex'), `${tex.join('\n')}\n`);
    const latex = () => run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', 'doc.tex'], dir);
    const first = latex();
    if (first.status !== 0) return record(name, false, `pdflatex failed: ${logProblems(read(dir, 'doc.log')).join('; ') || first.out.slice(-400)}`);
    const bibRun = run(tool, ['doc'], dir);
    latex();
    const last = latex();
    const problems = [
      ...(bibRun.status !== 0 ? [`${tool} exited with ${bibRun.status}`] : []),
      ...(last.status !== 0 ? [`pdflatex exited with ${last.status}`] : []),
      ...blgProblems(read(dir, 'doc.blg'), tool),
      ...logProblems(read(dir, 'doc.log')),
    ];
    const inBbl = bblKeys(read(dir, 'doc.bbl'), tool);
    const missing = keys.filter((k) => !inBbl.has(k));
    if (missing.length) problems.push(`.bbl lacks ${missing.join(', ')}`);
    const bblText = read(dir, 'doc.bbl').replace(/[{}]/g, ''); // biber keeps `{Ł}ukasz` grouped
    const absent = expect.filter((text) => !bblText.includes(text));
    if (absent.length) problems.push(`.bbl lacks the text ${absent.join(', ')}`);
    record(name, problems.length === 0, problems.length ? problems.join('; ') : `${keys.length} entries`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function read(dir, file) {
  const p = path.join(dir, file);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : '';
}

function main() {
  const missing = missingTools();
  if (missing.length) {
    record('LaTeX tools', false, `${missing.join(', ')} not found: install the Debian packages ${DEBIAN_PACKAGES}`);
    return finish();
  }
  const { listing, parse, write } = loadCore();

  const seeds = seedPapers(listing);
  const seedKeys = seeds.papers.map((p) => p.key);
  const expected = [...EXPECTED_SEED_KEYS].sort();
  const same = JSON.stringify([...seedKeys].sort()) === JSON.stringify(expected);
  record('seed listing gives the 14 expected keys', same && seeds.diagnostics.length === 0,
    same ? `${seeds.diagnostics.length} diagnostics` : `got ${seedKeys.join(', ')}`);
  const seedBib = write.toBibtexFile(seeds.papers);
  compile('seeds: pdflatex + bibtex (natbib, plainnat)', seedBib, seedKeys, { tool: 'bibtex', style: 'plainnat' });
  compile('seeds: pdflatex + bibtex (natbib, abbrvnat)', seedBib, seedKeys, { tool: 'bibtex', style: 'abbrvnat' });
  compile('seeds: pdflatex + biber (biblatex)', seedBib, seedKeys, { tool: 'biber', expect: ['Schürholt', 'Léo'] });

  const tricky = trickyPapers();
  const trickyBib = write.toBibtexFile(tricky);
  const trickyKeys = tricky.map((p) => p.key);
  compile('tricky: pdflatex + bibtex (natbib, abbrvnat)', trickyBib, trickyKeys, { tool: 'bibtex', style: 'abbrvnat' });
  compile('tricky: pdflatex + bibtex (natbib, plainnat: sentence case keeps BERT, Pre-training, T5, Q)', trickyBib, trickyKeys, {
    tool: 'bibtex',
    style: 'plainnat',
    expect: ['BERT: Pre-training of T5 and Q-learning'],
  });
  const names = ['Łukasz', 'Ødegaard', 'Bjørn', 'Émile', 'Dvořák', 'Antonín', 'Ñúñez', 'José', 'Beethoven',
    'World Health Organization', 'Barnes and Noble'];
  compile('tricky: pdflatex + biber (biblatex)', trickyBib, trickyKeys, { tool: 'biber', expect: names });

  const examples = path.resolve(repoRoot, '..', 'shared', 'data', 'bib', 'biblatex-examples.bib');
  if (!fs.existsSync(examples)) {
    record('biblatex-examples.bib written back: pdflatex + biber', false, `${examples} is missing (the shared test data)`);
  } else {
    const papers = parse.parseBibtex(fs.readFileSync(examples, 'utf8'), { file: examples }).papers;
    compile('biblatex-examples.bib written back: pdflatex + biber', write.toBibtexFile(papers), papers.map((p) => p.key), { tool: 'biber' });
  }
  finish();
}

main();
