import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { deserialize, serialize } from 'v8';
import { parseBibtex } from '../../src/core/bibtex/parse';
import { parseCslJson } from '../../src/core/csl';
import { parseListing } from '../../src/core/listing';
import type { Paper } from '../../src/core/model';
import { ChunkPacker, ChunkUnpacker, chunksOf, readSourceBytes, type PaperChunk } from '../../src/core/transfer';
import { repoRoot, seedListing } from './helpers';

/** What postMessage does to a value: V8's structured serialization. */
const structuredClone = <T>(value: T): T => deserialize(serialize(value)) as T;

/** Papers as the receiving side sees them after packing, cloning and unpacking, chunk by chunk. */
function sendAcross(papers: Paper[], file: string, size = 7): Paper[] {
  const packer = new ChunkPacker();
  const unpacker = new ChunkUnpacker(file);
  const out: Paper[] = [];
  for (const part of chunksOf({ papers, diagnostics: [] }, size)) {
    out.push(...unpacker.unpack(structuredClone<PaperChunk>(packer.pack(part.papers, part.diagnostics))).papers);
  }
  return out;
}

const BIB = [
  '@string{jml = {Journal of Machine Learning}}',
  ...Array.from({ length: 20 }, (_, i) =>
    `@article{key${i},\n  title = {On {T}opic \\"{U}ber ${i}},\n  author = {M{\\"u}ller, J{\\"o}rg and Doe, Jane},\n  journal = jml,\n  year = ${2000 + i},\n  doi = {10.1000/x${i}},\n  note = {Shared note},\n}`,
  ),
  '@misc{bare,\n  title = {No Fields Beyond the Title},\n}',
].join('\n');

describe('transfer: papers across the worker boundary', () => {
  it('BibTeX papers (lazy display fields included) arrive equal to the originals', () => {
    const original = parseBibtex(BIB, { file: 'refs.bib' }).papers;
    assert.equal(original.length, 21);
    const received = sendAcross(parseBibtex(BIB, { file: 'refs.bib' }).papers, 'refs.bib');
    assert.deepStrictEqual(received, original);
    assert.equal(received[3].extra?.fields?.journal, 'Journal of Machine Learning');
    assert.equal(received[3].title, 'On Topic Über 3');
    assert.deepEqual(received[3].authors[0], { given: 'Jörg', family: 'Müller' });
  });

  it('fields keep their order, and survive a spread and JSON as plain properties', () => {
    const [p] = sendAcross(parseBibtex(BIB, { file: 'refs.bib' }).papers.slice(0, 1), 'refs.bib');
    assert.deepEqual(Object.keys(p.extra!.fields!), ['title', 'author', 'journal', 'year', 'doi', 'note']);
    assert.deepEqual({ ...p.extra }.fields, p.extra!.fields);
    assert.deepEqual(JSON.parse(JSON.stringify(p)).extra.fields.note, 'Shared note');
  });

  it('a received paper whose fields are replaced before they are read keeps the new ones', () => {
    const [p, q] = sendAcross(parseBibtex(BIB, { file: 'refs.bib' }).papers.slice(0, 2), 'refs.bib');
    p.extra!.fields = { note: 'mine' };
    assert.deepEqual(p.extra!.fields, { note: 'mine' });
    assert.deepEqual(structuredClone(p).extra?.fields, { note: 'mine' });
    assert.equal(q.extra?.fields?.title, 'On Topic Über 1', 'a neighbour from the same chunk is not affected');
  });

  it('listing and CSL-JSON papers arrive equal to the originals', () => {
    const seed = seedListing();
    const listing = parseListing(seed.text, { file: seed.file, captured: seed.captured }).papers;
    assert.ok(listing.length > 10);
    assert.deepStrictEqual(sendAcross(listing, seed.file), parseListing(seed.text, { file: seed.file, captured: seed.captured }).papers);
    const csl = JSON.stringify([
      { id: 'a1', type: 'article-journal', title: 'CSL Paper', author: [{ family: 'Roe', given: 'Richard' }], issued: { 'date-parts': [[2021, 3]] }, 'container-title': 'Nature' },
    ]);
    const cslPapers = parseCslJson(csl, { file: 'lib.json' }).papers;
    assert.equal(cslPapers.length, 1);
    assert.deepStrictEqual(sendAcross(cslPapers, 'lib.json'), parseCslJson(csl, { file: 'lib.json' }).papers);
  });

  it('sends BibTeX fields raw and unmade, converted on the receiving side; fields already set go as they are', () => {
    const papers = parseBibtex(BIB, { file: 'refs.bib' }).papers.slice(0, 2);
    papers[1].extra!.fields = { title: 'Replaced' };
    const chunk = new ChunkPacker().pack(papers, []);
    assert.equal(typeof Object.getOwnPropertyDescriptor(papers[0].extra!, 'fields')?.get, 'function', 'packing made the fields');
    assert.ok(chunk.strings.includes('On {T}opic \\"{U}ber 0'), `raw title not sent: ${JSON.stringify(chunk.strings)}`);
    assert.ok(!chunk.strings.includes('On Topic Über 0'));
    const [a, b] = new ChunkUnpacker('refs.bib').unpack(structuredClone(chunk)).papers;
    assert.equal(a.extra?.fields?.title, 'On Topic Über 0');
    assert.equal(a.extra?.fields?.author, 'Müller, Jörg and Doe, Jane');
    assert.deepEqual(b.extra?.fields, { title: 'Replaced' });
  });

  it('a repeated field value is sent once per read, not once per paper', () => {
    const papers = parseBibtex(BIB, { file: 'refs.bib' }).papers;
    const packer = new ChunkPacker();
    const first = packer.pack(papers.slice(0, 10), []);
    const second = packer.pack(papers.slice(10), []);
    const count = (c: PaperChunk, s: string) => c.strings.filter((x) => x === s).length;
    assert.equal(count(first, 'Journal of Machine Learning') + count(second, 'Journal of Machine Learning'), 1);
    assert.equal(count(second, 'Shared note'), 0);
  });

  it('chunks split papers and diagnostics, and an empty result is still one chunk', () => {
    const papers = parseBibtex(BIB, { file: 'refs.bib' }).papers;
    const diagnostics = Array.from({ length: 45 }, (_, i) => ({ line: i + 1, message: `d${i}` }));
    const parts = [...chunksOf({ papers, diagnostics }, 10)];
    assert.deepEqual(parts.map((c) => [c.papers.length, c.diagnostics.length]), [[10, 10], [10, 10], [1, 10], [0, 10], [0, 5]]);
    assert.deepEqual([...chunksOf({ papers: [], diagnostics: [] })].length, 1);
  });
});

describe('transfer: readSourceBytes (decode, then parse)', () => {
  const request = { kind: 'bibtex' as const, file: 'x.bib', captured: '2026-01-01' };
  const entry = '@article{muller2020,\n  title = {Über Flüsse},\n  author = {Müller, Jörg},\n  year = 2020\n}\n';

  it('an empty or blank file is empty, without problems', () => {
    for (const text of ['', '\n\n  \r\n']) {
      const r = readSourceBytes(Buffer.from(text), request);
      assert.ok(r.ok);
      assert.equal(r.empty, true);
      assert.deepEqual(r.result, { papers: [], diagnostics: [] });
    }
  });

  it('a binary file is refused with the reason, and nothing is read', () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 1, 2, 0xff, 0]), Buffer.from(entry)]);
    const r = readSourceBytes(pdf, request);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.problem : '', /not a text file.*NUL byte at offset 9/);
  });

  it('Latin-1 is read, with a warning on the line where UTF-8 broke', () => {
    const bytes = Buffer.concat([Buffer.from('% refs\n\n'), Buffer.from(entry, 'latin1')]);
    const r = readSourceBytes(bytes, request);
    assert.ok(r.ok);
    assert.equal(r.encoding, 'windows-1252');
    assert.equal(r.result.papers[0].title, 'Über Flüsse');
    assert.equal(r.result.diagnostics[0].severity, 'warning');
    assert.equal(r.result.diagnostics[0].line, 4);
    assert.match(r.result.diagnostics[0].message, /not valid UTF-8.*Latin-1/);
  });

  it('UTF-16 with a byte-order mark is read, with a warning on line 1', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(entry, 'utf16le')]);
    const r = readSourceBytes(bytes, request);
    assert.ok(r.ok);
    assert.equal(r.encoding, 'utf-16le');
    assert.deepEqual(r.result.papers.map((p) => p.authors[0].family), ['Müller']);
    assert.equal(r.result.diagnostics[0].line, 1);
    assert.match(r.result.diagnostics[0].message, /UTF-16/);
  });

  it('reads a listing file from the repository the same as the listing reader', () => {
    const seed = seedListing();
    const r = readSourceBytes(fs.readFileSync(path.join(repoRoot, 'seeds', path.basename(seed.file))), { kind: 'listing', file: seed.file, captured: seed.captured });
    assert.ok(r.ok);
    assert.deepStrictEqual(r.result, parseListing(seed.text, { file: seed.file, captured: seed.captured }));
  });
});
