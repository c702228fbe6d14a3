/**
 * The property runs of fuzz.test.ts, one reader per worker thread.
 *
 * A synchronous hang cannot be timed out from the thread it blocks, so the test runs this
 * file in a `worker_threads` Worker and watches it: before each case the worker writes the
 * case number and the input's first characters into a SharedArrayBuffer ({@link Progress}),
 * which the parent reads when a case runs too long, then terminates the worker. Everything
 * else (invariants, timing of each case) happens here, and the result comes back as one
 * {@link FuzzReport} message.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isMainThread, parentPort, workerData } from 'worker_threads';
import * as fc from 'fast-check';
import { parseBibtex } from '../../src/core/bibtex/parse';
import { parseCslJson } from '../../src/core/csl';
import { decodeSource, type Decoded } from '../../src/core/decode';
import { parseListing } from '../../src/core/listing';
import { PaperSchema, describeZodError, type ReadResult } from '../../src/core/model';
import { MAX_CASE_LENGTH, byteKillers, bytesCases, killers, textCases, type Format, type TextCase } from './fuzz-generators';

export type ReaderName = Format | 'decode';

/** What the parent sends: which reader, the fast-check seed, how many generated cases. */
export interface FuzzRequest {
  reader: ReaderName;
  seed: number;
  runs: number;
  progress: SharedArrayBuffer;
}

/** One case's parse time. */
export interface Timing {
  ms: number;
  length: number;
  label: string;
}

export interface FuzzReport {
  reader: ReaderName;
  seed: number;
  /** Generated cases run (fast-check's count, shrinking not included). */
  generated: number;
  /** Generated cases of 60 KB or more. */
  big: number;
  killers: Timing[];
  /** The slowest generated case (all are at most 64 KB). */
  slowest: Timing;
  /** Inputs of at most 64 KB that took longer than {@link TIME_LIMIT_MS} each time they were timed. */
  slow: (Timing & { prefix: string })[];
  /** Why the property failed (an exception or a broken invariant), with the seed and the input. */
  failure?: string;
}

/** No input of 64 KB or less may take longer than this. */
export const TIME_LIMIT_MS = 100;
/** A case over the limit is timed this many more times; it counts as slow only if every time is over. */
const RETIMES = 4;
const BIG = 60 * 1024;
const CAPTURED = '2026-11-26';

// ---------------------------------------------------------------------------------
// Progress shared with the parent

const PREFIX_CHARS = 240;

/**
 * The case in progress, in shared memory: `[case number, input length, prefix length]`
 * then the input's first {@link PREFIX_CHARS} UTF-16 units (bytes for decodeSource).
 */
export class Progress {
  private readonly head: Int32Array;
  private readonly prefix: Uint16Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(12 + 2 * PREFIX_CHARS)) {
    this.head = new Int32Array(buffer, 0, 3);
    this.prefix = new Uint16Array(buffer, 12, PREFIX_CHARS);
  }

  /** Announce the next case. */
  start(caseNo: number, input: string | Uint8Array): void {
    const n = Math.min(input.length, PREFIX_CHARS);
    for (let i = 0; i < n; i++) this.prefix[i] = typeof input === 'string' ? input.charCodeAt(i) : (input[i] as number);
    this.head[1] = input.length;
    this.head[2] = n;
    Atomics.store(this.head, 0, caseNo);
  }

  /** The case in progress: its number (0 before the first), length and first characters. */
  read(): { caseNo: number; length: number; prefix: string } {
    const n = this.head[2] as number;
    return { caseNo: Atomics.load(this.head, 0), length: this.head[1] as number, prefix: String.fromCharCode(...this.prefix.subarray(0, n)) };
  }
}

// ---------------------------------------------------------------------------------
// Invariants

/** Thrown when a result breaks an invariant. */
class Broken extends Error {}

function must(ok: boolean, message: () => string): void {
  if (!ok) throw new Broken(message());
}

/** Line count as each reader counts lines: the listing reader also breaks at a lone CR. */
function lineLengths(text: string, format: Format): number[] {
  return text.split(format === 'listing' ? /\r\n|\r|\n/ : '\n').map((l) => l.length);
}

/** A warning that sums up many repeated keys (the BibTeX reader lists only the first ones one by one). */
const REPEATED_KEYS_SUMMARY = /\brepeats? (?:a )?keys?\b/;

/** The invariants of every result: valid papers, diagnostics on real lines, duplicates reported. */
function checkResult(result: ReadResult, text: string, format: Format, file: string): void {
  must(Array.isArray(result.papers) && Array.isArray(result.diagnostics), () => 'result lacks papers or diagnostics');
  const lines = lineLengths(text, format);
  for (const d of result.diagnostics) {
    must(Number.isInteger(d.line) && d.line >= 1 && d.line <= lines.length, () => `diagnostic on line ${d.line} of a ${lines.length}-line file: ${d.message}`);
    const width = (lines[d.line - 1] as number) + 1;
    must(d.column === undefined || (Number.isInteger(d.column) && d.column >= 1 && d.column <= width), () => `diagnostic at column ${d.column} of a line of ${width - 1} characters: ${d.message}`);
    must(typeof d.message === 'string' && d.message.trim() !== '', () => 'diagnostic without a message');
    must(d.severity === undefined || d.severity === 'error' || d.severity === 'warning', () => `diagnostic severity ${String(d.severity)}`);
  }
  const count = new Map<string, number>();
  for (const p of result.papers) {
    const check = PaperSchema.safeParse(p);
    must(check.success, () => `paper "${p.key}" breaks the model: ${check.success ? '' : describeZodError(check.error)}`);
    must(p.source.file === file, () => `paper "${p.key}" names file ${p.source.file}`);
    must(p.source.line <= lines.length, () => `paper "${p.key}" on line ${p.source.line} of a ${lines.length}-line file`);
    count.set(p.key, (count.get(p.key) ?? 0) + 1);
  }
  for (const [key, n] of count) {
    if (n === 1) continue;
    must(format !== 'listing', () => `listing keys must be unique, "${key}" appears ${n} times`);
    const named = `duplicate ${format === 'csl' ? 'id' : 'key'} "${key}"`;
    must(
      result.diagnostics.some((d) => d.message.includes(named) || REPEATED_KEYS_SUMMARY.test(d.message)),
      () => `key "${key}" appears ${n} times without a warning`,
    );
  }
  if (format === 'listing') {
    for (const p of result.papers) must(!/[\r\n]/.test(p.title), () => `listing title holds a line break: ${JSON.stringify(p.title)}`);
  }
}

/** A valid document yields every record, in order, on its line, and no error. */
function checkExpected(result: ReadResult, c: TextCase, format: Format): void {
  if (!c.expected) return;
  const got = result.papers.map((p) => ({ line: p.source.line, ...(format === 'listing' ? { title: p.title } : { key: p.key }) }));
  const want = c.expected.map((e) => ({ line: e.line, ...(format === 'listing' ? { title: e.title } : { key: e.key }) }));
  must(JSON.stringify(got) === JSON.stringify(want), () => `valid document: expected papers ${JSON.stringify(want).slice(0, 400)}, got ${JSON.stringify(got).slice(0, 400)}`);
  const errors = result.diagnostics.filter((d) => d.severity !== 'warning');
  must(errors.length === 0, () => `valid document: unexpected errors ${JSON.stringify(errors.slice(0, 3))}`);
}

const ENCODINGS = new Set(['utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be', 'windows-1252']);

function checkDecoded(d: Decoded, bytes: Uint8Array, text: string | undefined): void {
  if (!d.ok) {
    must(typeof d.problem === 'string' && d.problem !== '', () => 'refusal without a reason');
    must(text === undefined, () => `refused text it must read: ${d.problem}`);
    return;
  }
  must(typeof d.text === 'string' && ENCODINGS.has(d.encoding), () => `bad result ${d.encoding}`);
  must(text === undefined || d.text === text, () => `decoded text differs from the text encoded (${d.encoding})`);
  const lines = bytes.reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  for (const note of d.notes) {
    must(Number.isInteger(note.line) && note.line >= 1 && note.line <= lines, () => `note on line ${note.line} of ${lines}: ${note.message}`);
    must(note.message !== '', () => 'note without a message');
  }
}

// ---------------------------------------------------------------------------------
// Running

/** One input with the checks its result must pass. */
interface Case<T> {
  input: T;
  label: string;
  check: (out: unknown) => void;
}

/** A reader under test: how to run it, its killers and its generated cases. */
interface Subject<T> {
  run: (input: T) => unknown;
  killers: Case<T>[];
  cases: fc.Arbitrary<Case<T>>;
}

function textSubject(format: Format): Subject<string> {
  const file = `fuzz.${format}`;
  const checked = (c: TextCase): Case<string> => ({
    input: c.text,
    label: c.kind,
    check: (out) => {
      checkResult(out as ReadResult, c.text, format, file);
      checkExpected(out as ReadResult, c, format);
    },
  });
  return {
    run: (text) =>
      format === 'listing'
        ? parseListing(text, { file, captured: CAPTURED })
        : format === 'bibtex'
          ? parseBibtex(text, { file })
          : parseCslJson(text, { file }),
    killers: killers(format).map((k) => ({ ...checked({ kind: 'random', text: k.text }), label: `killer: ${k.name}` })),
    cases: textCases(format).map(checked),
  };
}

function decodeSubject(): Subject<Uint8Array> {
  const checked = (label: string, bytes: Uint8Array, text?: string): Case<Uint8Array> => ({
    input: bytes,
    label,
    check: (out) => checkDecoded(out as Decoded, bytes, text),
  });
  return {
    run: decodeSource,
    killers: byteKillers().map((k) => checked(`killer: ${k.name}`, k.bytes)),
    cases: bytesCases().map((c) => checked(c.kind, c.bytes, c.text)),
  };
}

/** Milliseconds `f` takes. */
function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** A printable start of an input (a JSON string; bytes in hex). */
export function describeInput(input: string | Uint8Array, chars = PREFIX_CHARS): string {
  if (typeof input !== 'string') return Buffer.from(input.subarray(0, chars)).toString('hex');
  return JSON.stringify(input.slice(0, chars));
}

/** Save a failing input in full, so it can be replayed; returns the path. */
function saveInput(reader: ReaderName, seed: number, input: string | Uint8Array): string {
  const file = path.join(os.tmpdir(), `paper-shelf-fuzz-${reader}-${seed}.${typeof input === 'string' ? 'txt' : 'bin'}`);
  fs.writeFileSync(file, input);
  return file;
}

/** A failure message naming the input, the seed and where the whole input is. */
function failureMessage(request: FuzzRequest, c: Case<string | Uint8Array>, error: unknown, where: string): string {
  const what = error instanceof Broken ? error.message : `threw ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error)}`;
  const file = saveInput(request.reader, request.seed, c.input);
  return `${request.reader}: ${what}\n  ${where}, input (${c.label}, ${c.input.length} ${typeof c.input === 'string' ? 'chars' : 'bytes'}) starts ${describeInput(c.input)}\n  whole input saved to ${file}`;
}

/** Run the killers, then `request.runs` generated cases, timing each. */
function fuzz<T extends string | Uint8Array>(request: FuzzRequest, subject: Subject<T>): FuzzReport {
  const progress = new Progress(request.progress);
  const report: FuzzReport = {
    reader: request.reader,
    seed: request.seed,
    generated: 0,
    big: 0,
    killers: [],
    slowest: { ms: 0, length: 0, label: 'none' },
    slow: [],
  };
  let caseNo = 0;
  /** Run and check one case; over the time limit it is re-timed, and kept as slow if it stays over. */
  const runCase = (c: Case<T>): Timing => {
    progress.start(++caseNo, c.input);
    let out: unknown;
    let ms = time(() => (out = subject.run(c.input)));
    for (let i = 0; i < RETIMES && ms > TIME_LIMIT_MS; i++) ms = Math.min(ms, time(() => subject.run(c.input)));
    const timing = { ms, length: c.input.length, label: c.label };
    if (ms > TIME_LIMIT_MS && c.input.length <= MAX_CASE_LENGTH) report.slow.push({ ...timing, prefix: describeInput(c.input) });
    c.check(out);
    return timing;
  };

  for (const k of subject.killers) {
    try {
      report.killers.push(runCase(k));
    } catch (e) {
      return { ...report, failure: failureMessage(request, k, e, `known killer "${k.label}"`) };
    }
  }
  const details = fc.check(
    fc.property(subject.cases, (c) => {
      const t = runCase(c);
      if (t.length >= BIG) report.big++;
      if (t.ms > report.slowest.ms) report.slowest = t;
    }),
    { seed: request.seed, numRuns: request.runs },
  );
  report.generated = details.numRuns;
  if (details.failed && details.counterexample) {
    const [c] = details.counterexample;
    report.failure = failureMessage(request, c, details.errorInstance, `seed ${request.seed}, path "${details.counterexamplePath}" (shrunk ${details.numShrinks} times)`);
  } else if (details.failed) {
    report.failure = `${request.reader}: fast-check stopped after ${details.numRuns} cases without a counterexample`;
  }
  return report;
}

if (!isMainThread && parentPort) {
  const request = workerData as FuzzRequest;
  const report = request.reader === 'decode' ? fuzz(request, decodeSubject()) : fuzz(request, textSubject(request.reader));
  parentPort.postMessage(report);
}
