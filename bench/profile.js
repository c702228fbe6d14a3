#!/usr/bin/env node
// Where the time goes: runs one workload under `node --cpu-prof` and prints the functions
// with the most self time. The .cpuprofile stays in bench/results/profiles/ (open it in
// Chrome DevTools or VS Code for the full tree).
//
//   node bench/profile.js bibtex [dataset]     parseBibtex        (default texlive-x10)
//   node bench/profile.js syntax [dataset]     readBibtex only    (default texlive-x10)
//   node bench/profile.js listing [dataset]    parseListing       (default listing-100k)
//   node bench/profile.js library              mergeSources, SearchIndex, filter, completion, grouping
//                                              on the core-ops library (bench/core-ops.js)
//   --runs=N                                   read the data set N times (default 1): with more, the
//                                              profile shows the optimised code more than the warm-up
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const paths = require('./paths');

const WORKLOADS = {
  bibtex: { dataset: 'texlive-x10' },
  syntax: { dataset: 'texlive-x10' },
  listing: { dataset: 'listing-100k' },
  library: { dataset: undefined },
};

/** Self time per function (ms) from a .cpuprofile, largest first. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${path.relative(paths.repoRoot, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}  ${where}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

/** The workload itself, run inside the profiled child. */
function runWorkload(what, datasetId, runs) {
  const { core } = require('./core');
  const manifest = JSON.parse(fs.readFileSync(path.join(paths.dataDir, 'manifest.json'), 'utf8'));
  if (what === 'library') {
    process.send = undefined;
    require('./core-ops');
    return;
  }
  const dataset = manifest.datasets.find((d) => d.id === datasetId);
  if (!dataset) throw new Error(`unknown data set ${datasetId}`);
  const texts = dataset.files.map((f) => [f, fs.readFileSync(f, 'utf8')]);
  for (let run = 0; run < runs; run++) {
    for (const [file, text] of texts) {
      if (what === 'bibtex') core('bibtex/parse').parseBibtex(text, { file });
      else if (what === 'syntax') core('bibtex/read').readBibtex(text);
      else core('listing').parseListing(text, { file, captured: manifest.captured });
    }
  }
}

function main() {
  const runsArg = process.argv.find((a) => a.startsWith('--runs='));
  const runs = runsArg ? Math.max(1, Number(runsArg.slice('--runs='.length)) || 1) : 1;
  const [what, datasetArg] = process.argv.slice(2).filter((a) => !a.startsWith('--runs='));
  if (what === '--target') {
    runWorkload(process.argv[3], process.argv[4], Number(process.argv[5]));
    return;
  }
  if (!WORKLOADS[what]) {
    console.error(`usage: node bench/profile.js ${Object.keys(WORKLOADS).join('|')} [dataset]`);
    process.exit(2);
  }
  const dataset = datasetArg ?? WORKLOADS[what].dataset;
  const dir = path.join(paths.resultsDir, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  const name = `${what}${dataset ? `-${dataset}` : ''}.cpuprofile`;
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`, __filename, '--target', what, dataset ?? '', String(runs)],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) process.exit(child.status ?? 1);
  const profile = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  const rows = selfTimes(profile);
  const total = rows.reduce((s, [, ms]) => s + ms, 0);
  const times = runs > 1 ? ` (${runs} runs)` : '';
  console.log(`${what}${dataset ? ` on ${dataset}` : ''}${times}: ${(total / 1000).toFixed(2)} s sampled; top self time:`);
  for (const [fn, ms] of rows.slice(0, 25)) {
    console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${fn}`);
  }
  console.log(`profile: ${path.relative(paths.repoRoot, path.join(dir, name))}`);
}

main();
