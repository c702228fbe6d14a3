/**
 * Property tests: the readers never crash, never hang, never take over 100 ms on an input
 * of 64 KB, and what they return always satisfies the model.
 *
 * Each reader runs in a worker thread (fuzz-worker.ts) under a watchdog: a synchronous
 * hang cannot be interrupted from inside, so the test terminates a worker whose case has
 * run for {@link STALL_MS} and fails with the seed and the input's start. The seed comes
 * from FUZZ_SEED when set (to replay a failure), else it is random; FUZZ_RUNS raises the
 * number of generated cases. The figures of each run are printed.
 */
import * as assert from 'assert';
import * as crypto from 'crypto';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { MAX_EXPANDED_VALUE, parseBibtex } from '../../src/core/bibtex/parse';
import { PaperSchema, describeZodError } from '../../src/core/model';
import { paper } from './helpers';
import { Progress, TIME_LIMIT_MS, describeInput, type FuzzReport, type FuzzRequest, type ReaderName } from './fuzz-worker';

/** Generated cases per reader and run (the floor). */
const MIN_RUNS = 10_000;
/** A case that runs this long is a hang: generous, since the limit for 64 KB inputs is 100 ms. */
const STALL_MS = 5_000;
/** A worker that has not finished in this time is stopped, hang or not. */
const WALL_MS = 60_000;
const WORKER = path.join(__dirname, 'fuzz-worker.js');

function envInt(name: string, fallback: () => number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback();
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

const seed = envInt('FUZZ_SEED', () => crypto.randomInt(2 ** 31));
const runs = Math.max(MIN_RUNS, envInt('FUZZ_RUNS', () => MIN_RUNS));

/** Run one reader's properties in a worker; rejects with the stuck input when the watchdog fires. */
function fuzzInWorker(reader: ReaderName): Promise<FuzzReport> {
  const progress = new Progress();
  const request: FuzzRequest = { reader, seed, runs, progress: progress.buffer };
  const worker = new Worker(WORKER, { workerData: request });
  const started = Date.now();
  return new Promise<FuzzReport>((resolve, reject) => {
    let settled = false;
    let lastCase = -1;
    let caseSince = started;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      f();
    };
    const watchdog = setInterval(() => {
      const now = Date.now();
      const current = progress.read();
      if (current.caseNo !== lastCase) {
        lastCase = current.caseNo;
        caseSince = now;
      }
      const stalled = now - caseSince > STALL_MS;
      if (!stalled && now - started <= WALL_MS) return;
      void worker.terminate();
      const why = stalled ? `case ${current.caseNo} ran for over ${STALL_MS} ms (a hang)` : `the run took over ${WALL_MS} ms`;
      finish(() =>
        reject(new Error(`${reader}: ${why}; seed ${seed} (replay with FUZZ_SEED=${seed}); input of ${current.length} units starts ${describeInput(current.prefix)}`)),
      );
    }, 100);
    worker.once('message', (report: FuzzReport) => finish(() => resolve(report)));
    worker.once('error', (e) => finish(() => reject(e)));
    worker.once('exit', (code) => finish(() => reject(new Error(`${reader}: the fuzz worker exited (code ${code}) without a report; seed ${seed}`))));
  });
}

function summary(r: FuzzReport): string {
  const slowestKiller = r.killers.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, length: 0, label: 'none' });
  return (
    `${r.reader}: ${r.generated} generated cases (${r.big} of 60–64 KB) + ${r.killers.length} killers, ` +
    `slowest generated ${r.slowest.ms.toFixed(1)} ms (${(r.slowest.length / 1024).toFixed(1)} K, ${r.slowest.label}), ` +
    `slowest killer ${slowestKiller.ms.toFixed(1)} ms (${slowestKiller.label.replace(/^killer: /, '')}), seed ${r.seed}`
  );
}

describe(`readers under fuzzing (${runs} generated cases each, seed ${seed}; FUZZ_SEED replays)`, () => {
  const readers: [ReaderName, string][] = [
    ['listing', 'parseListing'],
    ['bibtex', 'parseBibtex'],
    ['csl', 'parseCslJson'],
    ['decode', 'decodeSource'],
  ];
  for (const [reader, fn] of readers) {
    it(`${fn}: never throws or hangs, returns only valid papers and diagnostics on real lines, ≤ ${TIME_LIMIT_MS} ms per 64 KB`, async function () {
      this.timeout(WALL_MS + 10_000);
      const report = await fuzzInWorker(reader);
      console.log(`      ${summary(report)}`);
      assert.ok(!report.failure, report.failure);
      assert.strictEqual(report.generated, runs, `${reader}: only ${report.generated} of ${runs} cases ran`);
      assert.deepStrictEqual(
        report.slow.map((s) => `${s.ms.toFixed(0)} ms for ${s.length} units (${s.label}): ${s.prefix}`),
        [],
        `${reader}: inputs of at most 64 KB over ${TIME_LIMIT_MS} ms (seed ${seed})`,
      );
    });
  }
});

/** The least of a few timings of `f`, in ms: what the input costs, without the machine's noise. */
function leastTime(f: () => unknown, times = 3): number {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Minimal reproductions of what fuzzing found, kept as regression tests. */
describe('reader bugs found by fuzzing', () => {
  // Was: each @string doubles the last one, so 30 lines expanded to 2^31 characters and V8
  // threw "RangeError: Invalid string length" out of parseBibtex.
  it(`parseBibtex: @string definitions that double each other neither throw nor blow up (cut at ${MAX_EXPANDED_VALUE} characters, with a warning)`, () => {
    const text = `@string{a = "xy"}\n${'@string{a = a # a}\n'.repeat(30)}@article{k, title = a}\n`;
    let result: ReturnType<typeof parseBibtex> | undefined;
    assert.doesNotThrow(() => (result = parseBibtex(text, { file: 'doubling.bib' })));
    assert.deepStrictEqual(result?.papers.map((p) => p.key), ['k']);
    assert.strictEqual(result?.papers[0].title.length, MAX_EXPANDED_VALUE);
    const cut = result?.diagnostics.filter((d) => /longer than 100,000 characters after expanding macro "a"/.test(d.message)) ?? [];
    assert.ok(cut.length > 0 && cut[0].line === 17, JSON.stringify(result?.diagnostics));
    assert.ok(leastTime(() => parseBibtex(text, { file: 'doubling.bib' })) <= TIME_LIMIT_MS);
  });

  // Was: for every "@word" not followed by "{" or "(", Reader.read scanned to the next
  // line-start "@" (the end of a one-line file) to ask whether it opened a line: quadratic,
  // 64 KB of "x@a " took 2.3 s.
  it(`parseBibtex: 64 KB of "x@a " (an "@" in running text) within ${TIME_LIMIT_MS} ms`, () => {
    const text = 'x@a '.repeat(16 * 1024);
    assert.ok(leastTime(() => parseBibtex(text, { file: 'at.bib' })) <= TIME_LIMIT_MS);
  });

  // Was: keyless entries got nextFreeKey(base, taken), which tried suffixes a, b, … from the
  // start for each entry: quadratic when many share a base key (6000 took 2.5 s).
  it(`parseBibtex: 1000 keyless entries with the same author, year and title (60 KB) within ${TIME_LIMIT_MS} ms`, () => {
    const text = '@article{, title = {Same}, author = {Doe, J.}, year = 2000}\n'.repeat(1000);
    const result = parseBibtex(text, { file: 'keyless.bib' });
    assert.strictEqual(new Set(result.papers.map((p) => p.key)).size, 1000);
    assert.ok(leastTime(() => parseBibtex(text, { file: 'keyless.bib' })) <= TIME_LIMIT_MS);
  });

  // Was: each entry whose key breaks KEY_PATTERN went through zod to be worded, and a zod
  // error costs ~15 µs (an Error with a stack): 9,362 entries "@ur{\\i" took 136–163 ms.
  it(`parseBibtex: 64 KB of entries with keys unsafe in \\cite{} within ${TIME_LIMIT_MS} ms, each skipped with the schema's words`, () => {
    const text = '@ur{\\i\n'.repeat(Math.floor(65536 / 7));
    const result = parseBibtex(text, { file: 'unsafe-keys.bib' });
    assert.strictEqual(result.papers.length, 0);
    const schemaSays = PaperSchema.safeParse(paper({ key: '\\i', title: 'T' }));
    assert.ok(!schemaSays.success);
    const skipped = result.diagnostics.filter((d) => d.severity === 'error' && d.message.startsWith('entry "\\i" skipped: '));
    assert.strictEqual(skipped.length, 9362);
    assert.deepStrictEqual([...new Set(skipped.map((d) => d.message))], [`entry "\\i" skipped: ${describeZodError(schemaSays.error)}`]);
    assert.deepStrictEqual(skipped.slice(0, 3).map((d) => d.line), [1, 2, 3]);
    assert.ok(leastTime(() => parseBibtex(text, { file: 'unsafe-keys.bib' })) <= TIME_LIMIT_MS);
  });
});
