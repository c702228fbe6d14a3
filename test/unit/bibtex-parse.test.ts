import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { bibtexKeys, fieldOf, parseBibtex, readBibtex } from '../../src/core/bibtex/parse';
import { PaperSchema, type Paper, type ReadResult } from '../../src/core/model';
import { repoRoot, sharedDir } from './helpers';

const FIXTURES = path.join(repoRoot, 'test', 'unit', 'fixtures', 'bib');

function readFixture(name: string): { text: string; result: ReadResult } {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  return { text, result: parseBibtex(text, { file: name }) };
}

function byKey(result: ReadResult, key: string): Paper {
  const p = result.papers.find((x) => x.key === key);
  assert.ok(p, `no paper with key ${key}; keys: ${result.papers.map((x) => x.key).join(', ')}`);
  return p;
}

/** The 1-based line of the first line of `text` that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `fixture lacks ${needle}`);
  return text.slice(0, i).split('\n').length;
}

/**
 * An independent count of the entries in a file: lines that open with `@type{` or
 * `@type(`, other than @string, @preamble and @comment.
 */
function countEntryHeaders(text: string): number {
  return (text.match(/^[ \t]*@[ \t]*(?!(?:string|preamble|comment)[ \t]*[{(])[A-Za-z_][\w-]*[ \t]*[{(]/gim) ?? []).length;
}

describe('parseBibtex: syntax (fixtures/bib/syntax.bib)', () => {
  const { text, result } = readFixture('syntax.bib');

  it('reads every entry, skipping comments, @string and @preamble, with the header line of each', () => {
    assert.deepStrictEqual(
      result.papers.map((p) => [p.key, p.source.line]),
      [
        ['Knuth:1984', lineOf(text, '@article{Knuth:1984')],
        ['paren/entry-1', lineOf(text, '@InProceedings(paren/entry-1')],
        ['spaced', lineOf(text, '@misc{ spaced')],
        ['upper:CASE', lineOf(text, '@Book{upper:CASE')],
        ['no-comma', lineOf(text, '@article{no-comma')],
        ['biblatex-date', lineOf(text, '@online{biblatex-date')],
        ['empty-fields', lineOf(text, '@misc{empty-fields}')],
      ],
    );
    assert.ok(!result.papers.some((p) => p.key === 'hidden' || p.key === 'nope'));
  });

  it('keeps keys exactly as written and records the file', () => {
    const p = byKey(result, 'upper:CASE');
    assert.strictEqual(p.source.file, 'syntax.bib');
    assert.strictEqual(p.extra?.entryType, 'book');
  });

  it('expands @string macros and # concatenation, in quoted and braced values', () => {
    const p = byKey(result, 'paren/entry-1');
    assert.strictEqual(p.extra?.fields?.booktitle, 'Proc. Fifteenth Annual Symposium on the Theory of Computing');
    assert.strictEqual(p.extra?.fields?.publisher, 'Association for Computing Machinery Press');
    assert.strictEqual(p.title, 'On VLSI Circuits (and more)');
    assert.deepStrictEqual(p.authors, [
      { given: 'Alfred V.', family: 'Aho' },
      { given: 'Jeffrey D.', family: 'Ullman' },
    ]);
  });

  it('reads months from macros, names and numbers, and bare-number years', () => {
    assert.deepStrictEqual([byKey(result, 'Knuth:1984').year, byKey(result, 'Knuth:1984').month], [1984, 5]);
    assert.strictEqual(byKey(result, 'paren/entry-1').month, 6);
    assert.strictEqual(byKey(result, 'spaced').month, 12);
  });

  it('removes braces and collapses blanks for display; keeps a brace-protected quote', () => {
    const p = byKey(result, 'spaced');
    assert.strictEqual(p.title, 'Nested braces deeply nested stay');
    assert.strictEqual(p.extra?.fields?.note, 'A quote with " inside');
  });

  it('lower-cases field names, keeps the first of a repeated field and warns', () => {
    const p = byKey(result, 'upper:CASE');
    assert.strictEqual(p.title, 'Fields in Upper Case');
    assert.strictEqual(p.year, 1999);
    const d = result.diagnostics.find((x) => x.message.includes('repeats field "title"'));
    assert.strictEqual(d?.line, lineOf(text, 'A repeated field is ignored'));
    assert.strictEqual(d?.severity, 'warning');
  });

  it('reads on past a missing comma between fields, with a warning on that line', () => {
    const p = byKey(result, 'no-comma');
    assert.strictEqual(p.year, 2002);
    const d = result.diagnostics.find((x) => x.message.includes('missing ","'));
    assert.strictEqual(d?.line, lineOf(text, 'year = 2002'));
  });

  it('reads biblatex dates, arXiv categories, code links and "and others"', () => {
    const p = byKey(result, 'biblatex-date');
    assert.deepStrictEqual([p.year, p.month, p.day], [2025, 4, 25]);
    assert.deepStrictEqual(p.authors, [
      { given: 'Konstantin', family: 'Schürholt' },
      { given: 'Léo', family: 'Meynent' },
    ]);
    assert.strictEqual(p.authorsTruncated, true);
    assert.deepStrictEqual(p.category, { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' });
    assert.strictEqual(p.codeUrl, 'https://github.com/ModelZoos/PhaseTransitionZoo');
    assert.strictEqual(p.hasCode, true);
    assert.strictEqual(p.extra?.arxivId, '2504.18072');
  });

  it('lists an entry without a title as "(untitled)" with a warning', () => {
    const p = byKey(result, 'empty-fields');
    assert.strictEqual(p.title, '(untitled)');
    assert.ok(result.diagnostics.some((d) => d.line === p.source.line && d.message.includes('no title')));
  });

  it('reports nothing else', () => {
    assert.strictEqual(result.diagnostics.length, 3, JSON.stringify(result.diagnostics));
  });
});

describe('parseBibtex: broken entries (fixtures/bib/broken.bib)', () => {
  const { text, result } = readFixture('broken.bib');
  const errorAt = (needle: string): string => {
    const line = lineOf(text, needle);
    const d = result.diagnostics.find((x) => x.line === line && x.severity === 'error');
    assert.ok(d, `no error on line ${line} (${needle}); got ${JSON.stringify(result.diagnostics)}`);
    return d.message;
  };

  it('still loads every good entry after each broken one', () => {
    for (const key of ['good1', 'good2', 'good3']) byKey(result, key);
    assert.strictEqual(byKey(result, 'good2').title, 'Second Good Entry');
  });

  it('reports an entry missing its closing brace at the entry, and keeps what it read', () => {
    assert.match(errorAt('@article{missing-close'), /"missing-close" is not closed.*next entry \(line \d+\)/);
    assert.strictEqual(byKey(result, 'missing-close').year, 2002);
  });

  it('cuts a value with unbalanced braces at its line and reads the fields after it', () => {
    assert.match(errorAt('publisher = {Taylor'), /unbalanced braces in field "publisher" of entry "runaway-value"/);
    const p = byKey(result, 'runaway-value');
    assert.strictEqual(p.extra?.fields?.publisher, 'Taylor & Francis');
    assert.strictEqual(p.year, 2003);
    assert.strictEqual(p.extra?.doi, '10.1000/xyz');
  });

  it('names an entry written without a key, and says so', () => {
    const message = errorAt('@article{,');
    const p = result.papers.find((x) => x.title === 'Entry Without a Key');
    assert.ok(p);
    assert.strictEqual(p.key, 'author2004entry');
    assert.ok(message.includes(`"${p.key}"`), message);
  });

  it('reports an entry whose key is missing entirely, with line and column', () => {
    const line = lineOf(text, 'Key Missing Entirely');
    const d = result.diagnostics.find((x) => x.line === line);
    assert.deepStrictEqual([d?.column, d?.message], [10, '@article entry has no citation key']);
    assert.ok(!result.papers.some((p) => p.title === 'Key Missing Entirely'));
  });

  it('reports a field without "=" where it is, and keeps the fields before it', () => {
    assert.match(errorAt('journal {Oops}'), /expected "=" after field "journal" of entry "bad-field"/);
    assert.strictEqual(byKey(result, 'bad-field').title, 'Field Without Equals');
  });

  it('warns about an undefined macro and shows its name', () => {
    const d = result.diagnostics.find((x) => x.message.includes('undefined macro "undefinedmacro"'));
    assert.strictEqual(d?.line, lineOf(text, 'note = undefinedmacro'));
    assert.strictEqual(byKey(result, 'good3').extra?.fields?.note, 'undefinedmacro');
  });

  it('reports an entry cut off by the end of the file', () => {
    assert.match(errorAt('@article{unclosed-at-eof'), /not closed.*end of the file/);
    assert.strictEqual(byKey(result, 'unclosed-at-eof').title, 'Last Entry Runs Off The End');
  });

  it('reports a header alone on its line as an empty entry and reads the next one', () => {
    const r = parseBibtex('@article{\n@article{\n@book{next, title = {Kept}}\n', { file: 'empty.bib' });
    assert.deepStrictEqual(r.papers.map((p) => `${p.key}: ${p.title} (line ${p.source.line})`), ['next: Kept (line 3)']);
    assert.deepStrictEqual(
      r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`),
      [
        '1:1 error @article entry is empty: it has no key and runs into the next entry (line 2)',
        '2:1 error @article entry is empty: it has no key and runs into the next entry (line 3)',
      ],
    );
  });

  it('reads the fields of an entry whose key has a blank in it, with an error at the key', () => {
    const r = parseBibtex('@misc{with space, title = {T}, year = 2000}\n', { file: 'spaced.bib' });
    assert.deepStrictEqual(r.papers.map((p) => [p.key, p.title, p.year]), [['with', 'T', 2000]]);
    assert.deepStrictEqual(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`), [
      '1:7 error citation key "with space" has blanks in it, which BibTeX does not allow: listed as "with"',
    ]);
  });

  it('warns when a "}" too many ends an entry before fields on the same line', () => {
    const r = parseBibtex('@misc{a, title = {x}}, year = 2000}\n@misc{b, title = {y}}, \n', { file: 'extra.bib' });
    assert.deepStrictEqual(r.papers.map((p) => [p.key, p.year]), [['a', null], ['b', null]]);
    assert.deepStrictEqual(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.message}`), [
      '1:21 warning entry "a" ends here, but fields follow ("year" …): a "}" too many? They are ignored',
    ]);
  });

  it('never throws on arbitrary truncations of a file', () => {
    for (let cut = 0; cut < text.length; cut += 7) {
      const r = parseBibtex(text.slice(0, cut), { file: 'cut.bib' });
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.line <= cut + 1);
    }
  });
});

describe('parseBibtex: crossref inheritance (fixtures/bib/crossref.bib)', () => {
  const { result } = readFixture('crossref.bib');
  const fields = (key: string): Record<string, string> => byKey(result, key).extra?.fields ?? {};

  it("makes a book's title the booktitle of its chapter, child fields winning", () => {
    const f = fields('chapter');
    assert.strictEqual(f.booktitle, 'The Whole Book');
    assert.strictEqual(f.booksubtitle, 'With a Subtitle');
    assert.strictEqual(f.title, 'A Chapter');
    assert.strictEqual(f.shorttitle, undefined);
    assert.strictEqual(f.publisher, 'Publisher');
    assert.strictEqual(byKey(result, 'chapter').year, 2010);
    assert.deepStrictEqual(byKey(result, 'chapter').authors, [{ given: 'Ann', family: 'Chapter' }]);
  });

  it('looks the parent up case-insensitively and does not inherit ids', () => {
    const f = fields('talk');
    assert.strictEqual(f.booktitle, 'Proceedings of Something');
    assert.strictEqual(f.editor, 'Eve Editor');
    assert.strictEqual(f.ids, undefined);
  });

  it("prefers a classic parent's own booktitle over its title", () => {
    assert.strictEqual(fields('talk-classic').booktitle, 'Proceedings of the Classic Conference');
  });

  it('inherits through chains (inbook → book → mvbook)', () => {
    const f = fields('deep');
    assert.strictEqual(f.booktitle, 'Volume One');
    assert.strictEqual(f.maintitle, 'Collected Works');
    assert.strictEqual(byKey(result, 'deep').year, 1990);
  });

  it('warns about a missing parent', () => {
    const p = byKey(result, 'orphan');
    assert.ok(result.diagnostics.some((d) => d.line === p.source.line && d.message.includes('"does-not-exist" not found')));
  });
});

describe('parseBibtex: arXiv and code links (fixtures/bib/arxiv.bib)', () => {
  const { result } = readFixture('arxiv.bib');

  it('reads arXiv ids without version from eprint, DOI and "arXiv:" text', () => {
    assert.strictEqual(byKey(result, 'eprint-biblatex').extra?.arxivId, '2410.10912');
    assert.strictEqual(byKey(result, 'eprint-classic').extra?.arxivId, 'hep-th/9901001');
    assert.strictEqual(byKey(result, 'arxiv-doi').extra?.arxivId, '2309.12345');
    assert.strictEqual(byKey(result, 'arxiv-doi').extra?.doi, '10.48550/arXiv.2309.12345');
    assert.strictEqual(byKey(result, 'scholar').extra?.arxivId, '2301.00001');
  });

  it('keeps a DOI without its resolver prefix, whichever resolver form the file writes', () => {
    const text = [
      '@misc{www, title = {W}, doi = {https://www.doi.org/10.48550/arXiv.2309.12345}}',
      '@misc{dx, title = {D}, doi = {http://dx.doi.org/10.1002/%28SICI%291097-4571}}',
      '@misc{scheme, title = {S}, doi = {doi: 10.1000/ABC}}',
    ].join('\n');
    const papers = parseBibtex(text, { file: 'doi.bib' }).papers;
    assert.deepStrictEqual(papers.map((p) => [p.key, p.extra?.doi, p.extra?.arxivId]), [
      ['www', '10.48550/arXiv.2309.12345', '2309.12345'],
      ['dx', '10.1002/(SICI)1097-4571', undefined],
      ['scheme', '10.1000/ABC', undefined],
    ]);
  });

  it('takes the category from eprintclass/primaryclass of arXiv e-prints', () => {
    assert.deepStrictEqual(byKey(result, 'eprint-biblatex').category, { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' });
    assert.deepStrictEqual(byKey(result, 'math-class').category, { code: 'CV', archive: 'math.CV', name: null });
    assert.deepStrictEqual(byKey(result, 'eprint-classic').category, { code: 'hep-th', archive: 'hep-th', name: null });
    assert.strictEqual(byKey(result, 'scholar').category, null);
  });

  it('takes code links from code fields, and from url/note only on code hosts', () => {
    assert.strictEqual(byKey(result, 'code-field').codeUrl, 'https://example.org/my-code');
    assert.strictEqual(byKey(result, 'code-in-url').codeUrl, 'https://gitlab.com/group/project');
    assert.strictEqual(byKey(result, 'code-in-note').codeUrl, 'https://github.com/owner/repo');
    assert.strictEqual(byKey(result, 'paper-url').codeUrl, null);
    assert.strictEqual(byKey(result, 'paper-url').hasCode, false);
  });

  it('never keeps a non-http(s) link', () => {
    assert.strictEqual(byKey(result, 'unsafe-code').codeUrl, null);
    assert.strictEqual(byKey(result, 'unsafe-code').hasCode, false);
  });
});

describe('parseBibtex: large and repetitive files', () => {
  it('warns about each of the first 100 entries that repeat a key, then once about the rest, and keeps every entry', () => {
    const entries = Array.from({ length: 260 }, (_, i) => `@misc{k${i % 100},\n  title = {Entry ${i}},\n}`);
    const result = parseBibtex(entries.join('\n'), { file: 'repeats.bib' });
    assert.strictEqual(result.papers.length, 260);
    const listed = result.diagnostics.filter((d) => d.message.startsWith('duplicate key'));
    assert.strictEqual(listed.length, 100);
    assert.deepStrictEqual(
      [listed[0].line, listed[0].message],
      [301, 'duplicate key "k0" (first defined on line 1)'],
    );
    const rest = result.diagnostics.filter((d) => !d.message.startsWith('duplicate key'));
    assert.deepStrictEqual(rest, [
      {
        line: 3 * 200 + 1,
        column: 1,
        severity: 'warning',
        message:
          '60 more entries repeat keys defined earlier in the file, from this line on ' +
          '(160 entries with a repeated key in all; the first 100 are listed one by one)',
      },
    ]);
  });

  it('gives the raw value of each field through fieldOf, macros and # parts joined', () => {
    const bib = readBibtex('@string{j = {Journal}}\n@article{a, Title = {A {B} c}, journal = j # { X}, year = 2001, note = "q"}');
    const [entry] = bib.entries;
    assert.deepStrictEqual(
      ['title', 'journal', 'year', 'note', 'pages'].map((name) => fieldOf(entry, name)),
      ['A {B} c', 'Journal X', '2001', 'q', undefined],
    );
  });

  it('reads field names in any case, however many different names a file uses', () => {
    const names = Array.from({ length: 3000 }, (_, i) => `Field${i}X`);
    const text = names.map((name, i) => `@misc{e${i}, title = {T${i}}, ${name} = {v${i}}, ${name.toUpperCase()}2 = {w${i}}}`).join('\n');
    const result = parseBibtex(text, { file: 'names.bib' });
    assert.deepStrictEqual(result.diagnostics, []);
    result.papers.forEach((p, i) => {
      assert.deepStrictEqual(p.extra?.fields, { title: `T${i}`, [`field${i}x`]: `v${i}`, [`field${i}x2`]: `w${i}` });
    });
  });

  it('makes extra.fields on first read; a copy, JSON and structured clone see a plain property', () => {
    const text = '@string{j = {J. of {T}ests}}\n@article{a, title = {On {T}ests}, journal = j, pages = {1--2}, url = { https://x.org/a }}';
    const read = (): Paper => parseBibtex(text, { file: 'lazy.bib' }).papers[0];
    const expected = { title: 'On Tests', journal: 'J. of Tests', pages: '1–2', url: 'https://x.org/a' };
    assert.deepStrictEqual(structuredClone(read()).extra?.fields, expected);
    assert.deepStrictEqual({ ...read().extra }.fields, expected);
    assert.deepStrictEqual(JSON.parse(JSON.stringify(read())).extra.fields, expected);
    const p = read();
    assert.deepStrictEqual(Object.keys(p.extra ?? {}), ['entryType', 'fields']);
    assert.deepStrictEqual(p.extra?.fields, expected);
    assert.strictEqual(p.extra?.fields, p.extra?.fields, 'made once, then kept');
    p.extra!.fields = { note: 'replaced' };
    assert.deepStrictEqual(p.extra?.fields, { note: 'replaced' });
  });
});

describe('bibtexKeys', () => {
  it('maps every key of an entry to its header line, skipping @string/@comment/@preamble', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'syntax.bib'), 'utf8');
    const keys = bibtexKeys(text);
    const papers = parseBibtex(text, { file: 'syntax.bib' }).papers;
    assert.deepStrictEqual([...keys], papers.map((p) => [p.key, p.source.line]));
  });

  it('agrees with the full reader on broken files (keys that have one)', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'broken.bib'), 'utf8');
    const fromReader = readBibtex(text).entries.filter((e) => e.key).map((e) => [e.key, e.line]);
    assert.deepStrictEqual([...bibtexKeys(text)], fromReader);
  });

  it('keeps the first line of a repeated key', () => {
    assert.deepStrictEqual([...bibtexKeys('@misc{a,}\n@misc{b,}\n@misc{a,}\n')], [['a', 1], ['b', 2]]);
  });
});

describe('parseBibtex: real-world files (../shared/data)', () => {
  const files = (): string[] => {
    const data = path.join(sharedDir(), 'data');
    return ['bib', 'bib-exports'].flatMap((dir) =>
      fs.readdirSync(path.join(data, dir)).filter((f) => f.endsWith('.bib')).map((f) => path.join(data, dir, f)),
    );
  };

  it('finds the ten shared files', () => {
    assert.strictEqual(files().length, 10);
  });

  it('returns every entry of every file: as a paper, or as an error naming its line', () => {
    for (const file of files()) {
      const text = fs.readFileSync(file, 'utf8');
      const expected = countEntryHeaders(text);
      const entries = readBibtex(text).entries;
      assert.strictEqual(entries.length, expected, `${path.basename(file)}: entries read`);
      const result = parseBibtex(text, { file });
      const skipped = result.diagnostics.filter((d) => d.message.includes('skipped'));
      assert.strictEqual(result.papers.length + skipped.length, expected, `${path.basename(file)}: papers + skipped`);
      for (const d of skipped) assert.match(text.split('\n')[d.line - 1], /^\s*@/);
    }
  });

  it('returns papers that all meet the record schema', () => {
    for (const file of files()) {
      for (const p of parseBibtex(fs.readFileSync(file, 'utf8'), { file }).papers) {
        const check = PaperSchema.safeParse(p);
        assert.ok(check.success, `${path.basename(file)}, entry "${p.key}": ${JSON.stringify(check.error?.issues)}`);
      }
    }
  });

  it('reads accents, special letters and case-protected words of biblatex-examples.bib', () => {
    const file = path.join(sharedDir(), 'data', 'bib', 'biblatex-examples.bib');
    const result = parseBibtex(fs.readFileSync(file, 'utf8'), { file });
    const aksin = byKey(result, 'aksin');
    assert.deepStrictEqual(
      aksin.authors.map((a) => `${a.given} ${a.family}`),
      ['Özge Aksın', 'Hayati Türkmen', 'Levent Artok', 'Bekir Çetinkaya', 'Chaoying Ni', 'Orhan Büyükgüngör', 'Erhan Özkal'],
    );
    assert.strictEqual(
      aksin.title,
      'Effect of immobilization on catalytic characteristics of saturated Pd-N-heterocyclic carbenes in Mizoroki-Heck reactions',
    );
    assert.strictEqual(
      byKey(result, 'nietzsche:ksa1').title,
      'Die Geburt der Tragödie. Unzeitgemäße Betrachtungen I–IV. Nachgelassene Schriften 1870–1973',
    );
    assert.strictEqual(byKey(result, 'knuth:ct:a').title, 'The TeXbook');
  });

  it('inherits from a crossref parent in biblatex-examples.bib', () => {
    const file = path.join(sharedDir(), 'data', 'bib', 'biblatex-examples.bib');
    const result = parseBibtex(fs.readFileSync(file, 'utf8'), { file });
    const space = byKey(result, 'westfahl:space');
    assert.strictEqual(space.extra?.fields?.booktitle, 'Space and Beyond');
    assert.strictEqual(space.extra?.fields?.publisher, 'Greenwood');
    assert.strictEqual(space.year, 2000);
  });

  it('reads @string concatenation, crossref and month-with-day in xampl.bib', () => {
    const file = path.join(sharedDir(), 'data', 'bib', 'xampl.bib');
    const result = parseBibtex(fs.readFileSync(file, 'utf8'), { file });
    const full = byKey(result, 'inproceedings-full');
    assert.strictEqual(full.extra?.fields?.booktitle, 'Proc. Fifteenth Annual ACM Symposium on the Theory of Computing');
    assert.strictEqual(full.extra?.fields?.publisher, 'Academic Press');
    const crossref = byKey(result, 'inproceedings-crossref');
    assert.strictEqual(crossref.extra?.fields?.booktitle, 'Proc. Fifteenth Annual ACM Symposium on the Theory of Computing');
    assert.strictEqual(crossref.year, 1983);
    const inbook = byKey(result, 'inbook-full');
    assert.deepStrictEqual([inbook.year, inbook.month, inbook.day], [1973, 1, 10]);
  });
});
