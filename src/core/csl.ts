/**
 * CSL-JSON (the citation format of Pandoc, Zotero and citeproc) read and write.
 *
 * Reading: an array of items (a single item object is accepted too). `id` is the key;
 * line numbers come from a linear scan for where each top-level item starts, since
 * `JSON.parse` forgets positions. Bibliographic fields are mapped to their BibTeX names
 * in `extra.fields` (`container-title` → `journal`/`booktitle`, `page` → `pages`, …) and
 * the CSL type to a BibTeX entry type, so a CSL record can be written as BibTeX.
 *
 * Writing: CSL 1.0.2 items; what CSL has no variable for (the code link, the arXiv
 * category, a truncated author list) goes into the item's `custom` object, which CSL
 * 1.0.2 provides for exactly that and processors ignore.
 */
import { categoryForCode } from './categories';
import { bareDoi, classifyCodeUrl } from './links';
import {
  HttpUrlSchema,
  PaperSchema,
  describeZodError,
  type Author,
  type Category,
  type Diagnostic,
  type Paper,
  type ReadResult,
} from './model';

/** CSL item type → BibTeX entry type. */
const CSL_TO_BIBTEX: Readonly<Record<string, string>> = {
  'article-journal': 'article',
  'article-magazine': 'article',
  'article-newspaper': 'article',
  article: 'misc',
  'paper-conference': 'inproceedings',
  book: 'book',
  chapter: 'incollection',
  thesis: 'phdthesis',
  report: 'techreport',
  webpage: 'online',
  dataset: 'dataset',
  software: 'software',
  manuscript: 'unpublished',
};

/** BibTeX entry type → CSL item type (listing records, which have none, are preprints: `article`). */
const BIBTEX_TO_CSL: Readonly<Record<string, string>> = {
  article: 'article-journal',
  inproceedings: 'paper-conference',
  conference: 'paper-conference',
  proceedings: 'book',
  book: 'book',
  inbook: 'chapter',
  incollection: 'chapter',
  phdthesis: 'thesis',
  mastersthesis: 'thesis',
  thesis: 'thesis',
  techreport: 'report',
  report: 'report',
  online: 'webpage',
  dataset: 'dataset',
  software: 'software',
  unpublished: 'manuscript',
  misc: 'article',
};

/** CSL variables (strings) ↔ BibTeX field names, besides the container title. */
const FIELD_MAP: readonly [csl: string, bib: string][] = [
  ['volume', 'volume'],
  ['issue', 'number'],
  ['page', 'pages'],
  ['publisher', 'publisher'],
  ['publisher-place', 'address'],
  ['DOI', 'doi'],
  ['URL', 'url'],
  ['ISBN', 'isbn'],
  ['ISSN', 'issn'],
  ['edition', 'edition'],
  ['note', 'note'],
  ['language', 'language'],
];

/** BibTeX field that holds the container title for a CSL type. */
function containerField(cslType: string): string {
  return cslType.startsWith('article') ? 'journal' : 'booktitle';
}

const UNTITLED = '(untitled)';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Item = { [k: string]: Json };

function isItem(v: Json | undefined): v is Item {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * Start offsets of the elements of the top-level array (or of the single top-level
 * object): one linear pass that skips strings.
 */
function itemOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let topIsArray = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (depth === 1 && topIsArray && c > 32 && c !== 44 && c !== 93) offsets.push(i);
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (depth === 0) {
        topIsArray = c === 91;
        if (!topIsArray) offsets.push(i);
      }
      depth++;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (depth === 1 && topIsArray && c > 32 && c !== 44) {
      // A scalar element (reported as an error later): skip the rest of it.
      while (i + 1 < n && !/[,\]\s]/.test(text[i + 1])) i++;
    }
  }
  return offsets;
}

/** 1-based line of each offset (offsets ascending). */
function linesOf(text: string, offsets: number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let pos = 0;
  for (const off of offsets) {
    for (; pos < off; pos++) if (text.charCodeAt(pos) === 10) line++;
    lines.push(line);
  }
  return lines;
}

/** Where a JSON syntax error is, when V8's message says ("… at position 12" or "(line 3 column 5)"). */
function syntaxErrorAt(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (!pos) return undefined;
  const p = Number(pos[1]);
  const before = text.slice(0, p);
  return { line: before.split('\n').length, column: p - before.lastIndexOf('\n') };
}

/** V8's message for `e`, without the quote of the input it may end with (`…, "[{\"id…" is not valid JSON`). */
function jsonProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.replace(/, ".*" is not valid JSON$/s, '');
}

/** One element of the top-level array, as text: `[start, end)`. */
interface Element {
  start: number;
  end: number;
  /** No comma between it and the element before. */
  missingComma: boolean;
}

/**
 * The elements of a top-level array that JSON.parse rejected, so that they can be read
 * one by one: one linear pass that skips strings and splits at the commas between
 * elements (and where a comma is missing between two). Undefined when the text is no
 * array; `rest` is where the text after the array's `]` starts, or -1 when the `]` never comes.
 */
function arrayElements(text: string): { elements: Element[]; rest: number } | undefined {
  const n = text.length;
  let i = 0;
  while (i < n && /\s/.test(text[i] as string)) i++;
  if (text.charCodeAt(i) !== 91) return undefined;
  const elements: Element[] = [];
  let start = -1;
  let depth = 0;
  /** The current element's brackets have all closed. */
  let complete = false;
  let missingComma = false;
  const push = (end: number): void => {
    if (start >= 0) elements.push({ start, end, missingComma });
    start = -1;
    complete = false;
    missingComma = false;
  };
  for (i++; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    if (depth === 0 && (c === 44 || c === 93)) {
      push(i);
      if (c === 93) return { elements, rest: i + 1 };
      continue;
    }
    if (depth === 0 && complete) {
      push(i);
      missingComma = true;
    }
    if (start < 0) start = i;
    if (c === 34) {
      for (i++; i < n && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      depth++;
    } else if ((c === 93 || c === 125) && depth > 0) {
      complete = --depth === 0;
    }
  }
  push(n);
  return { elements, rest: -1 };
}

/** After this many items that are not valid JSON, the file is taken for something else and reading stops. */
const MAX_BROKEN_ITEMS = 100;

/** An element of the array: its value, 1-based number and line. */
interface Numbered {
  item: Json;
  no: number;
  line: number;
}

/**
 * The items of a file JSON.parse rejected, read one by one: the elements that parse are
 * kept; each one that does not is an error on its first line, and so are a missing comma,
 * a missing `]` and text after it. Undefined when the file is no array.
 */
function recoverItems(text: string): { items: Numbered[]; diagnostics: Diagnostic[] } | undefined {
  const split = arrayElements(text);
  if (!split) return undefined;
  const ends = [split.rest < 0 ? text.length : split.rest];
  const lines = linesOf(text, [...split.elements.map((e) => e.start), ...ends]);
  const items: Numbered[] = [];
  const diagnostics: Diagnostic[] = [];
  let broken = 0;
  for (const [i, el] of split.elements.entries()) {
    const line = lines[i] as number;
    if (broken === MAX_BROKEN_ITEMS) {
      const left = split.elements.length - i;
      diagnostics.push({ line, severity: 'error', message: `${MAX_BROKEN_ITEMS} items are not valid JSON: the ${left} item${left === 1 ? '' : 's'} from this line on were not read` });
      break;
    }
    if (el.missingComma) diagnostics.push({ line, severity: 'error', message: `missing "," before item ${i + 1}` });
    if (text.charCodeAt(el.start) !== 123) {
      // Not an object, valid JSON or not: reported as such by the caller, without the cost of a parse error.
      items.push({ item: null, no: i + 1, line });
      continue;
    }
    try {
      items.push({ item: JSON.parse(text.slice(el.start, el.end)) as Json, no: i + 1, line });
    } catch (e) {
      broken++;
      const problem = jsonProblem(e).replace(/ in JSON at position \d+.*$/s, '');
      diagnostics.push({ line, severity: 'error', message: `not valid JSON: item ${i + 1} skipped (${problem})` });
    }
  }
  const endLine = lines[lines.length - 1] as number;
  if (split.rest < 0) diagnostics.push({ line: endLine, severity: 'error', message: 'the list of items is not closed with "]"' });
  else if (text.slice(split.rest).trim() !== '') diagnostics.push({ line: endLine, severity: 'error', message: 'text after the closing "]" ignored' });
  return { items, diagnostics };
}

function readNames(v: Json | undefined): Author[] {
  if (!Array.isArray(v)) return [];
  const out: Author[] = [];
  for (const n of v) {
    if (!isItem(n)) continue;
    const literal = str(n.literal);
    if (literal) {
      out.push({ given: '', family: literal });
      continue;
    }
    const particle = [str(n['non-dropping-particle']), str(n.family)].filter(Boolean).join(' ');
    const suffix = str(n.suffix);
    const family = suffix ? `${particle}, ${suffix}` : particle;
    const given = [str(n.given), str(n['dropping-particle'])].filter(Boolean).join(' ');
    if (family) out.push({ given, family });
    else if (given) out.push({ given: '', family: given });
  }
  return out;
}

/** `[year, month?, day?]` from `issued.date-parts`, or an ISO `raw`/`literal` date. */
function readIssued(v: Json | undefined): [number | null, number | null, number | null] {
  if (!isItem(v)) return [null, null, null];
  const parts = v['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0])) {
    const [y, m, d] = parts[0].map((x) => (typeof x === 'number' ? x : Number(x)));
    return [
      Number.isInteger(y) ? y : null,
      Number.isInteger(m) && m >= 1 && m <= 12 ? m : null,
      Number.isInteger(d) && d >= 1 && d <= 31 ? d : null,
    ];
  }
  const raw = str(v.raw) ?? str(v.literal);
  const iso = raw ? /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(raw) : null;
  if (!iso) return [null, null, null];
  const m = iso[2] ? Number(iso[2]) : null;
  const d = iso[3] ? Number(iso[3]) : null;
  return [Number(iso[1]), m && m <= 12 ? m : null, d && d <= 31 ? d : null];
}

function readCategory(custom: Item | undefined): Category | null {
  const archive = str(custom?.category);
  if (!archive) return null;
  const code = archive.includes('.') ? archive.slice(archive.indexOf('.') + 1) : archive;
  const known = categoryForCode(code);
  return known.archive === archive ? known : { code, archive, name: null };
}

/** The code link: `custom.code` (any http(s) URL), else a code-host URL in `URL` or `note`. */
function readCodeUrl(item: Item, custom: Item | undefined): string | null {
  const own = str(custom?.code);
  if (own && HttpUrlSchema.safeParse(own).success) return own;
  for (const v of [str(item.URL), ...(str(item.note)?.match(/https?:\/\/[^\s"<>]+/g) ?? [])]) {
    if (v && classifyCodeUrl(v).kind === 'codeHost' && HttpUrlSchema.safeParse(v).success) return v;
  }
  return null;
}

/**
 * CSL's rich-text markup (what Zotero writes into titles: `<i>`, `<b>`, `<sub>`, `<sup>`,
 * `<sc>`, `<span class="nocase">`, small-caps spans) is formatting, not text.
 */
const CSL_MARKUP = /<\/?(?:i|b|sub|sup|sc)>|<span (?:class="nocase"|style="font-variant:\s*small-caps;?")>|<\/span>/gi;

function plainText(s: string | undefined): string | undefined {
  return s?.includes('<') ? s.replace(CSL_MARKUP, '') : s;
}

function itemToPaper(item: Item, file: string, line: number): { paper: Paper | null; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  const key = str(item.id);
  if (!key) return { paper: null, problems: [{ line, severity: 'error', message: 'CSL item has no "id": skipped' }] };
  let title = plainText(str(item.title)) ?? '';
  if (!title) {
    title = UNTITLED;
    problems.push({ line, severity: 'warning', message: `item "${key}" has no title: listed as "${UNTITLED}"` });
  }
  const custom = isItem(item.custom) ? item.custom : undefined;
  const authors = readNames(item.author);
  const [year, month, day] = readIssued(item.issued);
  const cslType = str(item.type) ?? 'article';
  const fields: Record<string, string> = {};
  const container = plainText(str(item['container-title']));
  if (container) fields[containerField(cslType)] = container;
  for (const [csl, bib] of FIELD_MAP) {
    const v = str(item[csl]);
    if (v) fields[bib] = v;
  }
  const editors = readNames(item.editor);
  if (editors.length) fields.editor = editors.map((a) => (a.given ? `${a.given} ${a.family}` : a.family)).join(' and ');
  const doi = fields.doi === undefined ? undefined : bareDoi(fields.doi);
  const arxiv = doi ? /^10\.48550\/arxiv\.(.+)$/i.exec(doi)?.[1] : /arxiv\.org\/(?:abs|pdf)\/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})/i.exec(fields.url ?? '')?.[1];
  const codeUrl = readCodeUrl(item, custom);
  const paper: Paper = {
    key,
    title,
    authors: authors.length ? authors : editors,
    authorsTruncated: custom?.authorsTruncated === true,
    year,
    month,
    day: month === null ? null : day,
    category: readCategory(custom),
    abstract: str(item.abstract) ?? '',
    hasCode: codeUrl !== null,
    codeUrl,
    source: { file, line },
    extra: {
      entryType: CSL_TO_BIBTEX[cslType] ?? 'misc',
      fields,
      ...(doi !== undefined && { doi }),
      ...(arxiv !== undefined && { arxivId: arxiv.replace(/v\d+$/, '') }),
    },
  };
  const check = PaperSchema.safeParse(paper);
  if (!check.success) {
    problems.push({ line, severity: 'error', message: `item "${key}" skipped: ${describeZodError(check.error)}` });
    return { paper: null, problems };
  }
  return { paper, problems };
}

/** Reads CSL-JSON text into papers. Never throws on bad input: problems become diagnostics with lines. */
export function parseCslJson(text: string, opts: { file: string }): ReadResult {
  let items: Numbered[];
  const diagnostics: Diagnostic[] = [];
  try {
    const data = JSON.parse(text) as Json;
    if (!Array.isArray(data) && !isItem(data)) {
      return { papers: [], diagnostics: [{ line: 1, severity: 'error', message: 'CSL-JSON must be an array of items' }] };
    }
    const lines = linesOf(text, itemOffsets(text));
    items = (Array.isArray(data) ? data : [data]).map((item, i) => ({ item, no: i + 1, line: lines[i] ?? 1 }));
  } catch (e) {
    // One broken item should not cost the others: read the array item by item.
    const recovered = recoverItems(text);
    if (!recovered) {
      const at = syntaxErrorAt(text, e instanceof Error ? e.message : String(e)) ?? { line: 1 };
      return { papers: [], diagnostics: [{ ...at, severity: 'error', message: `not valid JSON: ${jsonProblem(e)}` }] };
    }
    items = recovered.items;
    diagnostics.push(...recovered.diagnostics);
  }
  const papers: Paper[] = [];
  const seen = new Map<string, number>();
  for (const { item, no, line } of items) {
    if (!isItem(item)) {
      diagnostics.push({ line, severity: 'error', message: `item ${no} is not an object: skipped` });
      continue;
    }
    const { paper, problems } = itemToPaper(item, opts.file, line);
    diagnostics.push(...problems);
    if (!paper) continue;
    const first = seen.get(paper.key);
    if (first !== undefined) diagnostics.push({ line, severity: 'warning', message: `duplicate id "${paper.key}" (first on line ${first})` });
    else seen.set(paper.key, line);
    papers.push(paper);
  }
  diagnostics.sort((a, b) => a.line - b.line);
  return { papers, diagnostics };
}

function cslName(a: Author): { family: string; given?: string } | { literal: string } {
  if (!a.given && /\s/.test(a.family)) return { literal: a.family };
  return a.given ? { family: a.family, given: a.given } : { family: a.family };
}

/** One paper as a CSL 1.0.2 item (fields in a stable order, empty ones left out). */
export function toCslItem(p: Paper): Record<string, unknown> {
  const f = p.extra?.fields ?? {};
  const type = p.extra?.entryType ? (BIBTEX_TO_CSL[p.extra.entryType] ?? 'article') : 'article';
  const item: Record<string, unknown> = { id: p.key, type };
  if (p.title !== UNTITLED) item.title = p.title; // the reader's placeholder is not a title
  if (p.authors.length) item.author = p.authors.map(cslName);
  const container = f.journal ?? f.journaltitle ?? f.booktitle;
  if (container) item['container-title'] = container;
  if (p.year !== null) {
    const parts = [p.year, p.month, p.month !== null ? p.day : null].filter((x): x is number => x !== null);
    item.issued = { 'date-parts': [parts] };
  }
  for (const [csl, bib] of FIELD_MAP) {
    const v = bib === 'doi' ? (p.extra?.doi ?? f.doi) : f[bib];
    if (v) item[csl] = v;
  }
  if (p.abstract) item.abstract = p.abstract;
  const custom: Record<string, unknown> = {};
  if (p.codeUrl) custom.code = p.codeUrl;
  if (p.category?.archive) custom.category = p.category.archive;
  if (p.authorsTruncated) custom.authorsTruncated = true;
  if (Object.keys(custom).length) item.custom = custom;
  return item;
}

/** Papers as a CSL-JSON document (an array, pretty-printed, ending with a newline). */
export function toCslJson(papers: Paper[]): string {
  return `${JSON.stringify(papers.map(toCslItem), null, 2)}\n`;
}
