#!/usr/bin/env node
// `npm run bench`: the readers side by side on the same files, then the core operations on
// a 100k-paper library. Prints a table, writes bench/results/results.json and chart.svg.
// Options (see bench/README.md):
//   --quick            smaller time budget per reader (5 s, at most 3 timed runs)
//   --no-build         do not run `npx tsc -p .` first (use out/ as it is)
//   --rebuild-data     regenerate bench/data/
//   --parsers=a,b      only these readers (ids in bench/parsers.js)
//   --datasets=a,b     only these data sets (ids in bench/data/manifest.json)
//   --no-core          skip the core operations
//   --timeout=60       seconds one run of one reader may take before it is stopped
//   --report-only      print the table and redraw the chart from bench/results/results.json
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork, spawnSync } = require('child_process');
const paths = require('./paths');
const { ensureData, ensureJson } = require('./data');
const { PARSERS } = require('./parsers');
const { median } = require('./stats');
const { printReport, checkTargets } = require('./report');
const { renderChart } = require('./chart');

function parseArgs(argv) {
  const flag = (name) => argv.includes(`--${name}`);
  const value = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const list = (name) => value(name)?.split(',').filter(Boolean);
  const quick = flag('quick');
  return {
    reportOnly: flag('report-only'),
    build: !flag('no-build'),
    rebuildData: flag('rebuild-data'),
    parsers: list('parsers') ?? Object.keys(PARSERS),
    datasets: list('datasets'),
    core: !flag('no-core'),
    timeoutMs: Number(value('timeout') ?? 60) * 1000,
    budgetMs: quick ? 5000 : 20000,
    maxRuns: quick ? 3 : 7,
  };
}

/** Compiles the project (type errors elsewhere do not stop the emit) and snapshots the core. */
function buildCore(build) {
  if (build) {
    console.log('compiling: npx tsc -p . …');
    const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [paths.repoRoot] }), '-p', '.'], {
      cwd: paths.repoRoot,
      encoding: 'utf8',
    });
    if (tsc.status !== 0) {
      const errors = (tsc.stdout.match(/error TS/g) ?? []).length;
      console.log(`  tsc reported ${errors} type error(s) (files emitted anyway); first: ${tsc.stdout.split('\n')[0]}`);
    }
  }
  for (const f of ['listing.js', 'bibtex/parse.js', 'search.js', 'rank.js', 'library.js']) {
    if (!fs.existsSync(path.join(paths.compiledCoreDir, f))) throw new Error(`${paths.compiledCoreDir}/${f} is missing: run \`npx tsc -p .\``);
  }
  fs.rmSync(paths.coreSnapshotDir, { recursive: true, force: true });
  fs.cpSync(paths.compiledCoreDir, paths.coreSnapshotDir, { recursive: true });
}

/**
 * Runs one child; resolves with its result, or a status when it was stopped (`timeout`:
 * one run took longer than `timeoutMs`) or died (`crash`, with the end of its stderr).
 */
function runChild(script, args, { timeoutMs, onMessage = () => {} }) {
  return new Promise((resolve) => {
    const child = fork(script, args, { execArgv: ['--expose-gc'], silent: true });
    let stderr = '';
    let result;
    let timer;
    let timedOut = false;
    const samples = [];
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
    };
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.stdout.on('data', () => {});
    child.on('message', (m) => {
      if (m.type === 'run-start') arm();
      else if (m.type === 'run') {
        clearTimeout(timer);
        samples.push(m.ms);
      } else if (m.type === 'done') result = m.result;
      onMessage(m);
    });
    arm();
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (result) resolve({ status: 'ok', ...result });
      else if (timedOut) resolve({ status: 'timeout', samplesBeforeStop: samples });
      else {
        const oom = /heap out of memory|Allocation failed/i.test(stderr);
        const lines = stderr.trim().split('\n').filter(Boolean);
        const last = lines.find((l) => /error|fatal/i.test(l)) ?? lines[lines.length - 1] ?? '';
        resolve({ status: oom ? 'out of memory' : 'crash', exit: code ?? signal, message: last.slice(0, 200) });
      }
    });
  });
}

/** Real files first, then the scaled sets from small to large. */
function orderDatasets(datasets) {
  return [...datasets].sort((a, b) => Number(a.scaled) - Number(b.scaled) || a.present - b.present);
}

async function runParsers(manifest, opts) {
  const results = [];
  const gaveUp = new Map(); // `${parser}:${kind}` → status on a smaller scaled set
  const datasets = orderDatasets(manifest.datasets).filter((d) => !opts.datasets || opts.datasets.includes(d.id));
  for (const dataset of datasets) {
    for (const parserId of opts.parsers) {
      const parser = PARSERS[parserId];
      if (!parser) throw new Error(`unknown reader ${parserId}; known: ${Object.keys(PARSERS).join(', ')}`);
      if (!parser.kinds.includes(dataset.kind)) continue;
      const row = { parser: parserId, dataset: dataset.id, kind: dataset.kind, present: dataset.present, datasetBytes: dataset.bytes };
      const previous = gaveUp.get(`${parserId}:${dataset.kind}`);
      if (dataset.scaled && previous) {
        results.push({ ...row, status: 'skipped', message: `${previous} on a smaller data set` });
        continue;
      }
      if (parser.json) ensureJson(dataset);
      process.stdout.write(`  ${dataset.id.padEnd(13)} ${parserId.padEnd(19)} `);
      const started = Date.now();
      const r = await runChild(path.join(__dirname, 'worker.js'), [parserId, dataset.id, String(opts.budgetMs), String(opts.maxRuns)], {
        timeoutMs: opts.timeoutMs,
        onMessage: (m) => m.type === 'run' && process.stdout.write('.'),
      });
      const out = { ...row, ...r };
      if (r.status === 'ok') {
        out.medianMs = median(r.samples);
        out.medianCpuMs = median(r.cpuSamples);
      }
      results.push(out);
      if (dataset.scaled && (r.status === 'timeout' || r.status === 'out of memory' || r.status === 'crash')) {
        gaveUp.set(`${parserId}:${dataset.kind}`, r.status);
      }
      const shown = r.status === 'ok' ? `${out.medianMs.toFixed(1)} ms` : r.status;
      console.log(` ${shown} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return results;
}

/** Re-prints the report and redraws the chart from the last results.json. */
function reportOnly() {
  const file = path.join(paths.resultsDir, 'results.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run bench\` first`);
  const results = JSON.parse(fs.readFileSync(file, 'utf8'));
  results.targets = checkTargets(results);
  fs.writeFileSync(path.join(paths.resultsDir, 'chart.svg'), renderChart(results));
  printReport(results);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.reportOnly) return reportOnly();
  const started = Date.now();
  buildCore(opts.build);
  const manifest = ensureData({ rebuild: opts.rebuildData, log: console.log });
  console.log(`readers (median of up to ${opts.maxRuns} runs after a warm-up, ${opts.budgetMs / 1000} s budget each, ${opts.timeoutMs / 1000} s timeout per run):`);
  const parsers = await runParsers(manifest, opts);
  let coreOps;
  if (opts.core) {
    console.log('core operations at 100k papers …');
    const r = await runChild(path.join(__dirname, 'core-ops.js'), [], { timeoutMs: 15 * 60 * 1000 });
    coreOps = r;
  }
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memory: os.totalmem(), loadavg: os.loadavg(), node: process.version },
    options: opts,
    datasets: manifest.datasets.map(({ files, ...d }) => ({ ...d, files: files.map((f) => path.relative(paths.repoRoot, f)) })),
    parsers: Object.fromEntries(Object.entries(PARSERS).map(([id, p]) => [id, { label: p.label, floor: !!p.floor }])),
    results: parsers,
    core: coreOps,
  };
  results.targets = checkTargets(results);
  fs.mkdirSync(paths.resultsDir, { recursive: true });
  fs.writeFileSync(path.join(paths.resultsDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(paths.resultsDir, 'chart.svg'), renderChart(results));
  printReport(results);
  console.log(`\nwrote bench/results/results.json and bench/results/chart.svg (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
