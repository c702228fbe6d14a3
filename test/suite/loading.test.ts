import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PaperShelfApi } from '../../src/extension';
import type { SourceReadStats } from '../../src/host/library';
import { api, eventually, removeFolders, workspaceDir } from './util';

const BUNDLED_KEY = 'zhou2026hidden';

function write(dir: string, name: string, bytes: string | Buffer): string {
  const file = path.join(workspaceDir().fsPath, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Point `paperShelf.sources` at `sources` and wait for the load that follows to finish with `key` in the library. */
async function loadSources(a: PaperShelfApi, sources: string[], key: string, timeoutMs = 20000): Promise<void> {
  const before = a.library.stats.loadedAt;
  await vscode.workspace.getConfiguration('paperShelf').update('sources', sources, vscode.ConfigurationTarget.Workspace);
  await eventually(() => a.library.stats.loadedAt !== before && !a.library.snapshot.loading && a.library.snapshot.get(key), `the library to load ${key}`, timeoutMs);
}

/**
 * Wait until no source has been read for a second: a file watcher may still report the
 * files a test has just written, and each report reads the file again.
 */
async function quiet(a: PaperShelfApi): Promise<void> {
  let last = a.library.stats.reads.at(-1);
  let since = Date.now();
  await eventually(() => {
    const now = a.library.stats.reads.at(-1);
    if (now !== last) [last, since] = [now, Date.now()];
    return Date.now() - since > 1000;
  }, 'the reads to settle', 15000);
}

/** The reads recorded after `mark` (the last read before the action), oldest first. */
function readsSince(a: PaperShelfApi, mark: SourceReadStats | undefined): SourceReadStats[] {
  const reads = a.library.stats.reads;
  return mark ? reads.slice(reads.indexOf(mark) + 1) : [...reads];
}

function problems(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === 'Paper Shelf');
}

const entry = (key: string, title: string, extra = '') => `@article{${key},\n  title = {${title}},\n  author = {Müller, Jörg},\n  year = 2020,${extra}\n}\n`;

describe('Loading: edge files', () => {
  const dir = 'load-edge';
  const files: Record<string, string> = {};
  before(async () => {
    await api();
    files.empty = write(dir, 'empty.bib', '');
    files.binary = write(dir, 'binary.bib', Buffer.concat([Buffer.from('%PDF-1.7\n%'), Buffer.from([0xe2, 0xe3, 0, 0, 0x01, 0xff]), Buffer.from(entry('edgeBinary2020', 'Inside a PDF'))]));
    files.utf16 = write(dir, 'utf16.bib', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(entry('edgeUtf16', 'Sixteen Bits Über Alles'), 'utf16le')]));
    files.latin1 = write(dir, 'latin1.bib', Buffer.concat([Buffer.from('% An old file\n\n'), Buffer.from(entry('edgeLatin1', 'Über Flüsse'), 'latin1')]));
    files.invalid = write(dir, 'invalid.bib', Buffer.concat([Buffer.from(entry('edgeValid', 'Ordinary UTF-8 Ünicode')), Buffer.from('\n@misc{edgeInvalid,\n  title = {Broken \xff Byte},\n}\n', 'latin1')]));
    files.good = write(dir, 'good.bib', entry('edgeGood', 'A Perfectly Ordinary Entry'));
  });
  after(async () => {
    await vscode.workspace.getConfiguration('paperShelf').update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('empty, binary, UTF-16, Latin-1 and invalid UTF-8 files: a clear message each, nothing written, the rest loads', async () => {
    const a = await api();
    const hashes = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, sha256(f)]));
    const shownBefore = a.library.stats.errorMessages.length;
    await loadSources(a, [dir], 'edgeGood');
    const snap = a.library.snapshot;

    // The rest of the library, and every readable file, loaded.
    assert.ok(snap.get(BUNDLED_KEY), 'the bundled library is still there');
    assert.strictEqual(snap.get('edgeGood')?.title, 'A Perfectly Ordinary Entry');
    assert.strictEqual(snap.get('edgeUtf16')?.title, 'Sixteen Bits Über Alles');
    assert.strictEqual(snap.get('edgeLatin1')?.title, 'Über Flüsse');
    assert.deepStrictEqual(snap.get('edgeLatin1')?.authors, [{ given: 'Jörg', family: 'Müller' }]);
    assert.strictEqual(snap.get('edgeInvalid')?.title, 'Broken ÿ Byte', 'invalid UTF-8 is read as Latin-1');
    // …and that file's valid UTF-8 part read as Latin-1 too: the note says to check accents.
    assert.strictEqual(snap.get('edgeValid')?.title, 'Ordinary UTF-8 Ãœnicode');

    // The binary file: nothing read, one error in the Problems panel, one message for the load naming it.
    assert.strictEqual(snap.get('edgeBinary2020'), undefined);
    const binary = problems(files.binary);
    assert.deepStrictEqual(binary.map((d) => [d.severity, d.range.start.line]), [[vscode.DiagnosticSeverity.Error, 0]]);
    assert.match(binary[0].message, /not a text file .*NUL byte at offset 12.*nothing was read/);
    const shown = a.library.stats.errorMessages.slice(shownBefore);
    assert.strictEqual(shown.length, 1, shown.join('\n'));
    assert.ok(shown[0].includes(files.binary) && /not a text file/.test(shown[0]), shown[0]);

    // Encodings: a warning on the line the note concerns.
    const utf16 = problems(files.utf16);
    assert.deepStrictEqual(utf16.map((d) => [d.severity, d.range.start.line]), [[vscode.DiagnosticSeverity.Warning, 0]]);
    assert.match(utf16[0].message, /UTF-16/);
    const latin1 = problems(files.latin1);
    assert.deepStrictEqual(latin1.map((d) => [d.severity, d.range.start.line]), [[vscode.DiagnosticSeverity.Warning, 3]]);
    assert.match(latin1[0].message, /not valid UTF-8 \(byte 0xDC on line 4\).*Latin-1/);
    const invalid = problems(files.invalid);
    assert.deepStrictEqual(invalid.map((d) => [d.severity, d.range.start.line]), [[vscode.DiagnosticSeverity.Warning, 7]]);

    // The empty file: read, no papers, no problem, no message.
    assert.deepStrictEqual(problems(files.empty), []);
    const emptyRead = a.library.stats.reads.filter((r) => r.file === files.empty).at(-1);
    assert.deepStrictEqual(emptyRead && [emptyRead.bytes, emptyRead.papers], [0, 0]);

    for (const [k, f] of Object.entries(files)) assert.strictEqual(sha256(f), hashes[k], `${path.basename(f)} was not changed`);
  });
});

describe('Loading: a big file off the extension host thread', () => {
  const dir = 'load-big';
  let big: string;
  const ENTRIES = 60000;
  before(async function () {
    this.timeout(60000);
    await api();
    const note = 'Filler text that makes every entry about one kilobyte long, as real entries with abstracts are. '.repeat(9);
    const chunks: string[] = [];
    for (let i = 0; i < ENTRIES; i++) {
      chunks.push(`@inproceedings{big${i},\n  title = {A Generated Paper Number ${i}},\n  author = {Author${i % 997}, Ann and Other, Otto},\n  booktitle = {Proceedings of Big Files},\n  year = ${1970 + (i % 55)},\n  note = {${note}},\n}\n\n`);
    }
    big = write(dir, 'big.bib', chunks.join(''));
  });
  after(async function () {
    this.timeout(60000);
    await vscode.workspace.getConfiguration('paperShelf').update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('loads a 60 MB file in a worker, the tree filling as papers arrive, the host never busy for long', async function () {
    this.timeout(180000);
    const a = await api();
    const size = fs.statSync(big).size;
    assert.ok(size > 60e6, `${size} bytes`);
    const counts: number[] = [];
    const sub = a.library.onDidChange((snap) => {
      if (snap.loading) counts.push(snap.papers.filter((p) => p.source.file === big).length);
    });
    try {
      await loadSources(a, [`${dir}/big.bib`], `big${ENTRIES - 1}`, 150000);
    } finally {
      sub.dispose();
    }
    assert.strictEqual(a.library.snapshot.papers.filter((p) => p.source.file === big).length, ENTRIES);
    assert.ok(a.library.snapshot.get(BUNDLED_KEY), 'the bundled library is still there');
    assert.strictEqual(a.library.snapshot.get('big12345')?.title, 'A Generated Paper Number 12345');
    assert.strictEqual(a.library.snapshot.get('big12345')?.extra?.fields?.booktitle, 'Proceedings of Big Files');
    const read = a.library.stats.reads.filter((r) => r.file === big).at(-1);
    assert.ok(read, 'big.bib was read');
    assert.strictEqual(read.thread, 'worker');
    assert.strictEqual(read.papers, ENTRIES);
    assert.ok(counts.some((n) => n > 0 && n < ENTRIES), `the tree showed part of the file while it loaded (counts while loading: ${counts.join(', ')})`);
    // Behaviour, not a timed target: the host was never blocked for anywhere near the parse.
    const { longestBlockMs } = a.library.stats;
    console.log(`big.bib: ${(size / 1e6).toFixed(0)} MB parsed in a worker in ${read.parseMs.toFixed(0)} ms; the host was busy at most ${longestBlockMs.toFixed(0)} ms at a stretch`);
    assert.ok(longestBlockMs < read.parseMs / 2, `longest block ${longestBlockMs.toFixed(0)} ms, parse ${read.parseMs.toFixed(0)} ms`);
  });
});

describe('Loading: editing one source', () => {
  const dir = 'load-edit';
  let one: string;
  let two: string;
  before(async () => {
    const a = await api();
    one = write(dir, 'one.bib', entry('editOne', 'The First File'));
    two = write(dir, 'two.bib', entry('editTwo', 'The Second File'));
    await loadSources(a, [`${dir}/one.bib`, `${dir}/two.bib`], 'editTwo');
  });
  after(async () => {
    await vscode.workspace.getConfiguration('paperShelf').update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('re-reads only the file that changed', async () => {
    const a = await api();
    assert.ok(a.library.snapshot.get('editOne') && a.library.snapshot.get('editTwo'));
    await quiet(a);
    const mark = a.library.stats.reads.at(-1);
    fs.appendFileSync(one, `\n${entry('editOneMore', 'Added to the First File')}`);
    await eventually(() => a.library.snapshot.get('editOneMore'), 'the new entry of one.bib', 15000);
    await quiet(a);
    const reads = readsSince(a, mark).map((r) => r.file);
    assert.ok(reads.length >= 1 && reads.every((f) => f === one), `reads since the edit: ${reads.join(', ')}`);
    assert.strictEqual(a.library.snapshot.get('editTwo')?.title, 'The Second File');
    assert.ok(a.library.snapshot.get(BUNDLED_KEY));
    assert.ok(fs.existsSync(two));
  });
});

describe('Loading: a full reload and a document naming a new .bib at the same time', () => {
  const dir = 'load-race';
  let extra: string;
  let named: readonly vscode.Uri[] = [];
  before(async () => {
    const a = await api();
    extra = write(dir, 'named.bib', entry('raceNamed', 'Named by a Document Meanwhile'));
    named = a.library.documentBibliographies;
  });
  after(async () => {
    (await api()).library.setDocumentSources([...named]);
    await removeFolders(dir);
  });

  it('Reload Library still re-reads every source when a document names a new .bib before it is done', async () => {
    const a = await api();
    await quiet(a);
    const files = [...new Set(a.library.snapshot.papers.map((p) => p.source.file))];
    assert.ok(files.length > 0, 'the library has sources');
    const mark = a.library.stats.reads.at(-1);
    // Reload Library (or a new key pattern), and before it is done a document names a new
    // bibliography: the reload it starts reads only new files, but must not drop the re-read.
    const full = a.library.reload();
    a.library.setDocumentSources([...named, vscode.Uri.file(extra)]);
    await full;
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('raceNamed'), 'the new .bib to load', 20000);
    const reread = new Set(readsSince(a, mark).map((r) => r.file));
    assert.deepStrictEqual(files.filter((f) => !reread.has(f)), [], `files not read again; read: ${[...reread].join(', ')}`);
    assert.ok(reread.has(extra), 'the new .bib was read');
  });
});
