/**
 * fast-check generators for the property tests of the readers (fuzz.test.ts runs them in
 * a worker, see fuzz-worker.ts): real-looking listing records, BibTeX entries and CSL-JSON
 * items, documents made of them, mutations that break them, random text, and the known
 * parser killers.
 *
 * A valid document carries what a correct reader must return from it (each paper's line,
 * and its key or title); a mutated document or random text carries nothing, and is only
 * held to the invariants every result must meet.
 */
import * as fc from 'fast-check';

export type Format = 'listing' | 'bibtex' | 'csl';

/** A paper a valid document must yield: the line its record starts on and its key or title. */
export interface Expected {
  line: number;
  key?: string;
  title?: string;
}

/** A generated input for a text reader. */
export interface TextCase {
  /** How the input was made, for messages. */
  kind: 'valid' | 'mutated' | 'random' | 'killer-mix';
  text: string;
  /** Present for valid documents only: the papers, in order. */
  expected?: Expected[];
}

/** Inputs are at most this long (in UTF-16 units); "big" inputs are filled to close to it. */
export const MAX_CASE_LENGTH = 64 * 1024;

/** A record of a document, written with `\n` line breaks. */
interface Rec {
  text: string;
  /** What the record must yield: `line` counts from the record's first line (0). */
  expect?: Omit<Expected, 'line'>;
}

// ---------------------------------------------------------------------------------
// Vocabulary

const TITLE_WORDS = [
  'Learning', 'Deep', 'Neural', 'Networks', 'of', 'with', 'for', 'the', 'a', 'Large', 'Language', 'Models',
  'Heavy-Tailed', 'Self-Regularization', 'GPT-4', 'LoRA', 'via', 'Spectral', 'Analysis', 'Pruning',
  'Diffusion', 'Zoo', 'Phase', 'Transitions', 'Verification', 'Step-Wise', 'RL4RLA:', 'Théorie', 'Über',
  'Sharpness-diversity', 'tradeoff:', 'improving', 'flat', 'ensembles', '2B', 'in', 'on', 'and', 'MD', 'tree:',
];
/** A listing title ends with one of these, so that the glue to the first author is unambiguous. */
const TITLE_ENDINGS = ['networks', 'models', 'learning', 'training', 'descent', 'quality', 'landscape', 'data', 'decoding'];
const GIVEN = ['Yefan', 'Jane', 'John', 'Léo', 'Konstantin', 'Haiquan', 'Jean-Pierre', 'Ada', 'Alan', 'Diederik P.', 'Zihang', 'María'];
const FAMILY = ['Zhou', 'Doe', 'Roe', 'Meynent', 'Schürholt', 'Lu', "O'Brien", 'Lovelace', 'Turing', 'Kingma', 'Liu', 'van der Maaten', 'García'];
const SENTENCE_WORDS = [
  'We', 'study', 'how', 'models', 'learn', 'from', 'data', 'and', 'show', 'that', 'spectral', 'metrics', 'predict',
  'quality', '(ESDs)', '97%', 'of', 'cases,', 'e.g.', 'GSM8K;', 'the', 'code', 'is', 'available.', 'naïve', '—', '“quoted”',
];
const CATEGORY_CODES = ['LG', 'CL', 'CV', 'ML', 'AI', 'RO', 'NE', 'IR', 'ZZ'];
const MONTHS = [
  ['Jan', 'January'], ['Feb', 'February'], ['Mar', 'March'], ['Apr', 'April'], ['May', 'May'], ['Jun', 'June'],
  ['Jul', 'July'], ['Aug', 'August'], ['Sep', 'September', 'Sept'], ['Oct', 'October'], ['Nov', 'November'], ['Dec', 'December'],
];
/** Days every year has in each month. */
const SAFE_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const CODE_URLS = ['https://github.com/YefanZhou/VerifySteer', 'https://gitlab.com/knuth/literate', 'https://example.org/project'];

const words = (pool: readonly string[], max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: max }).map((ws) => ws.join(' '));

const sentence = words(SENTENCE_WORDS, 24);
const personName = fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)).map(([g, f]) => `${g} ${f}`);
/** A key every reader and the model accept. */
const safeKey = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_:.\-+/'?*]{0,24}$/);

// ---------------------------------------------------------------------------------
// Listing records (the format of seeds/yefan-zhou-papers.txt)

const listingHeader = fc
  .record({
    code: fc.constantFrom(...CATEGORY_CODES),
    month: fc.nat(11),
    monthForm: fc.nat(2),
    day: fc.integer({ min: 1, max: 31 }),
    year: fc.option(fc.integer({ min: 1990, max: 2030 })),
    badge: fc.constantFrom('Code', '', '', 'Code'),
    spaced: fc.boolean(),
  })
  .map(({ code, month, monthForm, day, year, badge, spaced }) => {
    const forms = MONTHS[month] as string[];
    const name = forms[monthForm % forms.length] as string;
    const d = Math.min(day, SAFE_DAYS[month] as number);
    return `${code}${spaced ? ' ' : ''}${name} ${d}${year === null ? '' : `, ${year}`}${badge}`;
  });

const listingRecord: fc.Arbitrary<Rec> = fc
  .record({
    header: listingHeader,
    title: words(TITLE_WORDS, 12),
    ending: fc.constantFrom(...TITLE_ENDINGS),
    authors: fc.array(personName, { minLength: 1, maxLength: 6 }),
    etAl: fc.boolean(),
    abstract: fc.array(sentence, { maxLength: 3 }),
    url: fc.option(fc.constantFrom(...CODE_URLS)),
    blankAfter: fc.boolean(),
  })
  .map(({ header, title, ending, authors, etAl, abstract, url, blankAfter }) => {
    const fullTitle = `${title} ${ending}`;
    const lines = [header, `${fullTitle}${authors.join(', ')}${etAl ? ' et al.' : ''}`, ...abstract];
    if (url !== null) lines.push(`Code is at ${url}.`);
    if (blankAfter) lines.push('');
    return { text: lines.join('\n'), expect: { title: fullTitle } };
  });

// ---------------------------------------------------------------------------------
// BibTeX entries

/** Text for a braced value: words, brace groups, accents and math, balanced by construction. */
const bibText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...TITLE_WORDS, ...SENTENCE_WORDS) },
      { weight: 1, arbitrary: fc.constantFrom('{GPU}', '{\\"o}', "\\'e", '{\\ss}', '$\\alpha^2$', '\\&', '{{BERT}}', '\\textbf{bold}', '50\\%', '--') },
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((ws) => ws.join(' '));

const bibName = fc.oneof(
  personName,
  fc.tuple(fc.constantFrom(...FAMILY), fc.constantFrom(...GIVEN)).map(([f, g]) => `${f}, ${g}`),
  fc.constantFrom('{World Health Organization}', 'M{\\"u}ller, J{\\"o}rg', 'King, Jr., Martin Luther', 'de la Fontaine, Jean'),
);
const bibAuthors = fc
  .tuple(fc.array(bibName, { minLength: 1, maxLength: 8 }), fc.boolean())
  .map(([names, others]) => [...names, ...(others ? ['others'] : [])].join(' and '));

/** A value as written after `=`: braced, quoted, a number, a month macro, or a concatenation. */
const bibValue = (text: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: text.map((t) => `{${t}}`) },
    { weight: 2, arbitrary: text.map((t) => `"${t}"`) },
    { weight: 1, arbitrary: text.map((t) => `{${t}} # " part two"`) },
  );

const bibField = fc.oneof(
  bibValue(bibText).map((v) => `title = ${v}`),
  bibValue(bibAuthors).map((v) => `author = ${v}`),
  bibValue(bibAuthors).map((v) => `editor = ${v}`),
  fc.integer({ min: 1900, max: 2030 }).map((y) => `year = ${y}`),
  fc.constantFrom('jan', 'feb', 'may', 'sep', 'dec', '{10~January}', '5', '13').map((m) => `month = ${m}`),
  fc.constantFrom('{2024-05-20}', '{2023}', '{2025-13-45}').map((d) => `date = ${d}`),
  bibValue(bibText).map((v) => `journal = ${v}`),
  fc.array(sentence, { minLength: 1, maxLength: 3 }).map((ss) => `abstract = {${ss.join('\n    ')}}`),
  fc.constantFrom(...CODE_URLS, 'https://arxiv.org/abs/2504.18072').map((u) => `url = {${u}}`),
  fc.constantFrom('10.48550/arXiv.2504.18072', 'https://doi.org/10.1000/xyz').map((d) => `doi = {${d}}`),
  fc.constantFrom('eprint = {2504.18072}, archiveprefix = {arXiv}, primaryclass = {cs.LG}', 'eprinttype = {arxiv}, eprint = {cs/0112017}'),
  fc.constantFrom('pages = {1--10}', 'note = {Code: https://github.com/a/b}', 'keywords = {a, b}', 'publisher = jml'),
);

const bibEntry: fc.Arbitrary<Rec> = fc
  .record({
    type: fc.constantFrom('article', 'inproceedings', 'book', 'misc', 'online', 'techreport', 'phdthesis', 'ARTICLE', 'InProceedings'),
    key: safeKey,
    fields: fc.array(bibField, { maxLength: 8 }),
    parens: fc.boolean(),
    trailingComma: fc.boolean(),
    indent: fc.constantFrom('  ', '\t', ''),
  })
  .map(({ type, key, fields, parens, trailingComma, indent }) => {
    const [open, close] = parens ? ['(', ')'] : ['{', '}'];
    const body = fields.map((f) => `${indent}${f}`).join(',\n');
    const text = `@${type}${open}${key}${body ? `,\n${body}` : ''}${trailingComma && body ? ',' : ''}\n${close}`;
    return { text, expect: { key } };
  });

/** What may stand between entries without yielding a paper. */
const bibNoise: fc.Arbitrary<Rec> = fc
  .constantFrom(
    '% a comment line',
    'Text outside entries is a comment, even with an e-mail: jane@example.org',
    '@comment{jabref-meta: databaseType:bibtex;}',
    '@Comment this line is skipped',
    '@string{jml = {Journal of Machine Learning}}',
    '@STRING(conf = "Proceedings of " # jml)',
    '@preamble{"\\newcommand{\\noop}[1]{}"}',
    '',
  )
  .map((text) => ({ text }));

// ---------------------------------------------------------------------------------
// CSL-JSON items

const cslName = fc.oneof(
  fc.record({ family: fc.constantFrom(...FAMILY), given: fc.constantFrom(...GIVEN) }),
  fc.record({ literal: fc.constantFrom('World Health Organization', 'OpenAI') }),
  fc.record({ family: fc.constantFrom(...FAMILY), 'non-dropping-particle': fc.constant('van'), suffix: fc.constant('Jr.') }),
);

const cslItem: fc.Arbitrary<{ item: Record<string, unknown>; key: string }> = fc
  .record(
    {
      id: fc.oneof({ weight: 5, arbitrary: safeKey }, { weight: 1, arbitrary: fc.nat() }),
      type: fc.constantFrom('article', 'article-journal', 'paper-conference', 'book', 'chapter', 'thesis', 'webpage', 'no-such-type'),
      title: fc.oneof(words(TITLE_WORDS, 12), fc.string({ unit: 'grapheme', maxLength: 40 })),
      author: fc.array(cslName, { maxLength: 6 }),
      issued: fc.oneof(
        fc.tuple(fc.integer({ min: 1900, max: 2030 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 33 })).map((parts) => ({ 'date-parts': [parts] })),
        fc.constantFrom({ raw: '2024-05' }, { literal: '1984' }, { 'date-parts': [['2001']] }, { raw: 'spring' }),
      ),
      'container-title': words(TITLE_WORDS, 6),
      DOI: fc.constantFrom('10.48550/arXiv.2504.18072', 'https://doi.org/10.1000/xyz'),
      URL: fc.constantFrom(...CODE_URLS, 'https://arxiv.org/abs/2504.18072'),
      abstract: sentence,
      page: fc.constantFrom('97-111', 12),
      custom: fc.record({ code: fc.constantFrom(...CODE_URLS, 'javascript:alert(1)'), category: fc.constantFrom('cs.LG', 'stat.ML', 'xx'), authorsTruncated: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['id'] },
  )
  .map((item) => ({ item, key: String(item.id) }));

// ---------------------------------------------------------------------------------
// Documents

type LineEnding = 'lf' | 'crlf' | 'mixed' | 'cr';

/** Line endings a format's files come with: the listing reader also splits at a lone CR. */
const lineEnding = (format: Format): fc.Arbitrary<LineEnding> =>
  format === 'listing' ? fc.constantFrom('lf', 'crlf', 'mixed', 'cr') : fc.constantFrom('lf', 'crlf', 'mixed');

/** Rewrite `\n` line breaks; `mixed` alternates LF and CRLF. Line numbers stay the same. */
export function withLineEnding(text: string, eol: LineEnding): string {
  if (eol === 'lf') return text;
  if (eol === 'crlf') return text.replace(/\n/g, '\r\n');
  if (eol === 'cr') return text.replace(/\n/g, '\r');
  let odd = false;
  return text.replace(/\n/g, () => ((odd = !odd) ? '\r\n' : '\n'));
}

/** Newlines in a string (line breaks of a text written with `\n`). */
function newlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Records joined by `\n` into a document, with the expected papers and their lines.
 * With `fill`, the records are repeated (in order) while the document, once its line
 * breaks take `eolWidth` characters each, stays within {@link MAX_CASE_LENGTH}: a big
 * input of the same shape.
 */
function joinRecords(
  recs: readonly Rec[],
  opts: { head: string; sep: string; tail: string; fill: boolean; eolWidth: number },
): { text: string; expected: Expected[] } {
  const parts: string[] = [opts.head];
  const expected: Expected[] = [];
  const size = (s: string): number => s.length + newlines(s) * (opts.eolWidth - 1);
  let length = size(opts.head) + size(opts.tail);
  let line = 1 + newlines(opts.head);
  const sepLines = newlines(opts.sep);
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i] as Rec;
    const extra = (i > 0 ? size(opts.sep) : 0) + size(rec.text);
    if (opts.fill && length + extra > MAX_CASE_LENGTH) break;
    if (i > 0) {
      parts.push(opts.sep);
      line += sepLines;
    }
    if (rec.expect) expected.push({ line, ...rec.expect });
    parts.push(rec.text);
    line += newlines(rec.text);
    length += extra;
  }
  parts.push(opts.tail);
  return { text: parts.join(''), expected };
}

/** `recs` repeated up to about `n` records (for filling a big document; joinRecords stops at the size limit). */
function cycle<T>(recs: readonly T[], n: number): T[] {
  if (recs.length === 0) return [];
  return Array.from({ length: n }, (_, i) => recs[i % recs.length] as T);
}

/** How many records a big document may need at most (short records, 64 KB). */
const FILL_RECORDS = 4000;

/** A valid document of a format, sometimes filled to about 64 KB. */
export function validDocument(format: Format, big: fc.Arbitrary<boolean>): fc.Arbitrary<TextCase> {
  const recs: fc.Arbitrary<Rec[]> =
    format === 'listing'
      ? fc.array(listingRecord, { maxLength: 12 })
      : format === 'bibtex'
        ? fc.array(fc.oneof({ weight: 3, arbitrary: bibEntry }, { weight: 1, arbitrary: bibNoise }), { maxLength: 12 })
        : fc.tuple(fc.array(cslItem, { maxLength: 10 }), fc.constantFrom<(number | string)[]>(0, 2, '\t')).map(([items, indent]) =>
            items.map(({ item, key }) => ({ text: indent === 0 ? JSON.stringify(item) : JSON.stringify(item, null, indent), expect: { key } })),
          );
  return fc.record({ recs, big, eol: lineEnding(format), bom: fc.boolean() }).map(({ recs: rs, big: fill, eol, bom }) => {
    // Windows tools write a BOM; the text readers skip it (CSL-JSON goes to JSON.parse, which does not).
    const head = bom && format !== 'csl' ? '\uFEFF' : '';
    const shape = format === 'csl' ? { head: '[\n', sep: ',\n', tail: '\n]\n' } : { head, sep: '\n', tail: '\n' };
    const eolWidth = eol === 'lf' || eol === 'cr' ? 1 : 2;
    const { text, expected } = joinRecords(fill ? cycle(rs, FILL_RECORDS) : rs, { ...shape, fill, eolWidth });
    return { kind: 'valid' as const, text: withLineEnding(text, eol), expected };
  });
}

// ---------------------------------------------------------------------------------
// Mutations

/** Characters and fragments that break parsers: structure, line breaks, NUL, lone surrogates, killers in small. */
const HOSTILE = [
  '@', '{', '}', '(', ')', '"', '%', ',', '=', '#', '\\', '\r', '\n', '\r\n', '\0', '\uD800', '\uDFFF', '\uFEFF', '\u2028',
  '@comment', '@comment{', '@string{x = x # x}', '@article{', '@article{k,', 'author = {, M.F.}', 'title = {', '}}}}', '{{{{',
  ' and ', ' and others', 'et al.', 'LGMay 20Code\n', 'LGFeb 30, 2024\n', 'MLJul 17, 2024\n', '\nTitleJane Doe\n',
  '"id":', '[', ']', '{"id":"k"}', 'null', '1e999', '\\u0000', '\\ud800', 'https://github.com/a/b', 'javascript:alert(1)',
];

type Mutation =
  | { kind: 'delete' | 'duplicate' | 'swapBraces'; at: number; span: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'cut'; at: number };

/** Positions are drawn as fractions of the text (in 1/2^20) so they fit any length. */
const position = fc.nat((1 << 20) - 1);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'swapBraces' as const), at: position, span: fc.nat(80) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('cut' as const), at: position }),
);

function applyMutation(text: string, m: Mutation): string {
  const at = Math.floor((m.at / (1 << 20)) * (text.length + 1));
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.span);
    case 'duplicate':
      return text.slice(0, at + m.span) + text.slice(at, at + m.span) + text.slice(at + m.span);
    case 'swapBraces':
      return text.slice(0, at) + text.slice(at, at + m.span).replace(/[{}]/g, (b) => (b === '{' ? '}' : '{')) + text.slice(at + m.span);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'cut':
      return text.slice(0, at);
  }
}

/** A document after one to eight mutations, kept within {@link MAX_CASE_LENGTH}. */
export function mutatedDocument(doc: fc.Arbitrary<TextCase>): fc.Arbitrary<TextCase> {
  return fc.tuple(doc, fc.array(mutation, { minLength: 1, maxLength: 8 })).map(([d, ms]) => ({
    kind: 'mutated' as const,
    text: ms.reduce(applyMutation, d.text).slice(0, MAX_CASE_LENGTH),
  }));
}

// ---------------------------------------------------------------------------------
// Random text and killers

/** Characters that mean something to a format, to make random text that reaches deeper than noise. */
const SYNTAX: Readonly<Record<Format, string>> = {
  listing: 'LGCMayJul 0123456789,.\nTitleJaneDo &etal…:/-\'’\r',
  bibtex: '@{}()"=,#%\\ \nauthortitle and others\r0123',
  csl: '[]{}:,"\\ \n idtitleauthorfamilygivenissued0123-.etruflsn\r',
};

/** The same text repeated to exactly {@link MAX_CASE_LENGTH}, or unchanged when not `big` or empty. */
function tile(text: string, big: boolean): string {
  if (!big || text === '') return text;
  return text.repeat(Math.ceil(MAX_CASE_LENGTH / text.length)).slice(0, MAX_CASE_LENGTH);
}

/** Random text: any code points, or the format's syntax characters; sometimes tiled to 64 KB. */
export function randomText(format: Format, big: fc.Arbitrary<boolean>): fc.Arbitrary<TextCase> {
  const syntax = fc.string({ unit: fc.constantFrom(...SYNTAX[format]), maxLength: 400 });
  const any = fc.string({ unit: 'binary', maxLength: 200 });
  return fc.tuple(fc.oneof(syntax, any), big).map(([text, b]) => ({ kind: 'random' as const, text: tile(text, b) }));
}

/**
 * Known parser killers, written out (some far above 64 KB: they are held to the
 * invariants and the watchdog, not to the 64 KB time limit).
 */
export function killers(format: Format): { name: string; text: string }[] {
  const MB = 1 << 20;
  const common = [
    { name: 'empty file', text: '' },
    { name: 'only a BOM', text: '\uFEFF' },
    { name: 'a file of only "@"', text: '@'.repeat(MAX_CASE_LENGTH) },
    { name: '64 KB of "{"', text: '{'.repeat(MAX_CASE_LENGTH) },
    { name: '64 KB of "}"', text: '}'.repeat(MAX_CASE_LENGTH) },
    { name: '64 KB of CR', text: '\r'.repeat(MAX_CASE_LENGTH) },
    { name: '64 KB of NUL', text: '\0'.repeat(MAX_CASE_LENGTH) },
    { name: 'lone surrogates', text: '\uD800\uDC00\uDC00\uD800'.repeat(1000) },
    { name: 'a 1 MB single line', text: 'x'.repeat(MB) },
  ];
  if (format === 'bibtex') {
    const nest = 10_000;
    return [
      ...common,
      { name: 'unbalanced braces', text: '@article{a, title = {x {y}\n, year = 2000}\n@book{b, title = {{{{z}, year = 2001}\n' },
      { name: 'an unclosed entry before the next "@"', text: '@article{a, title = {A}\n@article{b, title = {B}}\n' },
      { name: '@comment at the end of the file', text: '@article{a, title = {A}}\n@comment' },
      { name: '@comment{ at the end of the file', text: '@article{a, title = {A}}\n@comment{' },
      { name: 'author = {, M.F.}', text: '@article{k, author = {, M.F.}, title = {T}}' },
      { name: 'author = { and and , }', text: '@article{k, author = { and and , and others and}, title = {T}}' },
      { name: 'a 1 MB title', text: `@article{k, title = {${'x'.repeat(MB)}}}` },
      { name: 'a 1 MB line of entries', text: '@misc{k, title={T}} '.repeat(MB / 20) },
      { name: '10k levels of nested braces', text: `@article{k, title = ${'{'.repeat(nest)}x${'}'.repeat(nest)}}` },
      { name: '10k nested \\textbf{', text: `@article{k, title = {${'\\textbf{'.repeat(nest)}x${'}'.repeat(nest)}}}` },
      { name: '@string cycle', text: '@string{a = b}\n@string{b = a}\n@article{k, title = a # b, journal = b # a}' },
      { name: '@string chain of 1000', text: `@string{m0 = "x"}\n${Array.from({ length: 1000 }, (_, i) => `@string{m${i + 1} = m${i} # "y"}`).join('\n')}\n@article{k, title = m1000}` },
      { name: 'thousands of "{" after a field', text: `@article{k, title = ${'{'.repeat(MAX_CASE_LENGTH - 40)}` },
      { name: 'thousands of "@article{" lines', text: '@article{\n'.repeat(6000) },
      { name: 'an author list of 5000 names', text: `@article{k, title = {T}, author = {${Array(5000).fill('Person, A. B.').join(' and ')}}}` },
      { name: 'a 60 KB author list of initials', text: `@article{k, author = {${'A. '.repeat(20_000)}}}` },
      { name: 'thousands of crossref hops', text: Array.from({ length: 3000 }, (_, i) => `@book{b${i}, crossref = {b${i + 1}}}`).join('\n') },
      { name: 'a crossref cycle', text: '@book{a, crossref = {b}}\n@book{b, crossref = {a}}\n' },
      { name: 'thousands of keyless entries', text: '@article{, title = {Same}, author = {Doe, J.}, year = 2000}\n'.repeat(1500) },
    ];
  }
  if (format === 'listing') {
    return [
      ...common,
      { name: 'headers only', text: 'LGMay 20Code\n'.repeat(5000) },
      { name: 'impossible dates', text: 'LGFeb 30, 2024\nTitleJane Doe\nLGFeb 29\nTitleJane Doe\n'.repeat(1000) },
      { name: 'a 1 MB title line', text: `LGMay 20Code\n${'Aa '.repeat(MB / 3)}titleJane Doe\n` },
      { name: 'a 1 MB abstract line', text: `LGMay 20Code\nTitleJane Doe\n${'https://github.com/a/b '.repeat(MB / 23)}\n` },
      { name: 'a 64 KB word of capitals', text: `LGMay 20Code\n${'A'.repeat(MAX_CASE_LENGTH)}\n` },
      { name: 'a 64 KB camel-case word', text: `LGMay 20Code\n${'aB'.repeat(MAX_CASE_LENGTH / 2)}\n` },
      { name: 'an author list of 5000 names', text: `LGMay 20Code\nTitleJane Doe, ${'Jane Doe, '.repeat(5000)}John Roe et al.\n` },
      { name: 'thousands of known-name candidates', text: `LGMay 20Code\nTitle Jane Doe, John Roe\n${'LGMay 20\nX Jane DoeJane Doe, John Roe\n'.repeat(2000)}` },
      { name: 'a 64 KB URL', text: `LGMay 20Code\nTitleJane Doe\nhttps://github.com/${'(a'.repeat(MAX_CASE_LENGTH / 2)}\n` },
    ];
  }
  const deep = 10_000;
  return [
    ...common,
    { name: 'unclosed array', text: '['.repeat(MAX_CASE_LENGTH) },
    { name: '10k nested arrays', text: `${'['.repeat(deep)}${']'.repeat(deep)}` },
    { name: '10k nested objects in an item', text: `[{"id":"k","title":${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}]` },
    { name: 'a 1 MB title', text: `[{"id":"k","title":"${'x'.repeat(MB)}"}]` },
    { name: 'a 1 MB line of items', text: `[${Array(Math.floor(MB / 24)).fill('{"id":"k","title":"T"}').join(',')}]` },
    { name: 'an author list of 5000 names', text: `[{"id":"k","title":"T","author":[${Array(5000).fill('{"family":"Doe","given":"J."}').join(',')}]}]` },
    { name: 'thousands of broken items', text: `[${'{x},'.repeat(16_000)}]` },
    { name: 'thousands of items without commas', text: `[${'{"id":"k","title":"T"}\n'.repeat(2500)}]` },
    { name: 'scalars as items', text: `[${Array(8000).fill('1,"x",null,true').join(',')}]` },
    { name: 'a string with every escape', text: '[{"id":"k","title":"\\u0000\\ud800\\"\\\\\\/\\b\\f\\n\\r\\t"}]' },
    { name: 'an item that is not an object', text: '[{"id":"a","title":"A"}, 5, "x", [1], null, {"id":"b","title":"B"}]' },
    { name: 'date-parts of every type', text: '[{"id":"k","title":"T","issued":{"date-parts":[[null,{},[],"x",1e999,-5]]}}]' },
    { name: '__proto__ and constructor as fields', text: '[{"id":"__proto__","title":"T","__proto__":{"x":1},"constructor":5}]' },
  ];
}

/** A valid document with a killer (cut to fit) spliced in at a random point. */
export function killerMix(format: Format, doc: fc.Arbitrary<TextCase>): fc.Arbitrary<TextCase> {
  const small = killers(format).map((k) => k.text.slice(0, 4096));
  return fc.tuple(doc, fc.constantFrom(...small), position).map(([d, k, at]) => {
    const i = Math.floor((at / (1 << 20)) * (d.text.length + 1));
    return { kind: 'killer-mix' as const, text: (d.text.slice(0, i) + k + d.text.slice(i)).slice(0, MAX_CASE_LENGTH) };
  });
}

/** One in twenty inputs is filled to about 64 KB. */
export const bigFlag = fc.nat(19).map((n) => n === 0);

/** Every generated input of a format: valid, mutated, random and killer-mixed, in that proportion 3:4:2:1. */
export function textCases(format: Format): fc.Arbitrary<TextCase> {
  const valid = validDocument(format, bigFlag);
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 4, arbitrary: mutatedDocument(valid) },
    { weight: 2, arbitrary: randomText(format, bigFlag) },
    { weight: 1, arbitrary: killerMix(format, validDocument(format, fc.constant(false))) },
  );
}

// ---------------------------------------------------------------------------------
// Bytes for decodeSource

/** A generated input for decodeSource, with the text it must come back as when that is certain. */
export interface BytesCase {
  kind: string;
  bytes: Uint8Array;
  /** The text a correct decoder returns (UTF-8 and UTF-16 with a byte-order mark of NUL-free text). */
  text?: string;
}

const utf16Bytes = (s: string, bigEndian: boolean): Uint8Array => {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    out[2 + 2 * i + (bigEndian ? 0 : 1)] = u >> 8;
    out[2 + 2 * i + (bigEndian ? 1 : 0)] = u & 0xff;
  }
  return out;
};

const utf8 = (s: string, bom: boolean): Uint8Array => new TextEncoder().encode(bom ? `\uFEFF${s}` : s);

/** Repeat bytes to exactly 64 KB. */
function tileBytes(bytes: Uint8Array, big: boolean): Uint8Array {
  if (!big || bytes.length === 0) return bytes;
  const out = new Uint8Array(MAX_CASE_LENGTH);
  for (let i = 0; i < out.length; i += bytes.length) out.set(bytes.subarray(0, out.length - i), i);
  return out;
}

/** Bytes: random, text in each encoding decodeSource knows, and such text with random bytes spliced in. */
export function bytesCases(): fc.Arbitrary<BytesCase> {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 300 }));
  const nulFree = text.map((s) => s.replace(/\0/g, ''));
  const withLoneSurrogates = fc.tuple(nulFree, fc.constantFrom('\uD800', '\uDFFF', '\uDBFF\uD800')).map(([s, l]) => s + l + s);
  return fc.oneof(
    fc.tuple(fc.uint8Array({ maxLength: 2000 }), bigFlag).map(([b, big]) => ({ kind: 'random bytes', bytes: tileBytes(b, big) })),
    // Without a BOM of its own, text that starts with U+FEFF reads as having one.
    fc.tuple(nulFree, fc.boolean()).map(([s, bom]) => ({ kind: `UTF-8${bom ? ' with BOM' : ''}`, bytes: utf8(s, bom), text: bom ? s : s.replace(/^\uFEFF/, '') })),
    fc.tuple(withLoneSurrogates, fc.boolean()).map(([s, be]) => ({ kind: `UTF-16${be ? 'BE' : 'LE'} with BOM`, bytes: utf16Bytes(s, be), text: s })),
    fc.tuple(nulFree, fc.boolean()).map(([s, be]) => ({ kind: 'UTF-16 without BOM', bytes: utf16Bytes(s, be).subarray(2) })),
    fc.tuple(fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 }), bigFlag).map(([s, big]) => ({
      kind: 'Latin-1',
      bytes: tileBytes(Uint8Array.from(s, (c) => c.charCodeAt(0)), big),
    })),
    fc.tuple(nulFree, fc.uint8Array({ minLength: 1, maxLength: 8 }), position, bigFlag).map(([s, junk, at, big]) => {
      const b = utf8(s, false);
      const i = Math.floor((at / (1 << 20)) * (b.length + 1));
      const out = new Uint8Array(b.length + junk.length);
      out.set(b.subarray(0, i));
      out.set(junk, i);
      out.set(b.subarray(i), i + junk.length);
      return { kind: 'UTF-8 with junk bytes', bytes: tileBytes(out, big) };
    }),
  );
}

/** Byte killers for decodeSource. */
export function byteKillers(): { name: string; bytes: Uint8Array }[] {
  const MB = 1 << 20;
  return [
    { name: 'no bytes', bytes: new Uint8Array(0) },
    { name: 'a lone UTF-8 BOM', bytes: Uint8Array.of(0xef, 0xbb, 0xbf) },
    { name: 'a lone UTF-16 BOM', bytes: Uint8Array.of(0xff, 0xfe) },
    { name: 'a UTF-16 BOM and one odd byte', bytes: Uint8Array.of(0xfe, 0xff, 0x41) },
    { name: '64 KB of 0xFF', bytes: new Uint8Array(MAX_CASE_LENGTH).fill(0xff) },
    { name: '64 KB of NUL', bytes: new Uint8Array(MAX_CASE_LENGTH) },
    { name: '1 MB of continuation bytes', bytes: new Uint8Array(MB).fill(0x80) },
    { name: '1 MB of truncated 4-byte sequences', bytes: new Uint8Array(MB).map((_, i) => (i % 3 === 0 ? 0xf0 : 0x90)) },
    { name: 'UTF-16LE BOM then 1 MB of text', bytes: Uint8Array.from({ length: MB + 2 }, (_, i) => (i < 2 ? [0xff, 0xfe][i] as number : i % 2 === 0 ? 0x41 : 0)) },
    { name: 'invalid UTF-8 after 1 MB of newlines', bytes: Uint8Array.from({ length: MB + 1 }, (_, i) => (i === MB ? 0xc0 : 0x0a)) },
  ];
}
