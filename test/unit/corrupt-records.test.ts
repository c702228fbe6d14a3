/**
 * Broken records are skipped, not the file: with k corrupt records among N, each reader
 * returns exactly the N−k good ones, on their lines, and one diagnostic on the line of each
 * corrupt record, whatever the line endings (LF, CRLF, or both mixed in one file).
 *
 * The corruptions are ones a careful user would agree leave that record unusable (a date
 * that does not exist, an entry without a key, a CSL item that is not an object or not
 * valid JSON). Damage a reader can repair (a BibTeX entry missing its closing brace) is
 * tested apart: the record is kept with what could be read, with an error on its line,
 * and its neighbours are whole.
 */
import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseBibtex } from '../../src/core/bibtex/parse';
import { parseCslJson } from '../../src/core/csl';
import { parseListing } from '../../src/core/listing';
import type { ReadResult } from '../../src/core/model';
import { withLineEnding } from './fuzz-generators';

/** One record of a test file, written with `\n`. */
interface Piece {
  text: string;
  /** A good record: the key (BibTeX, CSL) or title (listing) it must yield. */
  yields?: string;
  /** A corrupt record: the line of its diagnostic, counted from the record's first line (0). */
  diagnosticAt?: number;
}

/** A test file and what a correct reader makes of it. */
interface Assembled {
  text: string;
  papers: { id: string; line: number }[];
  diagnosticLines: number[];
}

function assemble(pieces: readonly Piece[], frame: { head: string; sep: string; tail: string }): Assembled {
  const papers: Assembled['papers'] = [];
  const diagnosticLines: number[] = [];
  let line = 1 + lineBreaks(frame.head);
  pieces.forEach((piece, i) => {
    if (i > 0) line += lineBreaks(frame.sep);
    if (piece.yields !== undefined) papers.push({ id: piece.yields, line });
    if (piece.diagnosticAt !== undefined) diagnosticLines.push(line + piece.diagnosticAt);
    line += lineBreaks(piece.text);
  });
  return { text: frame.head + pieces.map((p) => p.text).join(frame.sep) + frame.tail, papers, diagnosticLines };
}

function lineBreaks(s: string): number {
  return s.split('\n').length - 1;
}

type LineEnding = 'lf' | 'crlf' | 'mixed';
const LINE_ENDINGS: LineEnding[] = ['lf', 'crlf', 'mixed'];

/** Read `file` in each line ending and compare with what it must give. */
function assertReads(file: Assembled, read: (text: string) => ReadResult, id: (p: ReadResult['papers'][number]) => string, eol: LineEnding): void {
  const result = read(withLineEnding(file.text, eol));
  const where = `(${eol}) in:\n${file.text}`;
  assert.deepStrictEqual(result.papers.map((p) => ({ id: id(p), line: p.source.line })), file.papers, `papers ${where}`);
  assert.deepStrictEqual(result.diagnostics.map((d) => d.line), file.diagnosticLines, `diagnostic lines ${where}\n${JSON.stringify(result.diagnostics, null, 1)}`);
}

/** Runs per format and line ending: each a file of 1–24 records, corrupt ones mixed in anywhere. */
const RUNS = 150;

/** A record numbered by its position in the file, so that no two are the same. */
type Make = (n: number) => Piece;

/** Records in any order: good ones, and one in three corrupt, drawn from `corrupt`. */
function files(good: Make, corrupt: readonly Make[]): fc.Arbitrary<Piece[]> {
  const slot = fc.oneof({ weight: 2, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(corrupt.length - 1) });
  return fc.array(slot, { minLength: 1, maxLength: 24 }).map((slots) => slots.map((c, n) => (c < 0 ? good : (corrupt[c] as Make))(n)));
}

/**
 * The two tests every reader gets: a file of good records reads whole with no diagnostic,
 * and with corrupt records mixed in (any separator of `seps`, each line ending) exactly
 * the good ones come back, with a diagnostic on each corrupt one's line.
 */
function skipsExactlyTheCorrupt(
  what: { records: string },
  reader: { read: (text: string) => ReadResult; id: (p: ReadResult['papers'][number]) => string },
  records: { good: Make; corrupt: readonly Make[] },
  frame: { head: string; seps: readonly string[]; tail: string },
): void {
  const { read, id } = reader;
  const { good, corrupt } = records;
  it(`reads a file of good ${what.records} alone with no diagnostic`, () => {
    assertReads(assemble([good(0), good(1), good(2)], { head: frame.head, sep: frame.seps[0] as string, tail: frame.tail }), read, id, 'lf');
  });
  for (const eol of LINE_ENDINGS) {
    it(`skips exactly the corrupt ${what.records}, with a diagnostic on each one's line (${eol})`, () => {
      fc.assert(
        fc.property(files(good, corrupt), fc.constantFrom(...frame.seps), (pieces, sep) => {
          assertReads(assemble(pieces, { head: frame.head, sep, tail: frame.tail }), read, id, eol);
        }),
        { numRuns: RUNS },
      );
    });
  }
}

// ---------------------------------------------------------------------------------

describe('corrupt records: parseListing', () => {
  const read = (text: string): ReadResult => parseListing(text, { file: 'papers.txt', captured: '2026-11-26' });
  const title = (n: number): string => `Study ${n} of spectral networks`;
  const good: Make = (n) => ({
    text: `${['LG', 'CL', 'ML'][n % 3]}May ${1 + (n % 28)}${n % 2 ? ', 2024' : ''}Code\n${title(n)}Jane Doe, John Roe et al.\nAn abstract line ${n}.\nA second line with https://github.com/org/repo${n}.`,
    yields: title(n),
  });
  const corrupt: Make[] = [
    (n) => ({ text: `LGFeb 30, 2024\nImpossible Date ${n} TitleJane Doe\nFebruary has no 30th.`, diagnosticAt: 0 }),
    (n) => ({ text: `LGFoo 3, 2024\nUnknown Month ${n} TitleJane Doe\nFoo is no month.`, diagnosticAt: 0 }),
    (n) => ({ text: `LGMay 3, 24\nTwo-digit Year ${n} TitleJane Doe\nThe year has two digits.`, diagnosticAt: 0 }),
    (n) => ({ text: `LGFeb 29\nNot a Leap Year ${n} TitleJane Doe\n2026, the capture year, has no 29 February.`, diagnosticAt: 0 }),
    (n) => ({ text: `CLMar ${1 + (n % 28)}, 2025`, diagnosticAt: 0 }), // a header with no title line
    (n) => ({ text: `CLMar 3, 2025\na title line without any authors ${n}.\nThe abstract.`, diagnosticAt: 1 }),
  ];

  skipsExactlyTheCorrupt({ records: 'records' }, { read, id: (p) => p.title }, { good, corrupt }, { head: '', seps: ['\n', '\n\n'], tail: '\n' });
});

// ---------------------------------------------------------------------------------

describe('corrupt records: parseBibtex', () => {
  const read = (text: string): ReadResult => parseBibtex(text, { file: 'refs.bib' });
  const good: Make = (n) => {
    const key = `key${n}`;
    const forms = [
      `@article{${key},\n  title = {Study {${n}} of {\\"o}ptimal networks},\n  author = {Doe, Jane and Roe, John},\n  journal = {Journal},\n  year = 2020,\n}`,
      `@InProceedings(${key},\n\ttitle = "Proceedings paper ${n}",\n\tauthor = "Jane Doe",\n\tyear = {2021}\n)`,
      `@misc{${key}, title = {One-line entry ${n}}, url = {https://github.com/org/repo${n}}}`,
    ];
    return { text: forms[n % forms.length] as string, yields: key };
  };
  const corrupt: Make[] = [
    (n) => ({ text: `@article{title = {An Entry Without a Key ${n}}, year = 2005}`, diagnosticAt: 0 }),
    (n) => ({ text: `@book{title = {Another Keyless Entry ${n}},\n  year = 2006,\n}`, diagnosticAt: 0 }),
    (n) => ({ text: `@article{bad<key${n}>,\n  title = {A Key Unsafe in \\cite},\n}`, diagnosticAt: 0 }),
  ];

  skipsExactlyTheCorrupt({ records: 'entries' }, { read, id: (p) => p.key }, { good, corrupt }, { head: '', seps: ['\n', '\n\n', '\n% a comment\n'], tail: '\n' });

  describe('damage that can be repaired keeps the record and its neighbours whole', () => {
    /** An entry whose closing brace is missing: the next line-start "@" ends it. */
    const unclosed = (n: number): Piece => ({ text: `@article{open${n},\n  title = {Unclosed ${n}},\n  year = 2002,\n`, yields: `open${n}`, diagnosticAt: 0 });
    /** A field whose braces do not balance: the value is cut at the end of its line, the next fields still read. */
    const unbalanced = (n: number): Piece => ({ text: `@article{brace${n},\n  title = {Unbalanced {${n}},\n  year = 2003,\n}`, yields: `brace${n}`, diagnosticAt: 1 });
    for (const eol of LINE_ENDINGS) {
      it(`an unclosed entry or an unbalanced field: every record kept, an error on the damaged line (${eol})`, () => {
        fc.assert(
          fc.property(
            fc.array(fc.nat(2), { minLength: 1, maxLength: 16 }),
            (drawn) => {
              // An unclosed entry is closed by the next one; at the end of the file nothing closes it.
              const kinds = drawn[drawn.length - 1] === 1 ? [...drawn, 0] : drawn;
              const pieces = kinds.map((k, i) => (k === 0 ? good(i) : k === 1 ? unclosed(i) : unbalanced(i)));
              const file = assemble(pieces, { head: '', sep: '\n', tail: '\n' });
              assertReads(file, read, (p) => p.key, eol);
              const result = read(withLineEnding(file.text, eol));
              for (const [i, k] of kinds.entries()) {
                const paper = result.papers[i];
                assert.ok(paper);
                assert.strictEqual(paper.year, k === 0 ? [2020, 2021, null][i % 3] : 2002 + k - 1, `year of ${paper.key}`);
              }
            },
          ),
          { numRuns: RUNS },
        );
      });
    }
  });
});

// ---------------------------------------------------------------------------------

describe('corrupt records: parseCslJson', () => {
  const read = (text: string): ReadResult => parseCslJson(text, { file: 'refs.json' });
  const good: Make = (n) => {
    const item = {
      id: `item${n}`,
      type: ['article-journal', 'paper-conference', 'book'][n % 3],
      title: `Study ${n} of networks`,
      author: [{ family: 'Doe', given: 'Jane' }, { literal: 'World Health Organization' }],
      issued: { 'date-parts': [[2020, 1 + (n % 12)]] },
    };
    return { text: n % 2 ? JSON.stringify(item, null, 2) : JSON.stringify(item), yields: `item${n}` };
  };
  const corrupt: Make[] = [
    (n) => ({ text: `"a string, not an item ${n}"`, diagnosticAt: 0 }),
    (n) => ({ text: `${n}`, diagnosticAt: 0 }),
    () => ({ text: 'null', diagnosticAt: 0 }),
    (n) => ({ text: `[{"id": "nested${n}", "title": "An item inside an array"}]`, diagnosticAt: 0 }),
    (n) => ({ text: `{"type": "book", "title": "An Item Without an id ${n}"}`, diagnosticAt: 0 }),
    (n) => ({ text: `{\n  "id": ["not", "text", ${n}],\n  "title": "An id of the wrong type"\n}`, diagnosticAt: 0 }),
    (n) => ({ text: `{"id": {"nested": ${n}}, "title": "An id that is an object"}`, diagnosticAt: 0 }),
    (n) => ({ text: `{"id": "has spaces ${n}", "title": "An id unsafe in \\\\cite"}`, diagnosticAt: 0 }),
    // Not valid JSON: the other items are still read, one by one.
    (n) => ({ text: `{"id": "broken${n}", "title": "A comma missing" "year": 2000}`, diagnosticAt: 0 }),
    (n) => ({ text: `{\n  "id": "broken${n}",\n  "title": "A trailing comma",\n}`, diagnosticAt: 0 }),
    (n) => ({ text: `{'id': 'broken${n}', 'title': 'Single quotes'}`, diagnosticAt: 0 }),
  ];

  skipsExactlyTheCorrupt({ records: 'items' }, { read, id: (p) => p.key }, { good, corrupt }, { head: '[\n', seps: [',\n', ',\n\n', ', '], tail: '\n]\n' });
});
