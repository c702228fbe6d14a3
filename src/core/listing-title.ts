/**
 * The title line of a listing record: where the title ends and the authors begin, and
 * each author's display name split into given and family names (listing.ts reads the
 * records).
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
import type { Author } from './model';
import { fold, isSpaceCode } from './text';

export interface TitleLineSplit {
  readonly title: string;
  readonly authors: Author[];
  /** The list ended with `et al.`. */
  readonly truncated: boolean;
}

export interface Candidate {
  /** Where the token holding the end of the title starts in the line, and the offset in it where the first author starts. */
  readonly token: number;
  readonly offset: number;
  readonly firstAuthor: readonly string[];
  /** How many later authors (collected right to left) follow the first author. */
  readonly laterCount: number;
  /** The split is inside a word that could itself be part of a name (`LeCun`). */
  readonly insideNameWord: boolean;
}

/** What the scan of a title line finds, whatever names are known. */
export interface TitleScan {
  readonly line: string;
  readonly truncated: boolean;
  /** Later authors, right to left. */
  readonly laterReversed: readonly (readonly string[])[];
  /** Splits at glue points with a name-shaped first word, right to left. */
  readonly shaped: readonly Candidate[];
  /** The line ends in something name-like, though no split may be found. */
  readonly endsInNames: boolean;
}

/** A word the scan reached, for the search for known first authors. */
interface ScanStep {
  /** Where the word's token starts in the line. */
  readonly token: number;
  /** The token without a trailing comma. */
  readonly word: string;
  readonly nameWord: boolean;
  /** The name words collected right of this word since the last separator. */
  readonly current: readonly string[];
  readonly laterCount: number;
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
  return splitScanned(scanTitleLine(line), known);
}

/** {@link splitTitleLine} for a line already scanned, authors taken from `pool` when given. */
export function splitScanned(scan: TitleScan, known: ReadonlySet<string>, pool?: AuthorPool): TitleLineSplit | string {
  const best = bestCandidate(scan, known);
  if (best) return splitAt(scan, best, pool);
  return scan.endsInNames
    ? `cannot tell where the title ends and the authors begin: the first author's name should follow the title directly (${EXAMPLE})`
    : `no author list at the end of the title line (expected the authors right after the title, ${EXAMPLE})`;
}

export function splitAt(scan: TitleScan, best: Candidate, pool?: AuthorPool): TitleLineSplit {
  const authorWords = [best.firstAuthor, ...scan.laterReversed.slice(0, best.laterCount).reverse()];
  return {
    title: joinWords(scan.line.slice(0, best.token + best.offset)),
    authors: authorWords.map((words) => pooledAuthor(pool, words)),
    truncated: scan.truncated,
  };
}

/**
 * One author object per display name. Authors repeat throughout a listing (its owner is
 * on every paper): with one object each, 100k papers take less memory and less of the
 * garbage collector's time to move, and each name is split once. Papers share their
 * author objects, as the BibTeX reader's do; nothing changes them.
 */
export type AuthorPool = Map<string, Author>;

function pooledAuthor(pool: AuthorPool | undefined, words: readonly string[]): Author {
  if (!pool) return splitDisplayName(words);
  // Words hold no blanks, so joined they name one list of words.
  const name = words.length === 1 ? (words[0] as string) : words.join(' ');
  let author = pool.get(name);
  if (author === undefined) pool.set(name, (author = splitDisplayName(words)));
  return author;
}

/** White space other than a space. */
const OTHER_SPACE = /[^\S ]/;

/** The words of a text joined by single spaces. */
function joinWords(text: string): string {
  const even =
    text.charCodeAt(0) !== 0x20 && text.charCodeAt(text.length - 1) !== 0x20 && !text.includes('  ') && !OTHER_SPACE.test(text);
  return even ? text : text.split(/\s+/).filter((w) => w !== '').join(' ');
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * The folded form of a name (its words joined by single spaces) used to compare names:
 * `Léo Meynent` → `leo meynent`.
 */
export function nameKey(name: string): string {
  // Folding ASCII only lower-cases it, letter by letter.
  return ASCII.test(name) ? name.toLowerCase() : name.split(' ').map(fold).join(' ');
}

/**
 * The key a first author is looked up by: {@link nameKey}, except that words folding to
 * nothing leave no separator behind them.
 */
function firstAuthorKey(words: readonly string[]): string {
  let key = '';
  for (let i = words.length - 1; i >= 0; i--) {
    const word = fold(words[i] ?? '');
    key = key === '' ? word : `${word} ${key}`;
  }
  return key;
}

/**
 * Add the names that are unambiguous in a listing: every author after the first of a
 * title line, as read without any known names.
 */
export function addKnownNames(scan: TitleScan, known: Set<string>): void {
  const best = bestOf(scan.shaped, noneKnown);
  if (!best) return;
  for (let i = 0; i < best.laterCount; i++) known.add(nameKey((scan.laterReversed[i] ?? []).join(' ')));
}

/**
 * A name-shaped split at a glue point first (a known name alone does not override the
 * shape: a known `Ann Smith` must not cut `…TheoryMary Ann Smith`); then a known first
 * author; then two or more words over one; then a split inside a word that is no name
 * over one inside a name word; then the rightmost word; then the leftmost split within
 * that word. Splits that are not name-shaped count only where the first author is known.
 */
function bestCandidate(scan: TitleScan, known: ReadonlySet<string>): Candidate | undefined {
  if (known.size === 0) return bestOf(scan.shaped, noneKnown);
  if (scan.shaped.length > 0) return bestOf(scan.shaped, (c) => known.has(firstAuthorKey(c.firstAuthor)));
  return bestOf(knownCandidates(scan.line, known), allKnown);
}

const noneKnown = (): boolean => false;
const allKnown = (): boolean => true;

/**
 * The best of candidates that are all name-shaped or all not, given which have a known
 * first author (asked only when there is a choice).
 */
function bestOf(candidates: readonly Candidate[], isKnown: (c: Candidate) => boolean): Candidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  let best: Candidate | undefined;
  let bestKnown = false;
  for (const c of candidates) {
    const known = isKnown(c);
    if (!best || outranks(c, known, best, bestKnown)) {
      best = c;
      bestKnown = known;
    }
  }
  return best;
}

function outranks(a: Candidate, aKnown: boolean, b: Candidate, bKnown: boolean): boolean {
  if (aKnown !== bKnown) return aKnown;
  const aLong = a.firstAuthor.length >= 2;
  if (aLong !== b.firstAuthor.length >= 2) return aLong;
  if (a.insideNameWord !== b.insideNameWord) return !a.insideNameWord;
  if (a.token !== b.token) return a.token > b.token;
  return a.offset < b.offset;
}

/**
 * Splits where the first author is a known name: at a space, or before any capital
 * (`Models'Jane Doe`). Only asked for when the line offers no name-shaped split.
 */
function knownCandidates(line: string, known: ReadonlySet<string>): Candidate[] {
  const candidates: Candidate[] = [];
  scanTitleLine(line, (step) => {
    const { word, current } = step;
    for (const offset of knownNameOffsets(word, titleCanEndBefore(line, step.token))) {
      const firstAuthor = [word.slice(offset), ...current];
      if (known.has(firstAuthorKey(firstAuthor))) {
        candidates.push({ token: step.token, offset, firstAuthor, laterCount: step.laterCount, insideNameWord: step.nameWord });
      }
    }
  });
  return candidates;
}

/**
 * Scan the title line from the right, collecting later authors and the name-shaped
 * splits at glue points. Tokens (runs of non-space characters) are read one at a time,
 * so the title left of the authors is never cut into words. `visit` sees every word the
 * scan reaches.
 */
export function scanTitleLine(line: string, visit?: (step: ScanStep) => void): TitleScan {
  const lineEnd = endOfTokenBefore(line, line.length);
  const listEnd = endOfAuthorList(line, lineEnd);
  const truncated = listEnd !== lineEnd;
  const laterReversed: string[][] = [];
  const shaped: Candidate[] = [];
  /** Name words since the last separator, left to right. */
  let current: string[] = [];
  let afterSeparator = false;
  /**
   * Close the name being collected; false if it is no name. It holds only name words,
   * at most six, so it is a name unless it is empty or all particles.
   */
  const closeCurrent = (): boolean => {
    if (current.every(isParticle)) return false;
    laterReversed.push(current);
    current = [];
    return true;
  };

  let start = 0;
  for (let end = listEnd; end > 0; end = endOfTokenBefore(line, start)) {
    start = startOfToken(line, end);
    let word = line.slice(start, end);
    const isLastToken = end === listEnd;
    // A comma before a removed `et al.` goes with it.
    if (isLastToken && truncated && word.endsWith(',')) word = word.slice(0, -1);
    if (word === 'and' || word === '&') {
      if (!closeCurrent()) break;
      afterSeparator = true;
      continue;
    }
    if (word.endsWith(',')) {
      word = word.slice(0, -1);
      if (current.length > 0) {
        if (!closeCurrent()) break;
      } else if (!afterSeparator && !isLastToken) {
        break;
      }
    }
    afterSeparator = false;
    if (current.length >= MAX_NAME_WORDS) break;
    const nameWord = isNameWord(word);
    for (let k = Math.max(1, word.length - MAX_NAME_WORD_LENGTH); k < word.length; k++) {
      if (!isGluePoint(word, k)) continue;
      const first = word.slice(k);
      if (isNameWord(first)) {
        shaped.push({ token: start, offset: k, firstAuthor: [first, ...current], laterCount: laterReversed.length, insideNameWord: nameWord });
      }
    }
    visit?.({ token: start, word, nameWord, current, laterCount: laterReversed.length });
    if (!nameWord) break;
    current = [word, ...current];
  }
  return { line, truncated, laterReversed, shaped, endsInNames: laterReversed.length > 0 || current.length > 0 };
}

/** The end of the token that ends at or before `pos`; 0 when there is none. */
function endOfTokenBefore(line: string, pos: number): number {
  let end = pos;
  while (end > 0 && isSpaceCode(line.charCodeAt(end - 1))) end--;
  return end;
}

/** The start of the token that ends at `end`. */
function startOfToken(line: string, end: number): number {
  let start = end - 1;
  while (start > 0 && !isSpaceCode(line.charCodeAt(start - 1))) start--;
  return start;
}

/**
 * Where the author list ends, given where the line's last token ends: before a trailing
 * `et al.` or `…` (the list is truncated), unless no token would be left.
 */
function endOfAuthorList(line: string, lineEnd: number): number {
  if (lineEnd === 0) return lineEnd;
  const start = startOfToken(line, lineEnd);
  let rest = 0;
  if (ET_AL_END.has(line.slice(start, lineEnd))) {
    const etEnd = endOfTokenBefore(line, start);
    const etStart = etEnd === 0 ? 0 : startOfToken(line, etEnd);
    if (ET_AL_START.has(line.slice(etStart, etEnd))) rest = endOfTokenBefore(line, etStart);
  } else if (ELLIPSES.has(line.slice(start, lineEnd))) {
    rest = endOfTokenBefore(line, start);
  }
  return rest > 0 ? rest : lineEnd;
}

const ET_AL_START: ReadonlySet<string> = new Set(['et', 'et.']);
const ET_AL_END: ReadonlySet<string> = new Set(['al', 'al.']);
const ELLIPSES: ReadonlySet<string> = new Set(['…', ',…', '...', ',...']);

/**
 * Whether a title can end right before the token starting at `token`: there is a word
 * before it, and that word does not end in a comma or join names (`and`, `&`), which
 * belong to the author list.
 */
function titleCanEndBefore(line: string, token: number): boolean {
  const end = endOfTokenBefore(line, token);
  if (end === 0) return false;
  const before = line.slice(startOfToken(line, end), end);
  return !before.endsWith(',') && before !== 'and' && before !== '&';
}

/**
 * Offsets in a word where a known name could start: the word's start (if a title can
 * end before it) and every capital, which includes all glue points.
 */
function knownNameOffsets(word: string, hasWordBefore: boolean): number[] {
  const offsets = hasWordBefore ? [0] : [];
  for (let k = Math.max(1, word.length - MAX_NAME_WORD_LENGTH); k < word.length; k++) {
    if (isUpper(word.charCodeAt(k))) offsets.push(k);
  }
  return offsets;
}

/**
 * Whether an author name could start at offset `k` of a word (see the module comment).
 * Only the word's last {@link MAX_NAME_WORD_LENGTH} characters are asked about.
 */
function isGluePoint(word: string, k: number): boolean {
  if (!isUpper(word.charCodeAt(k))) return false;
  const prev = word.charCodeAt(k - 1);
  if (prev === HYPHEN || prev === APOSTROPHE || prev === RIGHT_QUOTE) return false;
  if (!isUpper(prev)) return true;
  const next = word.charCodeAt(k + 1);
  return next === PERIOD || isLower(next);
}

const HYPHEN = 0x2d;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;
const PERIOD = 0x2e;

const PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'du', 'la', 'le', 'dos', 'das', 'do',
  'ten', 'ter', 'zu', 'af', 'bin', 'ibn', 'al', 'el', 'y',
]);
/**
 * The shapes of a name word, one regular expression: capitalised (`Léo`, `Jean-Pierre`,
 * `O'Brien`, `Jr.`), initials (`P.`, `J.-P.`), a camel-case name after a known prefix
 * (`McDonald`, `LeCun`), an elided prefix (`d'Alembert`, `al-Farabi`), or a word in a
 * script without case. Every class is written in brackets, so {@link asciiOnly} can
 * derive the ASCII version.
 */
const NAME_WORD = new RegExp(
  `^(?:${[
    /[\p{Lu}][\p{Ll}\p{M}]*(?:[-'’][\p{L}][\p{Ll}\p{M}]*)*\.?/u,
    /(?:[\p{Lu}]\.?-?)+/u,
    /(?:Mc|Mac|Le|La|De|Di|Da|Du|Del|Della|Van|Vander|Von|Fitz|Ten|Ter)[\p{Lu}][\p{Ll}\p{M}]+(?:[-'’][\p{L}][\p{Ll}\p{M}]*)*/u,
    /(?:d|l|al|el)['’-][\p{Lu}][\p{Ll}\p{M}]*/u,
    /[\p{Lo}][\p{Lo}\p{M}]*/u,
  ]
    .map((shape) => shape.source)
    .join('|')})$`,
  'u',
);

/** What the classes of {@link NAME_WORD} hold of ASCII. */
const ASCII_PART: Readonly<Record<string, string>> = {
  '\\p{Lu}': 'A-Z',
  '\\p{Ll}': 'a-z',
  '\\p{L}': 'A-Za-z',
  '\\p{Lo}': '',
  '\\p{M}': '',
  '’': '',
};

/**
 * A pattern whose classes are all in brackets, cut down to ASCII: it matches an ASCII
 * string exactly when the original does, and runs much faster on text that is stored
 * two bytes a character (Unicode property classes are costly there).
 */
function asciiOnly(pattern: RegExp): RegExp {
  return new RegExp(pattern.source.replace(/\\p\{(?:Lu|Ll|Lo|L|M)\}|’/g, (part) => ASCII_PART[part] ?? part));
}

const ASCII_NAME_WORD = asciiOnly(NAME_WORD);
const NON_ASCII = /[^\x00-\x7f]/;

/** Whether a word can be part of a person's name. */
function isNameWord(word: string): boolean {
  if (word.length === 0 || word.length > MAX_NAME_WORD_LENGTH) return false;
  return (NON_ASCII.test(word) ? NAME_WORD : ASCII_NAME_WORD).test(word) || isParticle(word);
}

/** Whether a word is one of PARTICLES, which all start with a lower-case ASCII letter. */
function isParticle(word: string): boolean {
  const first = word.charCodeAt(0);
  return first >= 0x61 && first <= 0x7a && PARTICLES.has(word);
}

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

/** Whether a UTF-16 code unit is an upper-case letter (NaN, past the end, is not). */
function isUpper(c: number): boolean {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  return UPPER.test(String.fromCharCode(c));
}

function isLower(c: number): boolean {
  if (c < 0x80) return c >= 0x61 && c <= 0x7a;
  return LOWER.test(String.fromCharCode(c));
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
  return { given: joinRange(words, 0, start), family: joinRange(words, start, words.length) };
}

/** `words[from..to)`, `from < to`, joined by spaces (without an intermediate array). */
function joinRange(words: readonly string[], from: number, to: number): string {
  let text = words[from] ?? '';
  for (let i = from + 1; i < to; i++) text += ` ${words[i]}`;
  return text;
}
