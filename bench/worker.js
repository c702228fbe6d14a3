// Child process: times one reader on one data set, so a crash or an out-of-memory stays
// contained and the peak memory belongs to that reader alone. Started by run.js through
// fork() with --expose-gc; reports over IPC:
//   { type: 'run-start' }           before each run (the parent's per-run timeout starts)
//   { type: 'run', ms }             after each run
//   { type: 'done', result }        at the end
// Usage: node --expose-gc bench/worker.js <parser-id> <dataset-id> <budget-ms> <max-runs>
'use strict';
const fs = require('fs');
const path = require('path');
const paths = require('./paths');
const { PARSERS } = require('./parsers');

const send = (message) => process.send?.(message);
const gc = () => global.gc?.();
const maxRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** One pass over every file; errors are per file, as a user would meet them. */
function runOnce(reader, inputs, keep) {
  const kept = [];
  const errors = [];
  let count = 0;
  send({ type: 'run-start' });
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (const { file, text } of inputs) {
    try {
      const result = reader.parse(text, file);
      count += reader.count(result);
      if (keep) kept.push(result);
    } catch (e) {
      errors.push({ file: path.basename(file), message: String(e?.message ?? e).split('\n')[0].slice(0, 160) });
    }
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  send({ type: 'run', ms });
  return { ms, cpuMs, count, errors, kept };
}

async function main() {
  const [parserId, datasetId, budgetText, maxRunsText] = process.argv.slice(2);
  const manifest = JSON.parse(fs.readFileSync(path.join(paths.dataDir, 'manifest.json'), 'utf8'));
  const dataset = { ...manifest.datasets.find((d) => d.id === datasetId), captured: manifest.captured };
  const adapter = PARSERS[parserId];
  const files = adapter.json ? [path.join(paths.dataDir, `${dataset.id}.json`)] : dataset.files;
  const inputs = files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
  const bytes = files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  const reader = await adapter.load(dataset);

  gc();
  // maxRSS so far is the peak of reading the files (the buffer and the string exist together for a moment).
  const base = { rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, loadPeakRss: maxRssBytes() };

  // First run: warm-up, and the memory measurement (its results are kept alive to measure them).
  const first = runOnce(reader, inputs, true);
  const peakRss = maxRssBytes();
  gc();
  const retainedHeap = process.memoryUsage().heapUsed - base.heapUsed;
  first.kept.length = 0;

  // Timed runs within the budget; a reader slower than the budget is measured by its first run.
  const budget = Number(budgetText);
  const runs = Math.min(Number(maxRunsText), Math.floor(budget / Math.max(first.ms, 1e-3)));
  const samples = [];
  const cpuSamples = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const run = runOnce(reader, inputs, false);
    samples.push(run.ms);
    cpuSamples.push(run.cpuMs);
  }
  send({
    type: 'done',
    result: {
      bytes,
      firstMs: first.ms,
      samples: samples.length ? samples : [first.ms],
      cpuSamples: cpuSamples.length ? cpuSamples : [first.cpuMs],
      coldOnly: samples.length === 0,
      count: first.count,
      errors: first.errors,
      baseRss: base.rss,
      peakRss,
      loadPeakRss: base.loadPeakRss,
      retainedHeap,
    },
  });
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exit(1);
});
