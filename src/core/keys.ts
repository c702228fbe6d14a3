/**
 * Citation keys: generation from a key pattern, validation, and making keys unique.
 *
 * The default pattern `[auth:lower][year][veryshorttitle:lower]` gives Google Scholar
 * style keys: `zhou2026hidden`, `schurholt2025model`, `xiong2026rl4rla`.
 *
 * Decisions (Google Scholar itself is not consistent on these):
 * - `[auth]` is the WHOLE family name, particles included, accents folded and letters
 *   only: `van der Maaten` → `vanderMaaten` (lower: `vandermaaten`), `O'Brien` → `OBrien`.
 *   Google Scholar keys on the first word only (`van2008visualizing`), which makes every
 *   `van …` and `de …` author clash; the whole name stays recognisable. A generational suffix
 *   (`Jr.`, `III`) is left out. A family name with no Latin letters (e.g. `周`) counts
 *   as missing. No author → `Anon` (lower: `anon`).
 * - No year → the year is left out (`zhouhidden`); a placeholder such as `nd` would
 *   read as part of the title word.
 * - Title words: accents folded, punctuation dropped, a hyphenated word is cut at its
 *   first hyphen (`Three-regime` → `Three`, `RL4RLA:` → `RL4RLA`); the words skipped as
 *   function words are {@link FUNCTION_WORDS}.
 * - Whatever the pattern, the result passes {@link isSafeKey}: other characters are
 *   dropped, and an empty result becomes `anon`.
 */
import { KEY_PATTERN, type Paper } from './model';
import { isSpaceCode, stripAccents } from './text';

/** The default key pattern (Google Scholar style). */
export const DEFAULT_KEY_PATTERN = '[auth:lower][year][veryshorttitle:lower]';

/**
 * Title words skipped by `[veryshorttitle]` and `[shorttitle]`: articles, common
 * prepositions and conjunctions, and question openers Google Scholar skips
 * (`What does BERT look at?` → `does`, `Is BERT really robust?` → `bert`). `towards`
 * and `does` are kept, as Google Scholar keeps them (`madry2017towards`, `clark2019does`).
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the',
  'on', 'of', 'in', 'for', 'to', 'at', 'by', 'from', 'via', 'with', 'into', 'onto', 'upon', 'as',
  'and', 'or', 'nor', 'but',
  'is', 'are', 'was', 'were', 'be', 'do',
  'what', 'why', 'how', 'when', 'where', 'which', 'who',
  'this', 'that', 'these', 'those', 'it', 'its',
]);

/** The author whose family name stands for a paper with no authors. */
const ANONYMOUS = 'Anon';
const GENERATIONAL_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const UNSAFE_KEY_CHARS = /[^A-Za-z0-9_:.\-+/]+/g;
const LITERAL_OK = /^[A-Za-z0-9_:.\-+/]*$/;

/** What a key is made from. */
export type KeySource = Pick<Paper, 'authors' | 'year' | 'title'> &
  Partial<Pick<Paper, 'category' | 'authorsTruncated'>>;

type Modifier = 'lower' | 'upper' | 'capitalize';
type FieldName = 'auth' | 'authors' | 'authorsN' | 'year' | 'shortyear' | 'veryshorttitle' | 'shorttitle' | 'title' | 'category';
type Part =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly field: FieldName; readonly n: number; readonly modifiers: readonly Modifier[] };

const FIELDS: readonly FieldName[] = ['auth', 'authors', 'year', 'shortyear', 'veryshorttitle', 'shorttitle', 'title', 'category'];
const MODIFIERS: readonly Modifier[] = ['lower', 'upper', 'capitalize'];
const FIELD_LIST = '[auth], [authors], [authorsN], [year], [shortyear], [veryshorttitle], [shorttitle], [title], [category]';

/** `true` when `k` is safe inside `\cite{}` and Pandoc `[@…]` (see KEY_PATTERN). */
export function isSafeKey(k: string): boolean {
  return KEY_PATTERN.test(k);
}

/**
 * Check a key pattern (JabRef / Better BibTeX bracket style). Returns a message for the
 * user when it is invalid, `undefined` when it is fine.
 *
 * Fields: `[auth]` first author's family name; `[authors]` all family names when there
 * are at most two, else the first + `EtAl`; `[authorsN]` the first N + `EtAl` when there
 * are more; `[year]`; `[shortyear]` its last two digits; `[veryshorttitle]` the first
 * title word that is not a function word; `[shorttitle]` the first three such words,
 * capitalised and joined; `[title]` all title words, capitalised and joined;
 * `[category]` the listing's category code (`LG`). Modifiers `:lower`, `:upper`,
 * `:capitalize` (first letter only) chain left to right. Text between fields is copied
 * and must consist of characters allowed in keys.
 */
export function validateKeyPattern(pattern: string): string | undefined {
  const compiled = compilePattern(pattern);
  return typeof compiled === 'string' ? compiled : undefined;
}

/**
 * The citation key for a paper. An invalid `pattern` falls back to the default (callers
 * that take a pattern from the user check it first with {@link validateKeyPattern}).
 */
export function citationKey(p: KeySource, pattern: string = DEFAULT_KEY_PATTERN): string {
  let compiled = compilePattern(pattern);
  if (typeof compiled === 'string') compiled = compilePattern(DEFAULT_KEY_PATTERN) as readonly Part[];
  const raw = compiled.map((part) => (part.kind === 'literal' ? part.text : renderField(part, p))).join('');
  return toSafeKey(raw);
}

/**
 * Make keys unique, in place. Keys that occur for the first time and are not in `taken`
 * stay as they are; every later occurrence gets the first free suffix `a`, `b`, …, `z`,
 * `aa`, … in source order (`zhou2024md`, `zhou2024mda`, `zhou2024mdb`). Suffixes are
 * handed out after all bare keys are claimed, so a duplicate never takes a key that a
 * later paper has natively. Returns the papers that were renamed, with their old key.
 */
export function disambiguate(
  papers: Paper[],
  taken: ReadonlySet<string> = new Set(),
): { paper: Paper; from: string }[] {
  const claimed = new Set<string>();
  const duplicates: Paper[] = [];
  for (const p of papers) {
    const before = claimed.size;
    if (taken.has(p.key) || claimed.add(p.key).size === before) duplicates.push(p);
  }
  const isTaken = (k: string): boolean => taken.has(k) || claimed.has(k);
  const suffixes: SuffixCounter = new Map();
  return duplicates.map((paper) => {
    const from = paper.key;
    paper.key = nextFreeKey(from, isTaken, suffixes, 1);
    claimed.add(paper.key);
    return { paper, from };
  });
}

/** Per base key, the suffix number {@link nextFreeKey} tries next: keeps many clashes of one key linear. */
export type SuffixCounter = Map<string, number>;

/**
 * `base` if free, otherwise `base` + `a`, `b`, …, `z`, `aa`, `ab`, … whichever is free first.
 * With `suffixes` (one map for a run of calls whose keys stay taken) each call goes on from
 * the suffix after the last one given for `base`, so n clashes cost O(n), not O(n²).
 * `from` = 1 skips `base` itself.
 */
export function nextFreeKey(base: string, isTaken: (k: string) => boolean, suffixes?: SuffixCounter, from = 0): string {
  let i = suffixes?.get(base) ?? from;
  if (i === 0 && !isTaken(base)) return base;
  i = Math.max(i, 1);
  while (isTaken(base + alphaSuffix(i))) i++;
  suffixes?.set(base, i + 1);
  return base + alphaSuffix(i);
}

/** Bijective base 26: 1 → a, 26 → z, 27 → aa. */
function alphaSuffix(i: number): string {
  let s = '';
  for (let n = i; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}

/** A key that {@link toSafeKey} leaves as it is. */
const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_:.\-+/]*$/;

function toSafeKey(raw: string): string {
  if (SAFE_KEY.test(raw)) return raw;
  const key = raw.replace(UNSAFE_KEY_CHARS, '').replace(/^[^A-Za-z0-9]+/, '');
  return key === '' ? ANONYMOUS.toLowerCase() : key;
}

const compiledPatterns = new Map<string, readonly Part[] | string>();

/** Parse a pattern into parts, or an error message. Results are memoised. */
function compilePattern(pattern: string): readonly Part[] | string {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = parsePattern(pattern);
    if (compiledPatterns.size > 100) compiledPatterns.clear();
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function parsePattern(pattern: string): readonly Part[] | string {
  if (pattern.trim() === '') return 'Key pattern is empty: use fields such as [auth:lower][year].';
  const parts: Part[] = [];
  let i = 0;
  while (i < pattern.length) {
    const open = pattern.indexOf('[', i);
    const close = pattern.indexOf(']', i);
    if (close !== -1 && (open === -1 || close < open)) {
      return `Key pattern: ']' at position ${close + 1} has no matching '['.`;
    }
    const literalEnd = open === -1 ? pattern.length : open;
    if (literalEnd > i) {
      const text = pattern.slice(i, literalEnd);
      if (!LITERAL_OK.test(text)) {
        const bad = text.replace(/[A-Za-z0-9_:.\-+/]/g, '').charAt(0);
        return `Key pattern: '${bad}' cannot appear in a citation key (allowed between fields: letters, digits and _ : . - + /).`;
      }
      parts.push({ kind: 'literal', text });
    }
    if (open === -1) break;
    const end = pattern.indexOf(']', open + 1);
    const nextOpen = pattern.indexOf('[', open + 1);
    if (end === -1 || (nextOpen !== -1 && nextOpen < end)) {
      return `Key pattern: '[' at position ${open + 1} is never closed.`;
    }
    const field = parseField(pattern.slice(open + 1, end));
    if (typeof field === 'string') return field;
    parts.push(field);
    i = end + 1;
  }
  if (!parts.some((p) => p.kind === 'field')) {
    return `Key pattern '${pattern}' has no field, so every paper would get the same key: add fields such as [auth:lower][year].`;
  }
  return parts;
}

function parseField(body: string): Part | string {
  const [name = '', ...mods] = body.split(':');
  if (name === '') return `Key pattern: empty field '[${body}]'; known fields: ${FIELD_LIST}.`;
  const authorsN = /^authors(\d+)$/.exec(name);
  let field: FieldName;
  let n = 0;
  if (authorsN) {
    n = Number(authorsN[1]);
    if (n < 1) return `Key pattern: '[${body}]' needs at least 1 author (e.g. [authors2]).`;
    field = 'authorsN';
  } else if ((FIELDS as readonly string[]).includes(name)) {
    field = name as FieldName;
  } else {
    return `Key pattern: unknown field '[${name}]'; known fields: ${FIELD_LIST}.`;
  }
  for (const m of mods) {
    if (!(MODIFIERS as readonly string[]).includes(m)) {
      return `Key pattern: unknown modifier ':${m}' in '[${body}]'; known modifiers: :lower, :upper, :capitalize.`;
    }
  }
  return { kind: 'field', field, n, modifiers: mods as Modifier[] };
}

function renderField(part: Extract<Part, { kind: 'field' }>, p: KeySource): string {
  let value = fieldValue(part.field, part.n, p);
  for (const m of part.modifiers) value = applyModifier(m, value);
  return value;
}

function applyModifier(m: Modifier, s: string): string {
  if (m === 'lower') return s.toLowerCase();
  if (m === 'upper') return s.toUpperCase();
  return capitalize(s);
}

function fieldValue(field: FieldName, n: number, p: KeySource): string {
  switch (field) {
    case 'auth':
      return firstFamilyName(p) ?? ANONYMOUS;
    case 'authors':
      return authorList(p, 2, true);
    case 'authorsN':
      return authorList(p, n, false);
    case 'year':
      return p.year === null ? '' : String(p.year);
    case 'shortyear':
      return p.year === null ? '' : String(p.year % 100).padStart(2, '0');
    case 'veryshorttitle':
      return keywords(p.title, 1).join('');
    case 'shorttitle':
      return keywords(p.title, 3).map(capitalize).join('');
    case 'title':
      return titleWords(p.title).map(capitalize).join('');
    case 'category':
      return p.category?.code ?? '';
  }
}

/**
 * Family names of all authors, cleaned for keys. `[authors]` (`allOrEtAl`): all of them
 * when there are at most `n`, else the first + `EtAl`; `[authorsN]`: the first `n`, plus
 * `EtAl` when there are more. A list the source ended with "et al." counts as longer.
 */
function authorList(p: KeySource, n: number, allOrEtAl: boolean): string {
  const names = familyNames(p);
  if (names.length === 0) return ANONYMOUS;
  const more = names.length > n || p.authorsTruncated === true;
  if (!more) return names.join('');
  return (allOrEtAl ? names[0] : names.slice(0, n).join('')) + 'EtAl';
}

function familyNames(p: KeySource): string[] {
  return p.authors.map((a) => cleanFamily(a.family)).filter((f) => f !== '');
}

/** The first of {@link familyNames}, without cleaning the others. */
function firstFamilyName(p: KeySource): string | undefined {
  for (const a of p.authors) {
    const family = cleanFamily(a.family);
    if (family !== '') return family;
  }
  return undefined;
}

/** A family name that {@link cleanFamily} leaves as it is (most are). */
const ASCII_LETTERS = /^[A-Za-z]*$/;
const SPACE = /\s/;

/** `van der Maaten` → `vanderMaaten`, `King Jr.` → `King`, `Schürholt` → `Schurholt`. */
function cleanFamily(family: string): string {
  if (ASCII_LETTERS.test(family)) return family;
  let joined = family;
  if (SPACE.test(family)) {
    const words = family.split(/\s+/).filter((w) => w !== '');
    while (words.length > 1 && GENERATIONAL_SUFFIX.test(words[words.length - 1] ?? '')) words.pop();
    joined = words.join('');
  }
  return stripAccents(joined).replace(/[^A-Za-z]+/g, '');
}

/**
 * The first `count` title words that are not function words, cut at hyphens. Words are
 * read one at a time, so a long title costs no more than its first few words.
 */
function keywords(title: string, count: number): string[] {
  const out: string[] = [];
  let end = 0;
  while (out.length < count) {
    let start = end;
    while (start < title.length && isSpaceCode(title.charCodeAt(start))) start++;
    if (start === title.length) break;
    end = start + 1;
    while (end < title.length && !isSpaceCode(title.charCodeAt(end))) end++;
    const word = firstHyphenPart(title.slice(start, end));
    if (word !== '' && !FUNCTION_WORDS.has(word.toLowerCase())) out.push(word);
  }
  return out;
}

const HYPHEN = /[-‐‑‒–—/]/;

/** `Three-regime` → `Three`, `RL4RLA:` → `RL4RLA`, `“Über”` → `Uber`, `—` → ``. */
function firstHyphenPart(raw: string): string {
  if (!HYPHEN.test(raw)) return asciiWord(raw);
  for (const piece of raw.split(HYPHEN)) {
    const clean = asciiWord(piece);
    if (clean !== '') return clean;
  }
  return '';
}

/** All title words, hyphenated ones split into their parts: `Fine-tuning LLMs` → `Fine`, `tuning`, `LLMs`. */
function titleWords(title: string): string[] {
  return title
    .split(/[\s\-‐‑‒–—/]+/)
    .map(asciiWord)
    .filter((w) => w !== '');
}

/** A word that {@link asciiWord} leaves as it is. */
const ASCII_ALNUM = /^[A-Za-z0-9]*$/;

function asciiWord(s: string): string {
  if (ASCII_ALNUM.test(s)) return s;
  return stripAccents(s).replace(/[^A-Za-z0-9]+/g, '');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
