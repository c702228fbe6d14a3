/**
 * BibTeX / biblatex files as papers: the entries read.ts finds, turned into records
 * (display values in Unicode, authors, dates, arXiv ids, code links, keys for keyless
 * entries), with `extra.fields` made only when first read.
 */

import { categoryForCode } from '../categories';
import { citationKey, nextFreeKey, type SuffixCounter } from '../keys';
import { CODE_HOSTS, bareDoi, classifyCodeUrl } from '../links';
import {
  isHttpUrl,
  paperProblem,
  type Author,
  type Category,
  type Diagnostic,
  type Paper,
  type PaperExtra,
  type ReadResult,
} from '../model';
import { lazyFields } from '../lazy-fields';
import { isPlainText, latexToUnicode } from './latex';
import { parseNameList } from './names';
import { FIELD_SLOTS, readBibtex, valueAt, type BibEntry } from './read';

export { MAX_EXPANDED_VALUE, bibtexKeys, fieldOf, readBibtex, type BibEntry, type BibFile } from './read';

/** Fields whose values are taken literally (biblatex's verbatim fields): no LaTeX conversion. */
const VERBATIM = new Set(['url', 'doi', 'eprint', 'file', 'pdf', 'verba', 'verbb', 'verbc', 'urlraw', 'code', 'github']);

/** Fields that hold a link to the paper's code: any http(s) URL in them counts. */
const CODE_FIELDS = ['code', 'github', 'codeurl', 'repository', 'software'] as const;
/** Fields where a URL counts as the code link only when it points to a known code host. */
const LINK_FIELDS = ['url', 'howpublished', 'note'] as const;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;
const ARXIV_ID = /^(?:arxiv:)?((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?$/i;
const ARXIV_IN_TEXT = /arxiv[:.]\s*((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))/i;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))/i;
const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;
const URL_IN_TEXT = /https?:\/\/[^\s{}\\"<>]+/gi;

/**
 * The display values of an entry's fields, in file order: LaTeX turned into Unicode,
 * verbatim fields trimmed.
 */
function displayFields(entry: BibEntry, memo: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const { fields } = entry;
  for (let i = 0; i < fields.length; i += FIELD_SLOTS) {
    const name = fields[i] as string;
    out[name] = displayValue(name, valueAt(entry, i), memo);
  }
  return out;
}

/**
 * The display value of one field. Most values are plain text and are kept as they are;
 * `memo` caches the conversion of the others across a file: macro-expanded values (a
 * journal name, Beebe's 600-character `acknowledgement`) repeat in thousands of entries.
 */
export function displayValue(name: string, raw: string, memo: Map<string, string>): string {
  if (VERBATIM.has(name)) return raw.trim();
  if (isPlainText(raw)) return raw;
  let value = memo.get(raw);
  if (value === undefined) {
    value = latexToUnicode(raw);
    memo.set(raw, value);
  }
  return value;
}

/** The fields a paper's own properties are made from. */
const PAPER_FIELDS = [
  'title', 'author', 'editor', 'abstract', 'date', 'year', 'month', 'day', 'eprint', 'eprinttype', 'archiveprefix',
  'eprintclass', 'primaryclass', 'url', 'doi', 'journal', 'journaltitle', 'note', 'howpublished',
  'code', 'github', 'codeurl', 'repository', 'software',
] as const;
type PaperField = (typeof PAPER_FIELDS)[number];
const SLOT = new Map<string, number>(PAPER_FIELDS.map((name, i) => [name, i]));


/**
 * The {@link PAPER_FIELDS} of one entry: raw values found in one pass over its fields,
 * display values made when first asked for. One per file, loaded with each entry in turn.
 */
class FieldValues {
  private entry: BibEntry | undefined;
  /** Where each of the fields is in the entry's fields; -1 when it has none. */
  private readonly at: number[] = PAPER_FIELDS.map(() => -1);
  private readonly raws: (string | undefined)[] = PAPER_FIELDS.map(() => undefined);
  private readonly values: (string | undefined)[] = PAPER_FIELDS.map(() => undefined);
  constructor(private readonly memo: Map<string, string>) {}

  load(entry: BibEntry): void {
    this.entry = entry;
    this.at.fill(-1);
    this.raws.fill(undefined);
    this.values.fill(undefined);
    const { fields } = entry;
    for (let i = 0; i < fields.length; i += FIELD_SLOTS) {
      const slot = SLOT.get(fields[i] as string);
      if (slot !== undefined) this.at[slot] = i;
    }
  }

  /** The raw (LaTeX) value. */
  raw(name: PaperField): string | undefined {
    const slot = SLOT.get(name)!;
    const i = this.at[slot];
    return i < 0 ? undefined : (this.raws[slot] ??= valueAt(this.entry!, i));
  }

  /** The display value, see {@link displayValue}. */
  get(name: PaperField): string | undefined {
    const raw = this.raw(name);
    return raw === undefined ? undefined : (this.values[SLOT.get(name)!] ??= displayValue(name, raw, this.memo));
  }
}

/** What a paper's `extra.fields` is made from on first read. */
interface PendingFields {
  readonly entry: BibEntry;
  readonly memo: Map<string, string>;
}

/** Where an `extra` whose fields are not made yet keeps what they are made from (not enumerable: never copied or compared). */
const PENDING = Symbol('pending fields');

type LazyExtra = PaperExtra & { [PENDING]?: PendingFields };

/**
 * `extra.fields` made on first read (see lazy-fields.ts): a list needs only the public
 * fields, and turning every field of a 100k-entry file into Unicode up front would take
 * longer than reading it.
 */
const LAZY_FIELDS = lazyFields<LazyExtra>(
  (extra) => {
    const pending = extra[PENDING];
    return pending && displayFields(pending.entry, pending.memo);
  },
  (extra) => {
    extra[PENDING] = undefined;
  },
);

/**
 * For a paper of this reader whose `extra.fields` is not made yet: calls `each` with the
 * name and raw (LaTeX) value of every field, in file order, without making them, and
 * returns true. {@link displayValue} turns a raw value into what `extra.fields` would hold.
 * False (and no calls) once the fields are made, or for any other `extra`.
 */
export function forEachRawField(extra: PaperExtra, each: (name: string, raw: string) => void): boolean {
  const pending = (extra as LazyExtra)[PENDING];
  if (!pending) return false;
  const { entry } = pending;
  for (let i = 0; i < entry.fields.length; i += FIELD_SLOTS) each(entry.fields[i] as string, valueAt(entry, i));
  return true;
}

function defineLazyFields(extra: PaperExtra, pending: PendingFields): void {
  Object.defineProperty(extra, PENDING, { value: pending, writable: true });
  Object.defineProperty(extra, 'fields', LAZY_FIELDS);
}

/** A name list as display names; `and others` sets `truncated`. */
interface AuthorList {
  readonly authors: readonly Author[];
  readonly truncated: boolean;
}

/**
 * Authors (or editors when there are none). `memo` holds the lists already read in the
 * file, by raw value: the same list recurs in many entries. Each paper gets its own array;
 * the author objects in it are shared, as the papers' strings are.
 */
function readAuthors(f: FieldValues, memo: Map<string, AuthorList>): { authors: Author[]; truncated: boolean } {
  const raw = f.raw('author') ?? f.raw('editor');
  if (raw === undefined) return { authors: [], truncated: false };
  let list = memo.get(raw);
  if (list === undefined) {
    list = nameList(raw);
    memo.set(raw, list);
  }
  return { authors: list.authors.slice(), truncated: list.truncated };
}

function nameList(raw: string): AuthorList {
  const list = parseNameList(raw);
  const authors: Author[] = [];
  for (const n of list.names) {
    const last = latexToUnicode(n.von ? `${n.von} ${n.last}` : n.last);
    const jr = n.jr ? latexToUnicode(n.jr) : '';
    let family = jr ? `${last}, ${jr}` : last;
    let given = latexToUnicode(n.first);
    if (!family) [family, given] = [given, ''];
    if (family) authors.push({ given, family });
  }
  return { authors, truncated: list.others };
}

/**
 * Month number from `1`…`12` or the first English month name or abbreviation in the text
 * (`jan`, `January`, `Jan.`, `10~January`, `April-May`), as BibTeX's month macros give.
 */
export function monthNumber(value: string): number | null {
  const v = value.trim();
  if (/^\d{1,2}$/.test(v)) return inRange(v, 12);
  const name = MONTH_NAME.exec(v);
  return name ? MONTHS.indexOf(name[1].toLowerCase()) + 1 : null;
}

/** The day in a month field that names one (`10~January` → 10). */
function dayInMonthField(value: string): number | null {
  return MONTH_NAME.test(value) ? inRange(/\b(\d{1,2})\b/.exec(value)?.[1], 31) : null;
}

const MONTH_NAME = /(?:^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])/i;

/** Year, month and day from biblatex `date` (ISO 8601, start of a range) or `year`/`month`/`day`. */
function readDate(f: FieldValues): { year: number | null; month: number | null; day: number | null } {
  const iso = ISO_DATE.exec(f.get('date')?.trim() ?? '');
  if (iso) {
    return { year: Number(iso[1]), month: inRange(iso[2], 12), day: inRange(iso[3], 31) };
  }
  const year = /\d{4}/.exec(f.get('year') ?? '');
  const month = f.get('month');
  return {
    year: year ? Number(year[0]) : null,
    month: month !== undefined ? monthNumber(month) : null,
    day: inRange(f.get('day')?.trim(), 31) ?? (month !== undefined ? dayInMonthField(month) : null),
  };
}

/** `1`…`max` from a string of one or two digits; null otherwise. */
function inRange(digits: string | undefined, max: number): number | null {
  if (digits === undefined || !/^\d{1,2}$/.test(digits)) return null;
  const n = Number(digits);
  return n >= 1 && n <= max ? n : null;
}

function isArxiv(f: FieldValues): boolean {
  return (f.get('eprinttype') ?? f.get('archiveprefix') ?? '').trim().toLowerCase() === 'arxiv';
}

/** The arXiv category of an arXiv e-print (`eprintclass`/`primaryclass`, e.g. `cs.LG`). */
function readCategory(f: FieldValues): Category | null {
  if (!isArxiv(f)) return null;
  const cls = (f.get('eprintclass') ?? f.get('primaryclass') ?? '').trim();
  if (!cls) return null;
  const code = cls.includes('.') ? cls.slice(cls.indexOf('.') + 1) : cls;
  const known = categoryForCode(code);
  return known.archive === cls ? known : { code, archive: cls, name: null };
}

/** The arXiv identifier (without version) from `eprint`, an arxiv.org URL, an arXiv DOI, or `arXiv:…` text in journal/note. */
function readArxivId(f: FieldValues): string | undefined {
  const eprint = f.get('eprint');
  if (eprint !== undefined && (isArxiv(f) || f.get('eprinttype') === undefined)) {
    const m = ARXIV_ID.exec(eprint.trim());
    if (m) return m[1];
  }
  const url = ARXIV_URL.exec(f.get('url') ?? '');
  if (url) return url[1];
  const doi = ARXIV_DOI.exec(bareDoi(f.get('doi') ?? ''));
  if (doi) return ARXIV_ID.exec(doi[1])?.[1] ?? doi[1];
  for (const name of ['journal', 'journaltitle', 'note', 'howpublished'] as const) {
    const m = ARXIV_IN_TEXT.exec(f.get(name) ?? '');
    if (m) return m[1];
  }
  return undefined;
}

/** A DOI without its resolver prefix. */
function readDoi(f: FieldValues): string | undefined {
  const doi = bareDoi(f.get('doi') ?? '');
  return doi ? doi : undefined;
}

/** The link to the paper's code: any http(s) URL in a code field, else a code-host URL in url/howpublished/note. */
function readCodeUrl(f: FieldValues): string | null {
  for (const name of CODE_FIELDS) {
    for (const url of urlsIn(f.get(name))) if (classifyCodeUrl(url).kind !== 'refused') return url;
  }
  for (const name of LINK_FIELDS) {
    const value = f.get(name);
    if (value === undefined || !CODE_HOST_NAME.test(value)) continue;
    for (const url of urlsIn(value)) if (classifyCodeUrl(url).kind === 'codeHost') return url;
  }
  return null;
}

/**
 * A code host's name anywhere in a text. A URL can be on a code host only if its text
 * holds the name (`classifyCodeUrl` counts plain ASCII hosts only), so most values are
 * settled without parsing their URLs.
 */
const CODE_HOST_NAME = new RegExp(CODE_HOSTS.map((host) => host.replace(/\./g, '\\.')).join('|'), 'i');

/** The http(s) URLs in a field value, trailing punctuation removed, valid per the model. */
function urlsIn(value: string | undefined): string[] {
  if (value === undefined || !/https?:/i.test(value)) return [];
  const found = value.match(URL_IN_TEXT) ?? [];
  return found.map((u) => u.replace(/[.,;:)\]]+$/, '')).filter(isHttpUrl);
}

/** Shown when an entry has no title: the record is kept (it can still be cited). */
export const UNTITLED = '(untitled)';

/** Entry types that hold data for other entries and are never cited. */
const DATA_ONLY = new Set(['xdata']);

/** What {@link entryToPaper} shares across one file. */
interface FileContext {
  readonly file: string;
  /** Display-value cache, see {@link displayValue}. */
  readonly memo: Map<string, string>;
  /** The entry being turned into a paper. */
  readonly values: FieldValues;
  /** Author lists already read, see {@link readAuthors}. */
  readonly authors: Map<string, AuthorList>;
  readonly entries: readonly BibEntry[];
  /** Every key of the file, so that keys made up for keyless entries stay unique (made when the first is met). */
  taken: Set<string> | undefined;
  /** Suffix counters for the keys made up for keyless entries (see {@link nextFreeKey}). */
  suffixes: SuffixCounter;
  /** The file's diagnostics, to which the entries' problems are added. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Turns one entry into a paper, adding the problems that concern it to the file's
 * diagnostics; null when the record cannot be valid (reported as an error).
 */
function entryToPaper(entry: BibEntry, ctx: FileContext): Paper | null {
  const report = (message: string, severity: 'error' | 'warning'): void => {
    ctx.diagnostics.push({ line: entry.line, column: entry.column, message, severity });
  };
  const f = ctx.values;
  f.load(entry);
  let title = f.get('title') ?? '';
  if (!title) {
    title = UNTITLED;
    report(`entry "${entry.key}" has no title: listed as "${UNTITLED}"`, 'warning');
  }
  const { authors, truncated } = readAuthors(f, ctx.authors);
  const { year, month, day } = readDate(f);
  let key = entry.key;
  if (!key) {
    const taken = (ctx.taken ??= new Set(ctx.entries.map((e) => e.key)));
    key = nextFreeKey(citationKey({ authors, year, title }), (k) => taken.has(k), ctx.suffixes);
    taken.add(key);
    report(`@${entry.type} entry has no citation key: listed as "${key}"; add that key to the file to cite it`, 'error');
  }
  const codeUrl = readCodeUrl(f);
  const extra: PaperExtra = { entryType: entry.type };
  const doi = readDoi(f);
  if (doi !== undefined) extra.doi = doi;
  const arxivId = readArxivId(f);
  if (arxivId !== undefined) extra.arxivId = arxivId;
  defineLazyFields(extra, { entry, memo: ctx.memo });
  const paper: Paper = {
    key,
    title,
    authors,
    authorsTruncated: truncated,
    year,
    month,
    day,
    category: readCategory(f),
    abstract: f.get('abstract') ?? '',
    hasCode: codeUrl !== null,
    codeUrl,
    source: { file: ctx.file, line: entry.line },
    extra,
  };
  const problem = paperProblem(paper);
  if (problem === undefined) return paper;
  report(`entry "${key}" skipped: ${problem}`, 'error');
  return null;
}

/**
 * Reads a BibTeX/biblatex file into papers. Every entry becomes a paper except `@xdata`
 * containers and entries the model rejects (reported as errors); entries without a title
 * are kept as "(untitled)" with a warning. Never throws on bad input.
 *
 * `extra.fields` is made on first read (see {@link LAZY_FIELDS}); papers can be posted
 * between threads as they are.
 */
export function parseBibtex(text: string, opts: { file: string }): ReadResult {
  const { entries, diagnostics } = readBibtex(text, PAPER_FIELDS);
  const papers: Paper[] = [];
  const memo = new Map<string, string>();
  const ctx: FileContext = { file: opts.file, memo, values: new FieldValues(memo), authors: new Map(), entries, taken: undefined, suffixes: new Map(), diagnostics };
  const before = diagnostics.length;
  for (const entry of entries) {
    if (DATA_ONLY.has(entry.type)) continue;
    const paper = entryToPaper(entry, ctx);
    if (paper) papers.push(paper);
  }
  if (diagnostics.length > before) diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { papers, diagnostics };
}
