/**
 * Reader for paper listings copied from a researcher's profile page.
 *
 * A record is:
 *
 * ```text
 * LGMay 20Code                                   ← header: category code, date, optional badge
 * Paper TitleYefan Zhou, Yilun Zhou, Austin Xu et al.   ← title glued to the author list
 * Abstract, one or more lines, up to the next header.
 * ```
 *
 * The header's date is `Mon D` or `Mon D, YYYY` (full month names and `Sept` are
 * accepted too); a date without a year belongs to the capture year, or to the year
 * before when it would otherwise lie after the capture date. Blank lines, CRLF, a BOM
 * and trailing spaces are ignored. A record that cannot be read becomes a diagnostic
 * naming its line and the rest still loads. Runs in time linear in the input.
 *
 * Where the title ends and the authors begin: see listing-title.ts.
 */
import { categoryForCode } from './categories';
import { codeLinkRank, httpHost } from './links';
import { citationKey, disambiguate, validateKeyPattern, DEFAULT_KEY_PATTERN } from './keys';
import {
  isHttpUrl,
  paperProblem,
  type Author,
  type Diagnostic,
  type Paper,
  type ReadResult,
} from './model';
import {
  addKnownNames,
  nameKey,
  scanTitleLine,
  splitAt,
  splitScanned,
  type Candidate,
  type AuthorPool,
  type TitleLineSplit,
  type TitleScan,
} from './listing-title';

export { splitDisplayName, splitTitleLine, type TitleLineSplit } from './listing-title';

export interface ListingOptions {
  /** Path or URI string recorded in each record's `source.file`. */
  file: string;
  /** The day the listing was copied, `YYYY-MM-DD`: gives dates without a year their year. */
  captured: string;
  /** Citation key pattern (see keys.ts); the default when absent. */
  keyPattern?: string;
}

/** Parse a listing. Never throws: problems come back as diagnostics. */
export function parseListing(text: string, opts: ListingOptions): ReadResult {
  const diagnostics: Diagnostic[] = [];
  const captured = parseIsoDate(opts.captured);
  if (!captured) {
    diagnostics.push({
      line: 1,
      message: `capture date '${opts.captured}' is not a valid YYYY-MM-DD date: dates without a year are left without one`,
    });
  }
  const records = new RecordReader(text);
  if (records.orphans) {
    const { first, count } = records.orphans;
    diagnostics.push({
      line: first,
      message:
        `${count} line${count === 1 ? '' : 's'} before the first record header ignored ` +
        `(a record starts with a header such as 'LGMay 20Code' or 'MLJul 17, 2024')`,
    });
  }
  const context: BuildContext = {
    file: opts.file,
    captured,
    keyPattern: chooseKeyPattern(opts.keyPattern, diagnostics),
    diagnostics,
    authors: new Map(),
  };
  const papers = buildPapers(records, context);
  disambiguate(papers);
  diagnostics.sort((a, b) => a.line - b.line);
  return { papers, diagnostics };
}

// ---------------------------------------------------------------------------------
// Lines and records

interface Line {
  /** 1-based. */
  readonly no: number;
  readonly text: string;
}

interface RawRecord {
  readonly header: Line;
  /** The parsed header, or why it could not be read. */
  readonly parsed: Header | string;
  /** First non-blank line after the header, if any. */
  readonly titleLine: Line | undefined;
  /** The lines after the title line joined by newlines, blank lines between paragraphs as one. */
  readonly abstract: string;
}

/**
 * The lines of a text, split at `\r\n`, `\r` and `\n` and trimmed, one at a time. Each
 * line break is found once by `indexOf`, so reading is linear and nothing but the
 * current line is allocated.
 */
class LineReader {
  /** 1-based number of the current line. */
  no = 0;
  /** The current line, trimmed. */
  text = '';
  private pos: number;
  private nextLf: number;
  private nextCr: number;

  constructor(private readonly source: string) {
    this.pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.nextLf = source.indexOf('\n', this.pos);
    this.nextCr = source.indexOf('\r', this.pos);
  }

  /** Move to the next line; false after the last one. */
  next(): boolean {
    const { source, pos } = this;
    if (pos > source.length) return false;
    if (this.nextLf !== -1 && this.nextLf < pos) this.nextLf = source.indexOf('\n', pos);
    if (this.nextCr !== -1 && this.nextCr < pos) this.nextCr = source.indexOf('\r', pos);
    const lf = this.nextLf === -1 ? source.length : this.nextLf;
    const end = this.nextCr !== -1 && this.nextCr < lf ? this.nextCr : lf;
    this.text = source.slice(pos, end).trim();
    this.no++;
    this.pos = end === this.nextCr && source.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
    return true;
  }
}

/**
 * The records of a text, one at a time: each starts at a header and runs to the next.
 * Lines before the first header are read (and counted in {@link orphans}) on construction.
 */
class RecordReader {
  /** Non-blank lines before the first header: the first one's number, and how many there are. */
  readonly orphans: { readonly first: number; readonly count: number } | undefined;
  private readonly lines: LineReader;
  /** The header of the next record, already read. */
  private header: { readonly line: Line; readonly parsed: Header | string } | undefined;

  constructor(text: string) {
    this.lines = new LineReader(text);
    let orphans: { first: number; count: number } | undefined;
    while (!this.advance()) {
      if (this.lines.text === '') continue;
      if (orphans) orphans.count++;
      else orphans = { first: this.lines.no, count: 1 };
    }
    this.orphans = orphans;
  }

  /** The next record, or undefined at the end of the text. */
  next(): RawRecord | undefined {
    const header = this.header;
    if (!header) return undefined;
    let titleLine: Line | undefined;
    let abstract = '';
    let gap = false;
    while (!this.advance()) {
      const { text } = this.lines;
      if (text === '') {
        gap = abstract !== '';
      } else if (!titleLine) {
        titleLine = { no: this.lines.no, text };
      } else {
        abstract = abstract === '' ? text : `${abstract}${gap ? '\n\n' : '\n'}${text}`;
        gap = false;
      }
    }
    return { header: header.line, parsed: header.parsed, titleLine, abstract };
  }

  /** Read a line; true if it is a header (kept for the next record) or the text has ended. */
  private advance(): boolean {
    this.header = undefined;
    if (!this.lines.next()) return true;
    const { text, no } = this.lines;
    const parsed = readHeader(text);
    if (parsed === undefined) return false;
    this.header = { line: { no, text }, parsed };
    return true;
  }
}

// ---------------------------------------------------------------------------------
// Headers and dates

interface Header {
  readonly code: string;
  /** The date as written, e.g. `May 20`. */
  readonly dateText: string;
  /** Null until resolved when the header has no year. */
  readonly year: number | null;
  readonly month: number;
  readonly day: number;
  readonly hasCode: boolean;
  /** A badge other than `Code`, reported as a warning. */
  readonly unknownBadge: string | undefined;
}

/**
 * Anything shaped like a header, including bad dates (`LGFoo 99`), so that they are
 * reported instead of being read as abstract text. Bounded quantifiers only.
 */
const HEADER_SHAPE = /^([A-Z]{2})[ \t]?([A-Z][a-z]{2,8})\.?[ \t]?(\d{1,4})(?:,[ \t]?(\d{1,6}))?[ \t]?([A-Za-z]{0,20})$/;
const MAX_HEADER_LENGTH = 64;

/** Month names as a header writes them (capitalised, which HEADER_SHAPE requires), full or short. */
const MONTHS: ReadonlyMap<string, number> = new Map(
  ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
    .flatMap((name, i): [string, number][] => [
      [name, i + 1],
      [name.slice(0, 3), i + 1],
    ])
    .concat([['Sept', 9]]),
);

/** A parsed header, what is wrong with a header-shaped line, or undefined for other lines. */
function readHeader(text: string): Header | string | undefined {
  if (text.length > MAX_HEADER_LENGTH) return undefined;
  const m = HEADER_SHAPE.exec(text);
  if (!m) return undefined;
  const [, code = '', monthName = '', dayText = '', yearText, badge = ''] = m;
  const dateText = `${monthName} ${dayText}${yearText === undefined ? '' : `, ${yearText}`}`;
  const month = MONTHS.get(monthName);
  if (month === undefined) return `date '${dateText}' has an unknown month '${monthName}'`;
  if (yearText !== undefined && !/^[1-9]\d{3}$/.test(yearText)) return `date '${dateText}' does not have a four-digit year`;
  const year = yearText === undefined ? null : Number(yearText);
  const day = Number(dayText);
  if (day < 1 || day > daysInMonth(year, month)) return `date '${dateText}' has no day ${day}`;
  const hasCode = badge === 'Code';
  return { code, dateText, year, month, day, hasCode, unknownBadge: badge !== '' && !hasCode ? badge : undefined };
}

/** Days of each month, February in a leap year. */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1–12); with no year, February has 29. */
function daysInMonth(year: number | null, month: number): number {
  if (month !== 2 || year === null) return MONTH_DAYS[month - 1] ?? 0;
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export interface IsoDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** `2026-11-26` → `{ year: 2026, month: 11, day: 26 }`; undefined when not a real date. */
export function parseIsoDate(s: string): IsoDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

/** The year of a yearless date: the capture year, or the one before if that lies after capture. */
function resolveYear(month: number, day: number, captured: IsoDate): number {
  const after = month > captured.month || (month === captured.month && day > captured.day);
  return after ? captured.year - 1 : captured.year;
}

/** Give a yearless header its year from the capture date, or say why it cannot have it. */
function resolveHeaderYear(header: Header, captured: IsoDate | undefined): Header | string {
  if (header.year !== null || !captured) return header;
  const year = resolveYear(header.month, header.day, captured);
  if (header.day > daysInMonth(year, header.month)) {
    return `${header.dateText} does not exist in ${year}, the year taken from the capture date`;
  }
  return { ...header, year };
}

// ---------------------------------------------------------------------------------
// Building papers

function chooseKeyPattern(pattern: string | undefined, diagnostics: Diagnostic[]): string {
  if (pattern === undefined) return DEFAULT_KEY_PATTERN;
  const problem = validateKeyPattern(pattern);
  if (problem === undefined) return pattern;
  diagnostics.push({ line: 1, severity: 'warning', message: `${problem} Using the default ${DEFAULT_KEY_PATTERN}.` });
  return DEFAULT_KEY_PATTERN;
}

interface BuildContext {
  readonly file: string;
  readonly captured: IsoDate | undefined;
  readonly keyPattern: string;
  readonly diagnostics: Diagnostic[];
  readonly authors: AuthorPool;
}

/** A record whose title line waits for the names known from the whole listing. */
interface Waiting {
  /** Its place among the papers. */
  readonly slot: number;
  readonly record: RawRecord;
  readonly titleLine: Line;
  readonly date: Header;
  readonly scan: TitleScan;
}

/**
 * The records as papers, in source order. Each title line is scanned once. Where the scan
 * found exactly one name-shaped split, that split is the answer whatever names are known
 * (a name-shaped split outranks every other), so the paper is built at once. The other
 * records wait for the names known from the whole listing, which are gathered only if
 * some record waits.
 */
function buildPapers(records: RecordReader, context: BuildContext): Paper[] {
  const slots: (Paper | undefined)[] = [];
  const waiting: Waiting[] = [];
  /** Known names from title lines that did not become a paper at once. */
  const otherNames = new Set<string>();
  for (let record = records.next(); record; record = records.next()) {
    const { titleLine } = record;
    const scan = titleLine && scanTitleLine(titleLine.text);
    const date = readRecordDate(record, context);
    if (!date || !titleLine || !scan) {
      if (scan) addKnownNames(scan, otherNames);
      if (date) {
        context.diagnostics.push({
          line: record.header.no,
          message: `header '${record.header.text}' is not followed by a title line (the title with the authors glued to it); record skipped`,
        });
      }
    } else if (scan.shaped.length === 1) {
      const paper = finishPaper(record, date, splitAt(scan, scan.shaped[0] as Candidate, context.authors), context);
      if (!paper) addKnownNames(scan, otherNames);
      slots.push(paper);
    } else {
      addKnownNames(scan, otherNames);
      waiting.push({ slot: slots.length, record, titleLine, date, scan });
      slots.push(undefined);
    }
  }
  if (waiting.length > 0) {
    const known = knownNames(slots, otherNames);
    for (const w of waiting) {
      const split = splitScanned(w.scan, known, context.authors);
      if (typeof split === 'string') context.diagnostics.push({ line: w.titleLine.no, message: `${split}; record skipped` });
      else slots[w.slot] = finishPaper(w.record, w.date, split, context);
    }
  }
  return slots.filter((p): p is Paper => p !== undefined);
}

/**
 * The names known from a whole listing: those from title lines that did not become a
 * paper at once, and the later authors of the papers that did (which are exactly the
 * names their title lines add, see {@link addKnownNames}).
 */
function knownNames(papers: readonly (Paper | undefined)[], otherNames: ReadonlySet<string>): Set<string> {
  const known = new Set(otherNames);
  for (const paper of papers) {
    if (!paper) continue;
    for (let i = 1; i < paper.authors.length; i++) {
      const { given, family } = paper.authors[i] as Author;
      known.add(nameKey(given === '' ? family : `${given} ${family}`));
    }
  }
  return known;
}

/** The record's header with its year resolved, or undefined with the reason in the diagnostics. */
function readRecordDate(record: RawRecord, context: BuildContext): Header | undefined {
  const { diagnostics } = context;
  const { no, text } = record.header;
  const date = typeof record.parsed === 'string' ? record.parsed : resolveHeaderYear(record.parsed, context.captured);
  if (typeof date === 'string') {
    diagnostics.push({ line: no, message: `header '${text}': ${date}; record skipped` });
    return undefined;
  }
  if (date.unknownBadge !== undefined) {
    diagnostics.push({
      line: no,
      severity: 'warning',
      message: `header '${text}': unknown badge '${date.unknownBadge}' ignored (only 'Code' is known)`,
    });
  }
  return date;
}

/** One record as a validated paper, or undefined with the reason in the diagnostics. */
function finishPaper(record: RawRecord, date: Header, split: TitleLineSplit, context: BuildContext): Paper | undefined {
  const headerLine = record.header.no;
  const { abstract } = record;
  const { title, authors, truncated: authorsTruncated } = split;
  const { year, month, day, hasCode } = date;
  const category = categoryForCode(date.code);
  // Every field written out (no spread), so that each paper is one compact object.
  const candidate: Paper = {
    key: citationKey({ title, authors, authorsTruncated, year, category }, context.keyPattern),
    title,
    authors,
    authorsTruncated,
    year,
    month,
    day,
    category,
    abstract,
    hasCode,
    codeUrl: findCodeUrl(abstract, hasCode),
    source: { file: context.file, line: headerLine },
  };
  const problem = paperProblem(candidate);
  if (problem === undefined) return candidate;
  context.diagnostics.push({ line: headerLine, message: `${problem}; record skipped` });
  return undefined;
}

// ---------------------------------------------------------------------------------
// Code links

/**
 * One URL per match; the character class is a single run, so matching is linear. A URL
 * also ends at characters no address holds unencoded: zero-width ones, `…`, and CJK and
 * full-width punctuation (`。，、：；（）「」【】`).
 */
const URL_RE = /\bhttps?:\/\/[^\s<>"`\u200b-\u200f\u2060\ufeff\u2026\u3000-\u303f\uff08\uff09\uff0c\uff1a\uff1b]+/gi;
/** A URL match holds `://` at most this far from its start. */
const SCHEME_LENGTH = 'https'.length;
const TRAILING_PUNCTUATION = '.,;:!?\'"*';
/** Brackets in pairs, each opening one before its closing one. */
const BRACKETS = '()[]{}';

/**
 * The code link of a record. With the `Code` badge: the first URL on a code host, else
 * the first URL of any kind (the badge says the code is out there, and authors point to
 * it from the abstract). Without the badge: only a URL on a code host (links.ts,
 * `CODE_HOSTS`) counts, so a project page is not mistaken for code. A repository on a
 * source forge beats a link to another code host (links.ts, `codeLinkRank`), and a
 * dataset or competition page is no code link. Trailing punctuation and unbalanced
 * closing brackets are not part of a URL.
 */
export function findCodeUrl(abstract: string, hasCodeBadge: boolean): string | null {
  // Most abstracts hold no URL: one indexOf settles them, and otherwise the regex
  // starts next to the first `://` instead of at the beginning of the abstract.
  const firstScheme = abstract.indexOf('://');
  if (firstScheme === -1) return null;
  let first: string | null = null;
  let otherCodeHost: string | null = null;
  URL_RE.lastIndex = Math.max(0, firstScheme - SCHEME_LENGTH);
  for (let m = URL_RE.exec(abstract); m !== null; m = URL_RE.exec(abstract)) {
    const url = trimUrl(m[0]);
    if (!isHttpUrl(url)) continue;
    const rank = codeRank(url);
    if (rank === 2) return url;
    if (rank === 1) otherCodeHost ??= url;
    first ??= url;
  }
  return otherCodeHost ?? (hasCodeBadge ? first : null);
}

function trimUrl(url: string): string {
  /** How many of each of BRACKETS the URL holds, counted when a closing bracket ends it. */
  let counts: number[] | undefined;
  let end = url.length;
  while (end > 0) {
    const last = url.charAt(end - 1);
    if (TRAILING_PUNCTUATION.includes(last)) {
      end--;
      continue;
    }
    const bracket = BRACKETS.indexOf(last);
    if (bracket % 2 !== 1) break;
    counts ??= bracketCounts(url);
    if (counts[bracket] <= counts[bracket - 1]) break;
    counts[bracket]--;
    end--;
  }
  return url.slice(0, end);
}

function bracketCounts(url: string): number[] {
  const counts = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < url.length; i++) {
    const bracket = BRACKETS.indexOf(url.charAt(i));
    if (bracket !== -1) counts[bracket]++;
  }
  return counts;
}

/** {@link codeLinkRank} of a URL, its host read as {@link plainHost} does (0 when it has none). */
function codeRank(url: string): 0 | 1 | 2 {
  const host = plainHost(url) ?? httpHost(url);
  return host === undefined ? 0 : codeLinkRank(url, host);
}

/** An http(s) URL whose authority is plain ASCII letters, digits, dots and hyphens. */
const PLAIN_AUTHORITY = /^https?:\/\/([A-Za-z0-9.-]+)(?:[/?#]|$)/i;

/**
 * The host of a URL with a plain authority and no `xn--` label, lower-cased: the host
 * the URL parser (links.ts, `httpHost`) gives, except for names ending in a number,
 * which it reads as IPv4 addresses or rejects, and which are no code host either way.
 * Parsing a URL costs more than the rest of a record. Undefined for other URLs.
 */
function plainHost(url: string): string | undefined {
  const authority = PLAIN_AUTHORITY.exec(url)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.toLowerCase();
  return host.includes('xn--') ? undefined : host;
}
