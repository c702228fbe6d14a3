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
 * ## Where the title ends and the authors begin
 *
 * The page puts no separator between them (`…with SharpBalanceHaiquan Lu, …`), so the
 * title line is read from the right ({@link splitTitleLine}):
 *
 * 1. `et al.` (or `…`) at the end marks a truncated list. Then authors are taken from
 *    the right, separated by `,`, `and` or `&`, as long as every word looks like part of
 *    a name: a capitalised word (`Léo`, `Jean-Pierre`, `O'Brien`, `Jr.`), initials
 *    (`P.`, `J.-P.`), an all-caps word, a `Mc`/`Mac`/`Le`/`De`/`Di`/`Van`… camel-case
 *    name (`McDonald`, `LeCun`), a lower-case particle (`van`, `der`, `de`, `la`, …), or
 *    a word in a script without case. At most six words per name.
 * 2. The scan stops at the first word that cannot be part of a name: that word holds
 *    the glue point. A glue point is an upper-case letter preceded by a lower-case
 *    letter, a digit or punctuation (`NetworksKonstantin`, `GPT-4Yefan`, `Why?Jane`),
 *    or ending an upper-case run when followed by a lower-case letter or a period
 *    (`NLPYefan` → `NLP|Yefan`). A capital after a hyphen or an apostrophe is never a
 *    glue point (`Jean-Pierre`, `O'Brien`). The part right of the split must itself be
 *    a name word: `SharpBalanceHaiquan` splits only as `SharpBalance|Haiquan`, since
 *    `BalanceHaiquan` is no name. Within one word the leftmost such split wins
 *    (`NetworksJ.P. Smith` → `J.P.`, not `P.`).
 * 3. Name words passed on the way may hold glue points too (`…SteeringYann LeCun`
 *    offers `Le|Cun`). Candidates are ranked: a first author that appears elsewhere in
 *    the listing as a second or later author (those are unambiguous) wins; then a
 *    first author of two or more words over a single word; then a split inside a
 *    non-name word over one inside a name word; then the rightmost.
 * 4. Where no glue point gives a name-shaped split (a space between title and
 *    authors, `Title Jane Doe`, or an apostrophe, `Models'Jane Doe`), the line splits
 *    only where the remaining first author is such a known name.
 *
 * Limits: a single-word first author with an internal capital reads as its tail
 * (`…ModelsOpenAI` → `AI`), and so does a camel-case given name outside the prefix
 * list (`JoAnn Smith` → `Ann Smith`); such a word among the later authors stops the
 * scan early and garbles the line the same way. Known names do not help there, since
 * they are collected by the same scan. A title glued to the authors with no glue point
 * and no known first author is reported, not guessed.
 *
 * A display name splits into given and family at the last word, keeping lower-case
 * particles (`van der Maaten`) and a generational suffix (`King Jr.`) with the family;
 * a capitalised particle (`Van Dyke`) reads as part of the given name.
 */
import { categoryForCode } from './categories';
import { httpHost, isCodeHost } from './links';
import { citationKey, disambiguate, validateKeyPattern, DEFAULT_KEY_PATTERN } from './keys';
import {
  HttpUrlSchema,
  PaperSchema,
  describeZodError,
  type Author,
  type Diagnostic,
  type Paper,
  type ReadResult,
} from './model';
import { fold } from './text';

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
  const records = groupRecords(splitLines(text), diagnostics);
  const context: BuildContext = {
    file: opts.file,
    captured,
    keyPattern: chooseKeyPattern(opts.keyPattern, diagnostics),
    known: knownNames(records.map((r) => r.titleLine)),
    diagnostics,
  };
  const papers: Paper[] = [];
  for (const record of records) {
    const paper = buildPaper(record, context);
    if (paper) papers.push(paper);
  }
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
  readonly abstractLines: readonly Line[];
}

function splitLines(text: string): Line[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).map((t, i) => ({ no: i + 1, text: t.trim() }));
}

/** Cut the lines into records at each header; text before the first header is reported. */
function groupRecords(lines: readonly Line[], diagnostics: Diagnostic[]): RawRecord[] {
  const records: RawRecord[] = [];
  let header: { line: Line; parsed: Header | string } | undefined;
  let body: Line[] = [];
  const flush = (): void => {
    if (!header) return;
    const first = body.findIndex((l) => l.text !== '');
    records.push({
      header: header.line,
      parsed: header.parsed,
      titleLine: first === -1 ? undefined : body[first],
      abstractLines: first === -1 ? [] : body.slice(first + 1),
    });
  };
  let orphan: { first: Line; count: number } | undefined;
  for (const line of lines) {
    const parsed = readHeader(line.text);
    if (parsed !== undefined) {
      flush();
      header = { line, parsed };
      body = [];
    } else if (header) {
      body.push(line);
    } else if (line.text !== '') {
      orphan = orphan ? { first: orphan.first, count: orphan.count + 1 } : { first: line, count: 1 };
    }
  }
  flush();
  if (orphan) {
    diagnostics.push({
      line: orphan.first.no,
      message:
        `${orphan.count} line${orphan.count === 1 ? '' : 's'} before the first record header ignored ` +
        `(a record starts with a header such as 'LGMay 20Code' or 'MLJul 17, 2024')`,
    });
  }
  return records;
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

const MONTHS: ReadonlyMap<string, number> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']
    .flatMap((name, i): [string, number][] => [
      [name, i + 1],
      [name.slice(0, 3), i + 1],
    ])
    .concat([['sept', 9]]),
);

/** A parsed header, what is wrong with a header-shaped line, or undefined for other lines. */
function readHeader(text: string): Header | string | undefined {
  if (text.length > MAX_HEADER_LENGTH) return undefined;
  const m = HEADER_SHAPE.exec(text);
  if (!m) return undefined;
  const [, code = '', monthName = '', dayText = '', yearText, badge = ''] = m;
  const dateText = `${monthName} ${dayText}${yearText === undefined ? '' : `, ${yearText}`}`;
  const problem = (why: string): string => `date '${dateText}' ${why}`;
  const month = MONTHS.get(monthName.toLowerCase());
  if (month === undefined) return problem(`has an unknown month '${monthName}'`);
  if (yearText !== undefined && !/^[1-9]\d{3}$/.test(yearText)) return problem('does not have a four-digit year');
  const year = yearText === undefined ? null : Number(yearText);
  const day = Number(dayText);
  if (day < 1 || day > daysInMonth(year, month)) return problem(`has no day ${day}`);
  const hasCode = badge === 'Code';
  return { code, dateText, year, month, day, hasCode, unknownBadge: badge !== '' && !hasCode ? badge : undefined };
}

/** Days in a month; with no year, February has 29. */
function daysInMonth(year: number | null, month: number): number {
  return new Date(Date.UTC(year ?? 2000, month, 0)).getUTCDate();
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
  /** Names seen as later authors anywhere in the listing ({@link nameKey}). */
  readonly known: ReadonlySet<string>;
  readonly diagnostics: Diagnostic[];
}

/** One record as a validated paper, or undefined with the reason in the diagnostics. */
function buildPaper(record: RawRecord, context: BuildContext): Paper | undefined {
  const { diagnostics } = context;
  const headerLine = record.header.no;
  const headerText = `header '${record.header.text}'`;
  const date = typeof record.parsed === 'string' ? record.parsed : resolveHeaderYear(record.parsed, context.captured);
  if (typeof date === 'string') {
    diagnostics.push({ line: headerLine, message: `${headerText}: ${date}; record skipped` });
    return undefined;
  }
  if (date.unknownBadge !== undefined) {
    diagnostics.push({
      line: headerLine,
      severity: 'warning',
      message: `${headerText}: unknown badge '${date.unknownBadge}' ignored (only 'Code' is known)`,
    });
  }
  const titleLine = record.titleLine;
  if (!titleLine) {
    diagnostics.push({
      line: headerLine,
      message: `${headerText} is not followed by a title line (the title with the authors glued to it); record skipped`,
    });
    return undefined;
  }
  const split = splitTitleLine(titleLine.text, context.known);
  if (typeof split === 'string') {
    diagnostics.push({ line: titleLine.no, message: `${split}; record skipped` });
    return undefined;
  }
  const abstract = joinAbstract(record.abstractLines);
  const base = {
    title: split.title,
    authors: split.authors,
    authorsTruncated: split.truncated,
    year: date.year,
    month: date.month,
    day: date.day,
    category: categoryForCode(date.code),
  };
  const candidate: Paper = {
    key: citationKey(base, context.keyPattern),
    ...base,
    abstract,
    hasCode: date.hasCode,
    codeUrl: findCodeUrl(abstract, date.hasCode),
    source: { file: context.file, line: headerLine },
  };
  const checked = PaperSchema.safeParse(candidate);
  if (!checked.success) {
    diagnostics.push({ line: headerLine, message: `${describeZodError(checked.error)}; record skipped` });
    return undefined;
  }
  return candidate;
}

/** Abstract lines joined by newlines; runs of blank lines become one blank line. */
function joinAbstract(lines: readonly Line[]): string {
  return lines
    .map((l) => l.text)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// ---------------------------------------------------------------------------------
// Code links

/** One URL per match; the character class is a single run, so matching is linear. */
const URL_RE = /\bhttps?:\/\/[^\s<>"`]+/gi;
const TRAILING_PUNCTUATION = '.,;:!?\'"*';
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * The code link of a record. With the `Code` badge: the first URL on a code host, else
 * the first URL of any kind (the badge says the code is out there, and authors point to
 * it from the abstract). Without the badge: only a URL on a code host (links.ts,
 * `CODE_HOSTS`) counts, so a project page is not mistaken for code. Trailing
 * punctuation and unbalanced closing brackets are not part of a URL.
 */
export function findCodeUrl(abstract: string, hasCodeBadge: boolean): string | null {
  let first: string | null = null;
  for (const m of abstract.matchAll(URL_RE)) {
    const url = trimUrl(m[0]);
    if (!HttpUrlSchema.safeParse(url).success) continue;
    if (onCodeHost(url)) return url;
    first ??= url;
  }
  return hasCodeBadge ? first : null;
}

function trimUrl(url: string): string {
  const counts = new Map<string, number>();
  for (const c of url) if ('()[]{}'.includes(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  let end = url.length;
  while (end > 0) {
    const last = url.charAt(end - 1);
    const opener = CLOSERS[last];
    const closers = counts.get(last) ?? 0;
    if (TRAILING_PUNCTUATION.includes(last)) {
      end--;
    } else if (opener !== undefined && closers > (counts.get(opener) ?? 0)) {
      counts.set(last, closers - 1);
      end--;
    } else {
      break;
    }
  }
  return url.slice(0, end);
}

function onCodeHost(url: string): boolean {
  const host = httpHost(url);
  return host !== undefined && isCodeHost(host);
}

// ---------------------------------------------------------------------------------
// Title and authors

export interface TitleLineSplit {
  readonly title: string;
  readonly authors: Author[];
  /** The list ended with `et al.`. */
  readonly truncated: boolean;
}

interface Candidate {
  /** Token holding the end of the title, and the offset in it where the first author starts. */
  readonly token: number;
  readonly offset: number;
  readonly firstAuthor: readonly string[];
  /** How many later authors (collected right to left) follow the first author. */
  readonly laterCount: number;
  /** The split is inside a word that could itself be part of a name (`LeCun`). */
  readonly insideNameWord: boolean;
  /** At a glue point, with a name-shaped first word. */
  readonly shaped: boolean;
  /** The first author is a known name. */
  readonly known: boolean;
}

interface Analysis {
  readonly tokens: readonly string[];
  readonly truncated: boolean;
  /** Later authors, right to left. */
  readonly laterReversed: readonly (readonly string[])[];
  readonly candidates: readonly Candidate[];
  /** The line ends in something name-like, though no split was found. */
  readonly endsInNames: boolean;
}

const MAX_NAME_WORDS = 6;
const MAX_NAME_WORD_LENGTH = 48;
const EXAMPLE = "e.g. 'Paper TitleJane Doe, John Roe et al.'";
const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Split a title line into title and authors (see the module comment for the rules).
 * `known` holds folded names ({@link nameKey}) seen as second or later authors.
 * Returns a message when the line has no recognisable author list.
 */
export function splitTitleLine(line: string, known: ReadonlySet<string> = NO_NAMES): TitleLineSplit | string {
  const analysis = analyzeTitleLine(line, known);
  const best = bestCandidate(analysis.candidates);
  if (!best) {
    return analysis.endsInNames
      ? `cannot tell where the title ends and the authors begin: the first author's name should follow the title directly (${EXAMPLE})`
      : `no author list at the end of the title line (expected the authors right after the title, ${EXAMPLE})`;
  }
  const { tokens } = analysis;
  const titleWords = tokens.slice(0, best.token);
  const head = (tokens[best.token] ?? '').slice(0, best.offset);
  if (head !== '') titleWords.push(head);
  const names = [best.firstAuthor, ...analysis.laterReversed.slice(0, best.laterCount).reverse()];
  return {
    title: titleWords.join(' '),
    authors: names.map((words) => splitDisplayName(words)),
    truncated: analysis.truncated,
  };
}

/** The folded form of a name used to compare names: `Léo Meynent` → `leo meynent`. */
function nameKey(words: readonly string[]): string {
  return words.map(fold).join(' ');
}

/**
 * Names that are unambiguous in a listing: every author after the first of each title
 * line, as read without any known names.
 */
function knownNames(titleLines: readonly (Line | undefined)[]): Set<string> {
  const known = new Set<string>();
  for (const line of titleLines) {
    if (!line) continue;
    const analysis = analyzeTitleLine(line.text, NO_NAMES);
    const best = bestCandidate(analysis.candidates);
    if (!best) continue;
    for (const words of analysis.laterReversed.slice(0, best.laterCount)) known.add(nameKey(words));
  }
  return known;
}

/**
 * A name-shaped split at a glue point first (a known name alone does not override the
 * shape: a known `Ann Smith` must not cut `…TheoryMary Ann Smith`); then a known first
 * author; then two or more words over one; then a split inside a word that is no name
 * over one inside a name word; then the rightmost word; then the leftmost split within
 * that word.
 */
function bestCandidate(candidates: readonly Candidate[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestRank: number[] = [];
  for (const c of candidates) {
    const rank = [c.shaped ? 1 : 0, c.known ? 1 : 0, c.firstAuthor.length >= 2 ? 1 : 0, c.insideNameWord ? 0 : 1, c.token, -c.offset];
    if (!best || compareRanks(rank, bestRank) > 0) {
      best = c;
      bestRank = rank;
    }
  }
  return best;
}

function compareRanks(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Scan the title line from the right, collecting later authors and candidate splits:
 * name-shaped splits at glue points, and splits where the first author is a `known`
 * name (at a space, or before any capital: `Models'Jane Doe`).
 */
function analyzeTitleLine(line: string, known: ReadonlySet<string>): Analysis {
  const tokens = line.split(/\s+/).filter((t) => t !== '');
  const truncated = stripEtAl(tokens);
  const laterReversed: string[][] = [];
  const candidates: Candidate[] = [];
  let current: string[] = [];
  /** nameKey(current), kept up to date word by word. */
  let currentKey = '';
  let afterSeparator = false;

  const closeCurrent = (): boolean => {
    if (current.length === 0 || !isName(current)) return false;
    laterReversed.push(current);
    current = [];
    currentKey = '';
    return true;
  };
  const keyWith = (word: string): string => (currentKey === '' ? fold(word) : `${fold(word)} ${currentKey}`);

  for (let i = tokens.length - 1; i >= 0; i--) {
    let word = tokens[i] ?? '';
    if (word === 'and' || word === '&') {
      if (!closeCurrent()) break;
      afterSeparator = true;
      continue;
    }
    if (word.endsWith(',')) {
      word = word.slice(0, -1);
      const isLastToken = i === tokens.length - 1;
      if (current.length > 0) {
        if (!closeCurrent()) break;
      } else if (!afterSeparator && !isLastToken) {
        break;
      }
    }
    afterSeparator = false;
    if (current.length >= MAX_NAME_WORDS) break;
    const nameWord = isNameWord(word);
    const glue = gluePoints(word);
    const offsets = known.size > 0 ? knownNameOffsets(word, titleCanEndBefore(tokens, i)) : glue;
    for (const offset of offsets) {
      const start = word.slice(offset);
      const isKnown = known.size > 0 && known.has(keyWith(start));
      const shaped = glue.includes(offset) && isNameWord(start);
      if (isKnown || shaped) {
        candidates.push({
          token: i,
          offset,
          firstAuthor: [start, ...current],
          laterCount: laterReversed.length,
          insideNameWord: nameWord,
          shaped,
          known: isKnown,
        });
      }
    }
    if (!nameWord) break;
    current = [word, ...current];
    currentKey = keyWith(word);
  }
  return { tokens, truncated, laterReversed, candidates, endsInNames: laterReversed.length > 0 || current.length > 0 };
}

/**
 * Whether a title can end right before token `i`: there is a word before it, and that
 * word does not end in a comma or join names (`and`, `&`), which belong to the author list.
 */
function titleCanEndBefore(tokens: readonly string[], i: number): boolean {
  const before = tokens[i - 1];
  return before !== undefined && !before.endsWith(',') && before !== 'and' && before !== '&';
}

/**
 * Offsets in a word where a known name could start: the word's start (if a title can
 * end before it) and every capital, which includes all glue points.
 */
function knownNameOffsets(word: string, hasWordBefore: boolean): number[] {
  const offsets = hasWordBefore ? [0] : [];
  for (let k = Math.max(1, word.length - MAX_NAME_WORD_LENGTH); k < word.length; k++) {
    if (isUpper(word.charAt(k))) offsets.push(k);
  }
  return offsets;
}

/** Remove a trailing `et al.` / `…` (and a comma before it) from the tokens; true if there was one. */
function stripEtAl(tokens: string[]): boolean {
  const n = tokens.length;
  const last = tokens[n - 1] ?? '';
  let removed = 0;
  if (/^al\.?$/.test(last) && /^et\.?$/.test(tokens[n - 2] ?? '')) removed = 2;
  else if (/^,?(?:…|\.\.\.)$/.test(last)) removed = 1;
  if (removed === 0 || n - removed < 1) return false;
  tokens.length = n - removed;
  const before = tokens[tokens.length - 1] ?? '';
  if (before.endsWith(',')) tokens[tokens.length - 1] = before.slice(0, -1);
  return true;
}

/**
 * Glue points of a word: offsets where an author name could start (see the module
 * comment), limited to the word's last {@link MAX_NAME_WORD_LENGTH} characters.
 */
function gluePoints(word: string): number[] {
  const points: number[] = [];
  for (let k = Math.max(1, word.length - MAX_NAME_WORD_LENGTH); k < word.length; k++) {
    const c = word.charAt(k);
    if (!isUpper(c)) continue;
    const prev = word.charAt(k - 1);
    if (prev === '-' || prev === "'" || prev === '’') continue;
    if (isUpper(prev)) {
      const next = word.charAt(k + 1);
      if (!(next === '.' || isLower(next))) continue;
    }
    points.push(k);
  }
  return points;
}

const PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'do',
  'ten', 'ter', 'zu', 'af', 'bin', 'ibn', 'al', 'el', 'y',
]);
const CAPITALISED = /^\p{Lu}[\p{Ll}\p{M}]*(?:[-'’]\p{L}[\p{Ll}\p{M}]*)*\.?$/u;
const INITIALS = /^(?:\p{Lu}\.?-?)+$/u;
const CAMEL_NAME = /^(?:Mc|Mac|Le|La|De|Di|Da|Du|Del|Della|Van|Vander|Von|Fitz|Ten|Ter)\p{Lu}[\p{Ll}\p{M}]+(?:[-'’]\p{L}[\p{Ll}\p{M}]*)*$/u;
const PREFIXED_NAME = /^(?:d|l|al|el)['’-]\p{Lu}[\p{Ll}\p{M}]*$/u;
const CASELESS = /^\p{Lo}[\p{Lo}\p{M}]*$/u;

/** Whether a word can be part of a person's name. */
function isNameWord(word: string): boolean {
  if (word.length === 0 || word.length > MAX_NAME_WORD_LENGTH) return false;
  return (
    PARTICLES.has(word) ||
    CAPITALISED.test(word) ||
    INITIALS.test(word) ||
    CAMEL_NAME.test(word) ||
    PREFIXED_NAME.test(word) ||
    CASELESS.test(word)
  );
}

/** A name: 1–6 name words, not only particles. */
function isName(words: readonly string[]): boolean {
  return (
    words.length >= 1 &&
    words.length <= MAX_NAME_WORDS &&
    words.every(isNameWord) &&
    words.some((w) => !PARTICLES.has(w))
  );
}

function isUpper(c: string): boolean {
  if (c >= 'A' && c <= 'Z') return true;
  if (c < '\u0080') return false;
  return /\p{Lu}/u.test(c);
}

function isLower(c: string): boolean {
  if (c >= 'a' && c <= 'z') return true;
  if (c < '\u0080') return false;
  return /\p{Ll}/u.test(c);
}

const GENERATIONAL_SUFFIX = /^(?:Jr|Sr|II|III|IV)\.?$/;

/**
 * `Diederik P. Kingma` → given `Diederik P.`, family `Kingma`; `Laurens van der Maaten`
 * → family `van der Maaten`; `Martin Luther King Jr.` → family `King Jr.`; a single
 * word is a family name with an empty given name.
 */
export function splitDisplayName(words: readonly string[]): Author {
  if (words.length <= 1) return { given: '', family: words[0] ?? '' };
  let start = words.length - 1;
  if (words.length >= 3 && GENERATIONAL_SUFFIX.test(words[start] ?? '')) start--;
  while (start > 1 && PARTICLES.has(words[start - 1] ?? '')) start--;
  return { given: words.slice(0, start).join(' '), family: words.slice(start).join(' ') };
}
