// Speed of the listing reader alone: median time of parseListing on 10k, 50k and 100k
// records, each size in a fresh Node process, after a warm-up run.
//
//   npx tsc -p . && node bench/listing-speed.js [--runs 3] [--sizes 10k,50k,100k]
//
// Inputs are bench/data/listing-<size>.txt when bench/data.js has built them (the data
// the full benchmark uses); otherwise the bundled listing's records are repeated with
// varied titles and authors, in memory. Times are wall clock (the target, issue #6:
// 100k records under 0.5 s); CPU time is shown beside it because on a busy machine the
// wall clock also counts other processes.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..');
const compiled = path.join(repoRoot, 'out', 'src', 'core', 'listing.js');
const seedFile = path.join(repoRoot, 'seeds', 'yefan-zhou-papers.txt');
const CAPTURED = '2026-11-26';

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WORDS = ['Scaling', 'Sparse', 'Robust', 'Learning', 'Graph', 'Neural', 'Spectral', 'Adaptive', 'Efficient', 'Latent'];
const FAMILY = ['Zhou', 'Liu', 'Müller', 'García', 'Nguyen', 'Okafor', 'Tanaka', 'Rossi', 'Kowalski', 'Yılmaz', 'Smith', 'Chen', 'Schürholt'];

/**
 * `n` records in the seed's format: the seed's records in turn (read with the reader
 * itself), with the first title word, the first author's family name and the date
 * varied, so that citation keys mostly differ.
 */
function generatedListing(parseListing, n) {
  const seed = parseListing(fs.readFileSync(seedFile, 'utf8'), { file: seedFile, captured: CAPTURED }).papers;
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = seed[i % seed.length];
    const title = `${WORDS[i % WORDS.length]} ${p.title.split(' ').slice(1).join(' ')}`;
    const authors = p.authors.map((a, k) => `${a.given} ${k === 0 ? FAMILY[(i >> 3) % FAMILY.length] : a.family}`);
    const date = `${MONTHS[i % 12]} ${1 + (i % 28)}, ${1990 + (i % 36)}`;
    out.push(`${p.category.code}${date}${p.hasCode ? 'Code' : ''}`, `${title}${authors.join(', ')} et al.`, p.abstract);
  }
  return `${out.join('\n')}\n`;
}

function input(parseListing, size) {
  const file = path.join(__dirname, 'data', `listing-${size}.txt`);
  if (fs.existsSync(file)) return { text: fs.readFileSync(file, 'utf8'), source: path.relative(repoRoot, file) };
  const n = Number(size.replace(/k$/, '')) * 1000;
  return { text: generatedListing(parseListing, n), source: `generated from ${path.relative(repoRoot, seedFile)}` };
}

/** One size, in this process: a warm-up run, then `runs` timed runs with a full GC before each. */
function measure(size, runs) {
  const { parseListing } = require(compiled);
  const { text, source } = input(parseListing, size);
  const gc = typeof global.gc === 'function' ? global.gc : () => {};
  const parse = () => parseListing(text, { file: `listing-${size}.txt`, captured: CAPTURED });
  let papers = parse().papers.length;
  const wall = [];
  const cpu = [];
  let peakHeap = 0;
  for (let r = 0; r < runs; r++) {
    gc();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = parse();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(cpu0);
    cpu.push((c.user + c.system) / 1000);
    papers = result.papers.length;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
  return { size, source, chars: text.length, papers, wall, cpu, heapMB: peakHeap / 1e6, rssMB: process.memoryUsage().rss / 1e6 };
}

function main() {
  if (process.argv[2] === '--child') {
    process.stdout.write(JSON.stringify(measure(process.argv[3], Number(process.argv[4]))));
    return;
  }
  if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npx tsc -p .\` first`);
  const runs = Number(option('--runs', '3'));
  const sizes = option('--sizes', '10k,50k,100k').split(',');
  console.log(`parseListing, median of ${runs} runs after a warm-up, Node ${process.versions.node}`);
  for (const size of sizes) {
    const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', size, String(runs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const m = JSON.parse(out);
    const ms = median(m.wall);
    console.log(
      `${`listing-${m.size}`.padEnd(13)} ${m.papers.toLocaleString('en-US').padStart(7)} papers  ` +
        `median ${ms.toFixed(0).padStart(5)} ms (runs ${m.wall.map((t) => t.toFixed(0)).join(', ')})  ` +
        `cpu ${median(m.cpu).toFixed(0)} ms  ${((m.chars * 1e3) / ms / 1e6).toFixed(0)}M chars/s  ` +
        `heap ${m.heapMB.toFixed(0)} MB, rss ${m.rssMB.toFixed(0)} MB  [${m.source}]`,
    );
  }
}

main();
