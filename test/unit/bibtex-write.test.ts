import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseBibtex } from '../../src/core/bibtex/parse';
import { formatName, protectTitle, toBibtex, toBibtexFile, toLatex } from '../../src/core/bibtex/write';
import { parseListing } from '../../src/core/listing';
import { toPublicJson, type Paper } from '../../src/core/model';
import { paper, seedListing, sharedDir } from './helpers';

/** The independent parser (ESM only: loaded with a dynamic import). */
type Retorquere = typeof import('@retorquere/bibtex-parser', { with: { 'resolution-mode': 'import' } });
let retorquere: Retorquere | undefined;
async function independent(): Promise<Retorquere> {
  retorquere ??= await import('@retorquere/bibtex-parser');
  return retorquere;
}

/** It returns decomposed accents (`u` + U+0308); compare composed. */
const nfc = (s: string | undefined): string => (s ?? '').normalize('NFC');

/** LaTeX typesets a typed `--`/`---` as an en/em dash; both readers show them so. */
const dashes = (s: string): string => s.replace(/---?/g, (d) => (d === '---' ? '—' : '–'));
/** …and a typed `` ` `` as ‘, which our reader shows too. */
const typeset = (s: string): string => dashes(s).replace(/`/g, '‘');

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function seedPapers(): Paper[] {
  const seed = seedListing();
  const result = parseListing(seed.text, { file: seed.file, captured: seed.captured });
  assert.strictEqual(result.papers.length, 14);
  return result.papers;
}

/** Hand-made records with everything the writer must escape or protect. */
const TRICKY: Paper[] = [
  paper({
    key: 'special:chars/1.0-beta+x',
    title: 'Costs & Benefits: 50% of $5 for #1 under_score {braces} ~tilde^ and back\\slash <a>',
    authors: [{ given: 'Łukasz', family: 'Kaiser' }, { given: 'Bjørn', family: 'Ødegaard' }, { given: 'Émile', family: 'Zola' }],
    abstract: 'Abstract with 100% & $x_1$ ^ ~ # {unbalanced and “curly quotes” — dashes – too…',
    year: 2024,
    month: 3,
    hasCode: true,
    codeUrl: 'https://github.com/some_org/repo-name',
  }),
  paper({
    key: 'accents2023',
    title: 'Ünïcødé Tïtlé with Dvořák, Ñúñez, Ça, Şahin, Erdős and Ångström: α-stable Laws ≤ β at 1.55 µm and 20 °C',
    authors: [
      { given: 'Antonín', family: 'Dvořák' },
      { given: 'Ludwig', family: 'van Beethoven' },
      { given: 'Henry', family: 'Ford, Jr.' },
      { given: '', family: 'World Health Organization' },
      { given: '', family: 'Barnes and Noble' },
    ],
    authorsTruncated: true,
    year: 2023,
    month: 12,
    day: 31,
    category: { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' },
  }),
];

describe('toLatex', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'],
    ['A & B 50% $5 #1 a_b', 'A \\& B 50\\% \\$5 \\#1 a\\_b'],
    ['{x}', '{\\textbraceleft}x{\\textbraceright}'],
    ['~^\\', '{\\textasciitilde}{\\textasciicircum}{\\textbackslash}'],
    ['Schürholt', 'Sch{\\"u}rholt'],
    ['Léo', 'L{\\\'e}o'],
    ['Antonín', 'Anton{\\\'i}n'],
    ['Dvořák', 'Dvo{\\v{r}}{\\\'a}k'],
    ['Straße Łódź Ørsted', 'Stra{\\ss}e {\\L}{\\\'o}d{\\\'z} {\\O}rsted'],
    ['a–b—c “q” ’', 'a--b---c ``q\'\' \''],
    ['Crackin’”', "Crackin'{}''"],
    ['Thế', "Th{\\'{\\^e}}"],
    ['Ștefan Țiriac', '{\\c{S}}tefan {\\c{T}}iriac'],
    ['α ≤ β', '$\\alpha$ $\\leq$ $\\beta$'],
    ['日本', '日本'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.strictEqual(toLatex(input), expected));
  }
});

describe('protectTitle', () => {
  it('braces words with capitals after their first letter, not ordinary capitalised words', () => {
    assert.strictEqual(
      protectTitle('AlphaPruning: Using Heavy-Tailed Theory for LLMs and GPT-4o in 3D'),
      '{AlphaPruning}: Using Heavy-Tailed Theory for {LLMs} and {GPT}-4o in {3D}',
    );
  });
});

describe('protectTitle: what sentence-casing styles would lose', () => {
  const rows: [string, string][] = [
    ['BERT: Pre-training of T5 and Q-learning', '{BERT}: Pre-training of {T5} and {Q}-learning'],
    ['Vitamin D and Type I Errors in A Study of L2 (Faster R-CNN)', 'Vitamin {D} and Type {I} Errors in A Study of {L2} (Faster {R}-{CNN})'],
    ['An Õ(√T) Bound with 10\u2009000 Samples', 'An {{\\~O}($\\surd$T}) Bound with 10\\,000 Samples'],
  ];
  for (const [title, expected] of rows) {
    it(`${JSON.stringify(title)} → ${JSON.stringify(expected)}`, () => assert.strictEqual(protectTitle(title), expected));
  }
});

describe('formatName', () => {
  it('writes "Last, First", keeps particles and suffixes, braces corporate names', () => {
    assert.strictEqual(formatName({ given: 'Léo', family: 'Meynent' }), 'Meynent, L{\\\'e}o');
    assert.strictEqual(formatName({ given: 'Ludwig', family: 'van Beethoven' }), 'van Beethoven, Ludwig');
    assert.strictEqual(formatName({ given: 'Henry', family: 'Ford, Jr.' }), 'Ford, Jr., Henry');
    assert.strictEqual(formatName({ given: '', family: 'Aristotle' }), 'Aristotle');
    assert.strictEqual(formatName({ given: '', family: 'Barnes and Noble' }), '{Barnes and Noble}');
    assert.strictEqual(formatName({ given: '', family: 'World Health Organization' }), '{World Health Organization}');
  });
});

describe('toBibtex', () => {
  it('writes a listing record as @misc with macro month, biblatex date, arXiv class and code link', () => {
    assert.strictEqual(
      toBibtex(TRICKY[1]).split('\n').filter((l) => /^\s+(month|date|eprinttype|eprintclass) =/.test(l)).join('\n'),
      '  month = dec,\n  date = {2023-12-31},\n  eprinttype = {arxiv},\n  eprintclass = {cs.LG}',
    );
    assert.match(toBibtex(TRICKY[0]), /^@misc\{special:chars\/1\.0-beta\+x,\n/);
    assert.match(toBibtex(TRICKY[0]), /\n {2}code = \{https:\/\/github\.com\/some_org\/repo-name\}/);
    assert.match(toBibtex(TRICKY[1]), /and \{Barnes and Noble\} and others\}/);
  });

  it('keeps a BibTeX record’s type and fields, drops crossref, writes editors as editors', () => {
    const fromBib = parseBibtex(
      [
        '@proceedings{proc, editor = {Eve Editor}, title = {Proceedings}, year = 2011, publisher = {ACM}}',
        '@inproceedings{talk, author = {Bob Talk}, title = {A {Talk}}, crossref = {proc},',
        '  url = {https://example.org/a_b%20c}, pages = {1--2}}',
      ].join('\n'),
      { file: 'x.bib' },
    ).papers;
    const [proc, talk] = fromBib.map(toBibtex);
    assert.match(proc, /^@proceedings\{proc,/);
    assert.match(proc, /\n {2}editor = \{Editor, Eve\}/);
    assert.doesNotMatch(proc, /author =/);
    assert.match(talk, /^@inproceedings\{talk,/);
    assert.match(talk, /\n {2}booktitle = \{Proceedings\}/);
    assert.match(talk, /\n {2}url = \{https:\/\/example\.org\/a_b%20c\}/);
    assert.match(talk, /\n {2}pages = \{1--2\}/);
    assert.doesNotMatch(talk, /crossref/);
  });

  it('does not invent a title for an entry that had none', () => {
    const [untitled] = parseBibtex('@misc{x, year = 2000}', { file: 'x.bib' }).papers;
    assert.strictEqual(untitled.title, '(untitled)');
    assert.doesNotMatch(toBibtex(untitled), /title/);
  });

  it('writes an empty list as an empty file, otherwise entries separated by blank lines', () => {
    assert.strictEqual(toBibtexFile([]), '');
    assert.match(toBibtexFile(TRICKY), /^@misc\{[^]*\n}\n\n@misc\{[^]*\n}\n$/);
  });
});

describe('toBibtex: round trips', () => {
  /** What our reader gets back, public fields only, source aside. */
  const publicPart = (p: Paper): Omit<ReturnType<typeof toPublicJson>, 'source'> => {
    const { source: _source, ...rest } = toPublicJson(p);
    return rest;
  };

  it('reads the 14 seed records back with our reader, field for field', () => {
    const papers = seedPapers();
    const back = parseBibtex(toBibtexFile(papers), { file: 'seeds.bib' });
    assert.deepStrictEqual(back.diagnostics, []);
    assert.strictEqual(back.papers.length, 14);
    papers.forEach((p, i) => {
      assert.deepStrictEqual(publicPart(back.papers[i]), {
        ...publicPart(p),
        abstract: typeset(p.abstract),
        // A listing's "Code" badge without a link has no BibTeX form: hasCode follows codeUrl.
        hasCode: p.codeUrl !== null,
      });
    });
  });

  it('reads the tricky records back with our reader, field for field', () => {
    const back = parseBibtex(toBibtexFile(TRICKY), { file: 'tricky.bib' });
    assert.deepStrictEqual(back.diagnostics, []);
    assert.deepStrictEqual(back.papers.map(publicPart), TRICKY.map(publicPart));
  });

  it('gives @retorquere/bibtex-parser the same 14 seed records', async () => {
    const { parse } = await independent();
    const papers = seedPapers();
    const lib = parse(toBibtexFile(papers), { english: false, sentenceCase: false, caseProtection: false });
    assert.deepStrictEqual(lib.errors, []);
    assert.strictEqual(lib.entries.length, 14);
    papers.forEach((p, i) => {
      const e = lib.entries[i];
      const f = e.fields;
      assert.strictEqual(e.key, p.key);
      assert.strictEqual(e.type, 'misc');
      assert.strictEqual(f.title, p.title);
      const names = (f.author ?? []).map((a) => (a.lastName === 'others' ? 'others' : nfc(`${a.firstName} ${a.lastName}`)));
      assert.deepStrictEqual(names, [...p.authors.map((a) => `${a.given} ${a.family}`), ...(p.authorsTruncated ? ['others'] : [])]);
      assert.strictEqual(f.year, String(p.year));
      assert.strictEqual(f.month, String(p.month));
      assert.strictEqual(f.date, `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`);
      assert.strictEqual(f.eprintclass, p.category?.archive);
      assert.strictEqual(f.code, p.codeUrl ?? undefined);
      assert.strictEqual(f.abstract, dashes(p.abstract));
      assert.strictEqual(MONTH_NAMES[Number(f.month) - 1], toBibtex(p).match(/month = (\w+)/)?.[1]);
    });
  });

  it('gives @retorquere/bibtex-parser the tricky titles, names and abstract', async () => {
    const { parse } = await independent();
    const lib = parse(toBibtexFile(TRICKY), { english: false, sentenceCase: false, caseProtection: false });
    assert.deepStrictEqual(lib.errors, []);
    assert.deepStrictEqual(lib.entries.map((e) => e.key), TRICKY.map((p) => p.key));
    assert.strictEqual(lib.entries[0].fields.title, TRICKY[0].title);
    assert.strictEqual(nfc(lib.entries[1].fields.title), TRICKY[1].title);
    assert.strictEqual(lib.entries[0].fields.abstract, TRICKY[0].abstract);
    assert.deepStrictEqual(
      lib.entries[0].fields.author?.map((a) => [nfc(a.firstName), nfc(a.lastName)]),
      [['Łukasz', 'Kaiser'], ['Bjørn', 'Ødegaard'], ['Émile', 'Zola']].map((n) => n.map(nfc)),
    );
    assert.deepStrictEqual(
      lib.entries[1].fields.author?.map((a) => nfc(a.name ?? [a.prefix, a.lastName, a.suffix, a.firstName].filter(Boolean).join('|'))),
      ['Dvořák|Antonín', 'van|Beethoven|Ludwig', 'Ford|Jr.|Henry', 'World Health Organization', 'Barnes and Noble', 'others'],
    );
  });
});

describe('toBibtex: real-world files (../shared/data)', () => {
  it('writes every paper of the ten shared files so that our reader reads the same back', () => {
    const data = path.join(sharedDir(), 'data');
    const files = ['bib', 'bib-exports'].flatMap((dir) =>
      fs.readdirSync(path.join(data, dir)).filter((f) => f.endsWith('.bib')).map((f) => path.join(data, dir, f)),
    );
    assert.strictEqual(files.length, 10);
    // Accents written decomposed (`e` + U+0301) are written as one letter and read back composed.
    const cited = (p: Paper): unknown => [p.key, p.authors.map((a) => ({ family: nfc(a.family), given: nfc(a.given) })), p.authorsTruncated, p.year, p.month, p.day, p.category, p.codeUrl];
    // TeX has one apostrophe: a typographic ’ is written as ' and reads back so.
    const title = (p: Paper): string => nfc(p.title).replace(/’/g, "'");
    for (const file of files) {
      const papers = parseBibtex(fs.readFileSync(file, 'utf8'), { file }).papers;
      const back = parseBibtex(toBibtexFile(papers), { file: 'back.bib' });
      const name = path.basename(file);
      assert.deepStrictEqual(back.diagnostics.filter((d) => d.severity === 'error'), [], name);
      assert.deepStrictEqual(back.papers.map(cited), papers.map(cited), name);
      assert.deepStrictEqual(back.papers.map(title), papers.map(title), name);
    }
  });
});
