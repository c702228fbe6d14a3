import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseBibtex } from '../../src/core/bibtex/parse';
import type { Paper } from '../../src/core/model';
import type { Log } from '../../src/host/log';
import { OFF_THREAD_BYTES, SourceParser } from '../../src/host/parser';

/** The compiled worker script (tsc output), the same code esbuild bundles into dist/worker.js. */
const WORKER = path.resolve(__dirname, '..', '..', 'src', 'worker', 'parse-worker.js');

function fakeLog(): Log & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, warn: (m: string) => warnings.push(m), info: (m: string) => infos.push(m) } as unknown as Log & { warnings: string[]; infos: string[] };
}

/** A BibTeX file of `n` entries, each with a long note, so that it is big enough for a worker. */
function bigBib(n: number): string {
  const note = 'A note long enough to make the file big. '.repeat(12);
  return Array.from({ length: n }, (_, i) => `@article{k${i},\n  title = {Paper Number ${i}},\n  author = {Doe, Jane and Roe, Richard},\n  year = ${1990 + (i % 30)},\n  note = {${note}},\n}\n`).join('\n');
}

const request = { kind: 'bibtex' as const, file: '/lib/big.bib', captured: '2026-01-01' };
const always = () => true;

describe('SourceParser: parsing off the extension host thread', () => {
  const text = bigBib(1200);
  const bytes = () => Promise.resolve(new Uint8Array(Buffer.from(text)));

  it('parses a big file in a worker, papers equal to a parse on this thread, arriving in chunks', async () => {
    assert.ok(text.length > OFF_THREAD_BYTES);
    const arrived: number[] = [];
    const outcome = await new SourceParser(WORKER, fakeLog()).parse(bytes, request, { wanted: always, onPapers: (p) => arrived.push(p.length) });
    assert.ok(outcome?.ok);
    assert.equal(outcome.thread, 'worker');
    const expected = parseBibtex(text, { file: request.file }).papers;
    assert.deepStrictEqual(outcome.result.papers, expected);
    assert.ok(arrived.length >= 2, `papers came in ${arrived.length} chunk(s)`);
    assert.equal(arrived.reduce((a, b) => a + b, 0), 1200);
  });

  it('a big local file is read by the worker itself: the host never reads its bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-shelf-parser-'));
    try {
      const file = path.join(dir, 'big.bib');
      fs.writeFileSync(file, text);
      let hostReads = 0;
      const read = () => (hostReads++, bytes());
      const outcome = await new SourceParser(WORKER, fakeLog()).parse(read, request, { wanted: always, local: { path: file, size: fs.statSync(file).size } });
      assert.ok(outcome?.ok);
      assert.equal(outcome.thread, 'worker');
      assert.equal(hostReads, 0);
      assert.deepStrictEqual(outcome.result.papers, parseBibtex(text, { file: request.file }).papers);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a local file the worker cannot read is read by the host instead (whose errors are the usual ones)', async () => {
    const log = fakeLog();
    let hostReads = 0;
    const read = () => (hostReads++, bytes());
    const missing = path.join(os.tmpdir(), `paper-shelf-no-such-${process.pid}.bib`);
    const outcome = await new SourceParser(WORKER, log).parse(read, request, { wanted: always, local: { path: missing, size: text.length } });
    assert.ok(outcome?.ok);
    assert.equal(hostReads, 1);
    assert.equal(outcome.result.papers.length, 1200);
    assert.match(log.infos.join('\n'), /could not read \/lib\/big\.bib \(ENOENT/);
  });

  it('parses a small file on this thread', async () => {
    const outcome = await new SourceParser(WORKER, fakeLog()).parse(() => Promise.resolve(new Uint8Array(Buffer.from(bigBib(3)))), request, { wanted: always });
    assert.ok(outcome?.ok);
    assert.equal(outcome.thread, 'host');
    assert.equal(outcome.result.papers.length, 3);
  });

  it('a big binary file is refused by the worker with the reason', async () => {
    const binary = new Uint8Array(OFF_THREAD_BYTES + 10);
    binary.set(Buffer.from('%PDF-1.7\n'));
    const outcome = await new SourceParser(WORKER, fakeLog()).parse(() => Promise.resolve(binary), request, { wanted: always });
    assert.ok(outcome && !outcome.ok);
    assert.equal(outcome.thread, 'worker');
    assert.match(outcome.problem, /not a text file/);
  });

  it('without a worker script it says so once in the log and parses on this thread', async () => {
    const log = fakeLog();
    const parser = new SourceParser(path.join(__dirname, 'no-such-worker.js'), log);
    let reads = 0;
    const read = () => (reads++, bytes());
    for (let i = 0; i < 2; i++) {
      const outcome = await parser.parse(read, request, { wanted: always });
      assert.ok(outcome?.ok);
      assert.equal(outcome.thread, 'host');
      assert.equal(outcome.result.papers.length, 1200);
    }
    assert.equal(reads, 3, 'the bytes handed to the worker that never started are read again, once');
    assert.equal(log.warnings.length, 1);
    assert.match(log.warnings[0], /could not start/);
  });

  it('a read no longer wanted stops, and its papers stop arriving', async () => {
    let wanted = true;
    const arrived: Paper[] = [];
    const outcome = await new SourceParser(WORKER, fakeLog()).parse(bytes, request, {
      wanted: () => wanted,
      onPapers: (p) => {
        arrived.push(...p);
        wanted = false;
      },
    });
    assert.equal(outcome, undefined);
    assert.ok(arrived.length > 0 && arrived.length < 1200, `${arrived.length} papers arrived`);
  });
});
