/**
 * BibTeX / biblatex syntax: entries, `@string` macros and `@preamble`s read from a file,
 * `crossref` inheritance resolved. A single-pass, linear-time tokenizer over char codes;
 * parse.ts makes papers of the entries.
 *
 * Follows BibTeX's own rule: text outside entries is a comment. `@comment` swallows its
 * braced group, or the rest of its line when it has none (JabRef and old hand-kept files
 * write both). A broken entry becomes a diagnostic naming its line and column, and the
 * reader resyncs at the next `@` that starts a line, so the rest of the file still loads.
 */

import type { Diagnostic } from '../model';

const AT = 64;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;
const RPAREN = 41;
const QUOTE = 34;
const NL = 10;

/**
 * Longest value that macro expansion may build, in UTF-16 units (BibTeX's own buffer held
 * 20,000). Without a bound, `@string` lines that each double the last (`a # a`) reach
 * gigabytes in a few dozen lines.
 */
export const MAX_EXPANDED_VALUE = 100_000;

/** True for the whitespace BibTeX skips between tokens. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/**
 * True for characters allowed in an entry type, field name or macro name: anything
 * printable except whitespace and `"#%'(),={}` (BibTeX's rule).
 */
function isIdentChar(c: number): boolean {
  if (c <= 32 || c === 127) return false;
  switch (c) {
    case 34: // "
    case 35: // #
    case 37: // %
    case 39: // '
    case 40: // (
    case 41: // )
    case 44: // ,
    case 61: // =
    case 123: // {
    case 125: // }
      return false;
    default:
      return true;
  }
}

/** True for characters that end a citation key: `,`, whitespace, braces, `=`, `"`, `#`, and the closing delimiter. */
function endsKey(c: number, close: number): boolean {
  return c === 44 || isSpace(c) || c === LBRACE || c === RBRACE || c === 61 || c === QUOTE || c === 35 || c === close;
}

function skipSpace(text: string, pos: number): number {
  const n = text.length;
  while (pos < n && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

function readIdent(text: string, pos: number): number {
  const n = text.length;
  while (pos < n && isIdentChar(text.charCodeAt(pos))) pos++;
  return pos;
}

/**
 * Position of the next `@` that is the first non-blank character of its line, at or after
 * `pos`; `text.length` if none. This is where the reader resyncs after a broken entry.
 */
function nextLineStartAt(text: string, pos: number): number {
  const n = text.length;
  let back = pos - 1;
  while (back >= 0 && (text.charCodeAt(back) === 32 || text.charCodeAt(back) === 9)) back--;
  let lineStart = back < 0 || text.charCodeAt(back) === NL;
  for (let i = pos; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === NL) lineStart = true;
    else if (c === AT && lineStart) return i;
    else if (c !== 32 && c !== 9 && c !== 13) lineStart = false;
  }
  return n;
}

/** True when the `@` at `at` is the first non-blank character of its line. */
function startsLine(text: string, at: number): boolean {
  let back = at - 1;
  while (back >= 0 && (text.charCodeAt(back) === 32 || text.charCodeAt(back) === 9 || text.charCodeAt(back) === 13)) back--;
  return back < 0 || text.charCodeAt(back) === NL;
}

/**
 * Line and column of positions, counted incrementally: queries that move forward (the
 * usual case) cost only the line breaks in between, found by `indexOf`, so a whole file
 * costs O(length).
 */
class LineCounter {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** The first line break at or after `pos` (-1: none). */
  private nextBreak: number;
  constructor(private readonly text: string) {
    this.nextBreak = text.indexOf('\n');
  }

  /** 1-based line of `pos`. */
  lineOf(pos: number): number {
    this.moveTo(pos);
    return this.line;
  }

  /** 1-based column of `pos`. */
  columnOf(pos: number): number {
    this.moveTo(pos);
    return pos - this.lineStart + 1;
  }

  private moveTo(pos: number): void {
    const { text } = this;
    if (pos < this.pos) {
      for (let br = text.indexOf('\n', pos); br !== -1 && br < this.pos; br = text.indexOf('\n', br + 1)) this.line--;
      this.lineStart = pos > 0 ? text.lastIndexOf('\n', pos - 1) + 1 : 0;
      this.nextBreak = text.indexOf('\n', pos);
    } else {
      let br = this.nextBreak;
      while (br !== -1 && br < pos) {
        this.line++;
        this.lineStart = br + 1;
        br = text.indexOf('\n', br + 1);
      }
      this.nextBreak = br;
    }
    this.pos = pos;
  }
}

/**
 * Lower-cased names (entry types, field and macro names) read straight from the text: a
 * name seen before costs no allocation, and the same string comes back every time, so
 * look-ups by it reuse its cached hash. An open-addressing table hashed on a name's
 * length and first, middle and last characters; probes are bounded, so a file crafted to
 * collide costs linear time (such names are just not shared), and names with a non-ASCII
 * character are lower-cased the plain way.
 */
class NameTable {
  private slots = new Array<string | undefined>(256);
  private size = 0;

  /** `known`: names (lower case) to have in the table from the start, the ones the code looks for. */
  constructor(known: readonly string[]) {
    for (const name of known) this.lower(name, 0, name.length);
  }

  /** `text.slice(start, end).toLowerCase()`, shared. */
  lower(text: string, start: number, end: number): string {
    const mask = this.slots.length - 1;
    let slot = nameHash(end - start, text.charCodeAt(start), text.charCodeAt((start + end) >> 1), text.charCodeAt(end - 1)) & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
      const name = this.slots[slot];
      if (name === undefined) return this.add(slot, text, start, end);
      if (name.length === end - start && sameLowered(name, text, start)) return name;
    }
    return text.slice(start, end).toLowerCase();
  }

  private add(slot: number, text: string, start: number, end: number): string {
    const lowered = text.slice(start, end).toLowerCase();
    for (let i = start; i < end; i++) if (text.charCodeAt(i) >= 128) return lowered;
    const name = internalized(lowered);
    this.slots[slot] = name;
    if (++this.size * 2 > this.slots.length) this.grow();
    return name;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array<string | undefined>(old.length * 2);
    const mask = this.slots.length - 1;
    for (const name of old) {
      if (name === undefined) continue;
      const n = name.length;
      let slot = nameHash(n, name.charCodeAt(0), name.charCodeAt(n >> 1), name.charCodeAt(n - 1)) & mask;
      while (this.slots[slot] !== undefined) slot = (slot + 1) & mask;
      this.slots[slot] = name;
    }
  }
}

/**
 * The engine's one copy of a string (property names are kept that way): two such strings
 * compare by reference, so comparing field names costs nothing.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0] ?? s;
}

/** Probes a name look-up makes before giving up sharing. */
const MAX_PROBES = 8;

function nameHash(length: number, first: number, middle: number, last: number): number {
  return (Math.imul(Math.imul(Math.imul(length, 31) + lowerAscii(first), 31) + lowerAscii(middle), 31) + lowerAscii(last)) | 0;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether `text` at `start` holds `name` in any ASCII case (`name` is lower case). */
function sameLowered(name: string, text: string, start: number): boolean {
  for (let i = 0; i < name.length; i++) if (lowerAscii(text.charCodeAt(start + i)) !== name.charCodeAt(i)) return false;
  return true;
}

/** Scans past a balanced `{…}` group starting at `pos` (which holds `{`); returns the position after it, or -1 if unbalanced. */
function skipBraced(text: string, pos: number): number {
  const n = text.length;
  let depth = 0;
  for (let i = pos; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Skips the body of an entry whose opening delimiter is at `pos`. Quoted values are
 * honoured at brace depth 0 so that `)` inside `"…"` does not end a `(`-delimited entry.
 * Returns the position after the closing delimiter, or -1 when the entry is not closed
 * before the next line-start `@type{` (or the end of the file).
 */
function skipEntryBody(text: string, pos: number): number {
  const close = text.charCodeAt(pos) === LPAREN ? RPAREN : RBRACE;
  const n = text.length;
  let depth = 0;
  let inQuote = false;
  for (let i = pos + 1; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth === 0) return close === RBRACE ? i + 1 : -1;
      depth--;
    } else if (depth === 0) {
      if (c === QUOTE) inQuote = !inQuote;
      else if (c === close && !inQuote) return i + 1;
    }
    if (c === NL && looksLikeEntryStart(text, i + 1)) return -1;
  }
  return -1;
}

/** True when `pos` begins (after blanks) with `@type{` or `@type(`: used to stop runaway values. */
function looksLikeEntryStart(text: string, pos: number): boolean {
  const n = text.length;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (c !== 32 && c !== 9 && c !== 13) break;
    pos++;
  }
  if (text.charCodeAt(pos) !== AT) return false;
  const end = readIdent(text, pos + 1);
  if (end === pos + 1) return false;
  const c = text.charCodeAt(skipSpace(text, end));
  return c === LBRACE || c === LPAREN;
}

/** Lower-cased entry types that are not entries. */
const COMMAND_TYPES = new Set(['string', 'preamble', 'comment']);

/**
 * Every entry key → 1-based line of its `@type{` header. Skips `@string`, `@preamble` and
 * `@comment`. Keys are kept exactly as written; when a key repeats, the first line wins.
 * Fast: one pass, no field parsing.
 */
export function bibtexKeys(text: string): Map<string, number> {
  const keys = new Map<string, number>();
  const lines = new LineCounter(text);
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    const at = text.indexOf('@', pos);
    if (at < 0) break;
    const typeStart = skipSpace(text, at + 1);
    const typeEnd = readIdent(text, typeStart);
    if (typeEnd === typeStart) {
      pos = at + 1;
      continue;
    }
    const type = text.slice(typeStart, typeEnd).toLowerCase();
    if (type === 'comment') {
      pos = skipComment(text, typeEnd);
      continue;
    }
    const open = skipSpace(text, typeEnd);
    const oc = text.charCodeAt(open);
    if (oc !== LBRACE && oc !== LPAREN) {
      pos = typeEnd;
      continue;
    }
    if (!COMMAND_TYPES.has(type)) {
      const close = oc === LPAREN ? RPAREN : RBRACE;
      const keyStart = skipSpace(text, open + 1);
      let keyEnd = keyStart;
      while (keyEnd < n && !endsKey(text.charCodeAt(keyEnd), close)) keyEnd++;
      if (keyEnd > keyStart && text.charCodeAt(skipSpace(text, keyEnd)) !== 61) {
        const key = text.slice(keyStart, keyEnd);
        if (!keys.has(key)) keys.set(key, lines.lineOf(at));
      }
    }
    const end = skipEntryBody(text, open);
    pos = end < 0 ? nextLineStartAt(text, open + 1) : end;
  }
  return keys;
}

/**
 * Skips an `@comment`: its braced (or parenthesised) group when one opens on the same
 * line, else the rest of its line. `pos` is just after the word `comment`.
 */
function skipComment(text: string, pos: number): number {
  while (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9) pos++;
  const c = text.charCodeAt(pos);
  if (c === LBRACE) {
    const end = skipBraced(text, pos);
    return end < 0 ? nextLineStartAt(text, pos + 1) : end;
  }
  if (c === LPAREN) {
    const end = skipEntryBody(text, pos);
    return end < 0 ? nextLineStartAt(text, pos + 1) : end;
  }
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** One entry as written: lower-case type and field names, raw (LaTeX) values with macros expanded. */
export interface BibEntry {
  type: string;
  key: string;
  /**
   * The fields in file order, three slots each: the name (lower case), then where the
   * value is in {@link text} (start, end), or, for a value made of macros or `#` parts,
   * the value itself and -1. Read values with {@link fieldOf}. After crossref resolution
   * it includes inherited fields. A flat array of positions: a 100k-entry file has a
   * million and a half fields, most never read, and a string for each (or a map per
   * entry) costs more time and memory than the rest of the reading.
   */
  fields: (string | number)[];
  /** The file's text, which {@link fields} points into. */
  text: string;
  /** 1-based line and column of the `@`. */
  line: number;
  column: number;
}

/** Slots per field in {@link BibEntry.fields}. */
export const FIELD_SLOTS = 3;

/** Position of field `name` in `fields` (see {@link BibEntry.fields}) before `length`, or -1. */
function fieldIndex(fields: readonly (string | number)[], name: string, length = fields.length): number {
  for (let i = 0; i < length; i += FIELD_SLOTS) if (fields[i] === name) return i;
  return -1;
}

/** The value of the field at position `i` of an entry's fields. */
export function valueAt(entry: BibEntry, i: number): string {
  const end = entry.fields[i + 2] as number;
  const start = entry.fields[i + 1];
  return end < 0 ? (start as string) : entry.text.slice(start as number, end);
}

/** The raw value of an entry's field `name` (lower case), or undefined. */
export function fieldOf(entry: BibEntry, name: string): string | undefined {
  const i = fieldIndex(entry.fields, name);
  return i < 0 ? undefined : valueAt(entry, i);
}

/**
 * The fields of the entry being read (see {@link BibEntry.fields}). One buffer serves
 * every entry of a file; {@link take} copies its fields out at their exact size.
 */
class FieldBuffer {
  private readonly items: (string | number)[] = [];
  private length = 0;

  clear(): void {
    this.length = 0;
  }

  has(name: string): boolean {
    return fieldIndex(this.items, name, this.length) >= 0;
  }

  /** Adds a field whose value is `text.slice(start, end)`. */
  addRange(name: string, start: number, end: number): void {
    this.items[this.length++] = name;
    this.items[this.length++] = start;
    this.items[this.length++] = end;
  }

  add(name: string, value: string): void {
    this.addRange(name, 0, -1);
    this.items[this.length - 2] = value;
  }

  /** Sets a field's value, keeping its place if it is there already. */
  set(name: string, value: string): void {
    const i = fieldIndex(this.items, name, this.length);
    if (i < 0) {
      this.add(name, value);
    } else {
      this.items[i + 1] = value;
      this.items[i + 2] = -1;
    }
  }

  take(): (string | number)[] {
    return this.items.slice(0, this.length);
  }
}

/** What {@link readBibtex} finds in a file, before entries become papers. */
export interface BibFile {
  entries: BibEntry[];
  /** `@string` macros, lower-case names → raw values (the predefined month macros included). */
  macros: Map<string, string>;
  preambles: string[];
  diagnostics: Diagnostic[];
}

/** BibTeX's predefined month macros (plain.bst and friends). */
const MONTH_MACROS: readonly [string, string][] = [
  ['jan', 'January'], ['feb', 'February'], ['mar', 'March'], ['apr', 'April'], ['may', 'May'],
  ['jun', 'June'], ['jul', 'July'], ['aug', 'August'], ['sep', 'September'], ['oct', 'October'],
  ['nov', 'November'], ['dec', 'December'],
];

/** A value that swallowed what looks like further `name = value` lines. */
const SWALLOWED_FIELD = /\n[ \t]*[A-Za-z][\w-]*[ \t]*=/;

/** How many entries with a repeated key get a warning of their own. */
const LISTED_DUPLICATES = 100;

/** Names a value in messages: `field "title" of entry "key"`, or the `@string`/`@preamble` it belongs to. */
function valueName(owner: string, field: string): string {
  return field ? `field "${field}" of entry "${owner}"` : owner;
}

/** A short quote of the text at `p` for messages. */
function excerpt(text: string, p: number): string {
  return p >= text.length ? '(end of file)' : text.slice(p, p + 12).split('\n')[0];
}

/** Thrown inside an entry on a syntax error; the reader records it and resyncs. */
class BibSyntaxError {
  constructor(
    /** Where the problem is reported. */
    readonly pos: number,
    readonly message: string,
    /** Where reading resumes (a line-start `@` is searched from here). */
    readonly resume: number = pos,
  ) {}
}

/** A `{…}`/`"…"` value that never closes before the next entry: `pos` is its opening, `resume` where it was stopped. */
class RunawayValue extends BibSyntaxError {}

function isDelimiter(c: number): boolean {
  return c === LBRACE || c === QUOTE;
}

/** The tokenizer state for one file. */
class Reader {
  private pos = 0;
  readonly entries: BibEntry[] = [];
  readonly macros = new Map<string, string>(MONTH_MACROS);
  readonly preambles: string[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines: LineCounter;
  private readonly names: NameTable;
  private readonly fields = new FieldBuffer();
  private readonly seenKeys = new Map<string, number>();
  /** Entries whose key was defined earlier in the file; only the first few get a warning each, see {@link noteDuplicate}. */
  private duplicateCount = 0;
  /** Where the first entry with a repeated key that gets no warning of its own is. */
  private unlistedDuplicate: { line: number; column: number } | undefined;
  /** Name of the field read last (for messages about its value). */
  private lastField = '';
  private readonly undefinedMacros = new Map<string, { name: string; line: number; column: number; what: string; count: number }>();

  constructor(
    private readonly text: string,
    knownNames: readonly string[],
  ) {
    this.lines = new LineCounter(text);
    this.names = new NameTable([...COMMAND_TYPES, 'crossref', 'xdata', ...knownNames]);
  }

  read(): void {
    const { text } = this;
    const n = text.length;
    while (this.pos < n) {
      const at = text.indexOf('@', this.pos);
      if (at < 0) break;
      const typeStart = skipSpace(text, at + 1);
      const typeEnd = readIdent(text, typeStart);
      if (typeEnd === typeStart) {
        this.pos = at + 1;
        continue;
      }
      const type = this.names.lower(text, typeStart, typeEnd);
      if (type === 'comment') {
        this.pos = skipComment(text, typeEnd);
        continue;
      }
      const open = skipSpace(text, typeEnd);
      const oc = text.charCodeAt(open);
      if (oc !== LBRACE && oc !== LPAREN) {
        // Outside entries everything is a comment (an e-mail address, say); only an `@word`
        // opening a line looks like a failed entry worth a warning.
        if (startsLine(text, at)) {
          this.warn(at, `"@${text.slice(typeStart, typeEnd)}" is not followed by "{" or "(": ignored`);
        }
        this.pos = typeEnd;
        continue;
      }
      this.pos = open + 1;
      const close = oc === LPAREN ? RPAREN : RBRACE;
      try {
        if (type === 'string') this.readString(close);
        else if (type === 'preamble') this.preambles.push(this.readValue('@preamble', '', close));
        else this.readEntry(type, at, close);
        if (type === 'preamble' || type === 'string') this.expectClose(close, type);
      } catch (e) {
        if (!(e instanceof BibSyntaxError)) throw e;
        this.error(e.pos, e.message);
        this.pos = nextLineStartAt(text, Math.max(e.resume, open + 1));
      }
    }
    this.reportUndefined();
    this.reportDuplicates();
  }

  private expectClose(close: number, what: string): void {
    const p = skipSpace(this.text, this.pos);
    if (this.text.charCodeAt(p) !== close) {
      throw new BibSyntaxError(p, `expected "${String.fromCharCode(close)}" to end @${what}`);
    }
    this.pos = p + 1;
  }

  /** `@string{name = value}` (several `name = value` pairs separated by commas are accepted). */
  private readString(close: number): void {
    const { text } = this;
    for (;;) {
      const start = skipSpace(text, this.pos);
      const end = readIdent(text, start);
      if (end === start) throw new BibSyntaxError(start, '@string needs a macro name');
      const eq = skipSpace(text, end);
      if (text.charCodeAt(eq) !== 61) throw new BibSyntaxError(eq, `expected "=" after @string name "${text.slice(start, end)}"`);
      this.pos = eq + 1;
      this.macros.set(this.names.lower(text, start, end), this.readValue(`@string ${text.slice(start, end)}`, '', close));
      const p = skipSpace(text, this.pos);
      if (text.charCodeAt(p) !== 44) return;
      this.pos = p + 1;
      if (text.charCodeAt(skipSpace(text, this.pos)) === close) return;
    }
  }

  private readEntry(type: string, at: number, close: number): void {
    const { text } = this;
    const n = text.length;
    const keyStart = skipSpace(text, this.pos);
    if (text.charCodeAt(keyStart) === AT && startsLine(text, keyStart) && looksLikeEntryStart(text, keyStart)) {
      // `@article{` alone on its line, then the next entry: nothing to keep.
      throw new BibSyntaxError(at, `@${type} entry is empty: it has no key and runs into the next entry (line ${this.lines.lineOf(keyStart)})`, keyStart);
    }
    let keyEnd = keyStart;
    while (keyEnd < n && !endsKey(text.charCodeAt(keyEnd), close)) keyEnd++;
    let p = skipSpace(text, keyEnd);
    // `@article{,` (Mendeley writes these) is kept with an empty key; parseBibtex names it.
    // `@article{title = …` cannot be told from a misspelt entry: an error.
    if (text.charCodeAt(p) === 61 || (keyEnd === keyStart && text.charCodeAt(p) !== 44)) {
      throw new BibSyntaxError(keyStart, `@${type} entry has no citation key`);
    }
    const key = text.slice(keyStart, keyEnd);
    const line = this.lines.lineOf(at);
    const column = this.lines.columnOf(at);
    const spaced = this.spacedKeyEnd(keyEnd, close);
    if (spaced >= 0) {
      // `@misc{with space,`: not a key BibTeX accepts, but the fields after it are fine.
      this.error(keyStart, `citation key "${text.slice(keyStart, spaced).trim()}" has blanks in it, which BibTeX does not allow: listed as "${key}"`);
      p = spaced;
    }
    this.fields.clear();
    try {
      this.pos = this.readFields(key, p, at, close);
      this.checkAfterEntry(key);
    } catch (e) {
      if (!(e instanceof BibSyntaxError)) throw e;
      // The key is known: keep the entry with what was read, so it still shows up (marked by the error).
      this.error(e.pos, `${e.message}; the entry keeps the fields read before this point`);
      this.pos = nextLineStartAt(text, Math.max(e.resume, at + 1));
    }
    const first = key ? this.seenKeys.get(key) : undefined;
    if (first !== undefined) this.noteDuplicate(at, key, first);
    else if (key) this.seenKeys.set(key, line);
    this.entries.push({ type, key, fields: this.fields.take(), text, line, column });
  }

  /**
   * For a key followed by more words on its line before a comma (`@misc{with space, …`),
   * the position of that comma; -1 otherwise.
   */
  private spacedKeyEnd(keyEnd: number, close: number): number {
    const { text } = this;
    const c = text.charCodeAt(keyEnd);
    if (c !== 32 && c !== 9) return -1;
    for (let i = keyEnd; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 44) return text.charCodeAt(skipSpace(text, keyEnd)) === 44 ? -1 : i;
      if (d === NL || d === close || d === LBRACE || d === RBRACE || d === 61 || d === QUOTE || d === 35 || d === AT) return -1;
    }
    return -1;
  }

  /**
   * Warns when an entry's closing delimiter is followed on its line by more fields
   * (`title = {x}}, year = 2000}`): a `}` too many ended the entry early, and BibTeX
   * silently skips what follows as a comment.
   */
  private checkAfterEntry(key: string): void {
    const { text } = this;
    let p = this.pos;
    while (p < text.length && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    if (text.charCodeAt(p) !== 44) return;
    const name = skipSpace(text, p + 1);
    const nameEnd = readIdent(text, name);
    if (nameEnd === name || text.charCodeAt(skipSpace(text, nameEnd)) !== 61) return;
    this.warn(this.pos - 1, `entry "${key}" ends here, but fields follow ("${text.slice(name, nameEnd)}" …): a "}" too many? They are ignored`);
  }

  /**
   * Reads the fields after the key (`p` is at the comma or closing delimiter after it);
   * returns the position after the entry's closing delimiter. A value with unbalanced
   * braces is cut at the end of its line and reading goes on at the next `name =` line
   * (see {@link salvage}); other errors are thrown.
   */
  private readFields(key: string, p: number, at: number, close: number): number {
    const { text } = this;
    const n = text.length;
    let c = text.charCodeAt(p);
    if (c !== 44 && c !== close) {
      throw new BibSyntaxError(p, `expected "," after the key of entry "${key}", found "${excerpt(text, p)}"`);
    }
    let last = -1; // where the latest field's value starts
    let salvaged = -1; // the latest value cut by salvage()
    while (c !== close) {
      // Here `p` is at a comma (or at a field name after a missing comma).
      if (c === 44) p = skipSpace(text, p + 1);
      c = text.charCodeAt(p);
      if (c === close) break;
      if (c === 44) continue;
      if (p >= n || c === AT) throw this.notClosed(key, at, p);
      try {
        last = this.readField(key, p, close);
      } catch (e) {
        if (!(e instanceof RunawayValue)) throw e;
        p = this.salvage(key, e.pos, e.resume);
        salvaged = e.pos;
        c = text.charCodeAt(p);
        continue;
      }
      p = skipSpace(text, this.pos);
      c = text.charCodeAt(p);
      if (c === 44 || c === close) continue;
      if (p >= n || c === AT) {
        // A value that closed only by swallowing the fields after it (`{Taylor {{\&} Francis},`).
        if (last > salvaged && isDelimiter(text.charCodeAt(last)) && SWALLOWED_FIELD.test(text.slice(last, p))) {
          p = this.salvage(key, last, p);
          salvaged = last;
          c = text.charCodeAt(p);
          continue;
        }
        throw this.notClosed(key, at, p);
      }
      if (isIdentChar(c) && text.charCodeAt(skipSpace(text, readIdent(text, p))) === 61) {
        this.warn(p, `missing "," before field "${text.slice(p, readIdent(text, p))}" in entry "${key}"`);
        continue;
      }
      throw new BibSyntaxError(p, `expected "," or "${String.fromCharCode(close)}" after a field of entry "${key}", found "${excerpt(text, p)}"`);
    }
    return p + 1;
  }

  /**
   * Recovers from a value with unbalanced braces opening at `open` whose text runs on
   * up to `limit`: the value becomes the rest of its first line (without a trailing
   * `},`), the problem is reported, and reading resumes at the next line that starts a
   * field (`name =`), or at `limit`. Returns the resume position.
   */
  private salvage(key: string, open: number, limit: number): number {
    const { text } = this;
    const nl = text.indexOf('\n', open);
    const lineEnd = nl < 0 || nl > limit ? limit : nl;
    this.fields.set(this.lastField, text.slice(open + 1, lineEnd).replace(/\}?[\s,]*$/, ''));
    this.error(open, `unbalanced braces in field "${this.lastField}" of entry "${key}": its value is cut at the end of this line`);
    const next = SWALLOWED_FIELD.exec(text.slice(lineEnd, limit));
    return next ? skipSpace(text, lineEnd + next.index + 1) : limit;
  }

  /**
   * Reads `name = value` at `p` into the entry, leaving `pos` after the value; returns
   * where the value starts.
   */
  private readField(key: string, p: number, close: number): number {
    const { text } = this;
    const nameEnd = readIdent(text, p);
    if (nameEnd === p) {
      throw new BibSyntaxError(p, `expected a field name in entry "${key}", found "${excerpt(text, p)}"`);
    }
    const name = this.names.lower(text, p, nameEnd);
    this.lastField = name;
    const eq = skipSpace(text, nameEnd);
    if (text.charCodeAt(eq) !== 61) {
      throw new BibSyntaxError(eq, `expected "=" after field "${name}" of entry "${key}", found "${excerpt(text, eq)}"`);
    }
    this.pos = eq + 1;
    const valueStart = skipSpace(text, this.pos);
    // Most values are one `{…}`, `"…"` or number: kept as their place in the text.
    const c = text.charCodeAt(valueStart);
    let start = -1;
    let end = -1;
    let after = -1;
    if (c === LBRACE || c === QUOTE) {
      end = this.delimitedEnd(valueStart, key, name);
      start = valueStart + 1;
      after = end + 1;
    } else if (c >= 48 && c <= 57) {
      start = valueStart;
      end = readIdent(text, valueStart);
      after = end;
    }
    const single = start >= 0 && text.charCodeAt(skipSpace(text, after)) !== 35;
    const value = single ? '' : this.readValue(key, name, close);
    if (single) this.pos = after;
    if (this.fields.has(name)) this.warn(p, `entry "${key}" repeats field "${name}": the first is kept`);
    else if (single) this.fields.addRange(name, start, end);
    else this.fields.add(name, value);
    return valueStart;
  }

  /** The error for an entry that runs into the next entry (or the end of the file) at `p`, reported at the entry. */
  private notClosed(key: string, at: number, p: number): BibSyntaxError {
    const where = p >= this.text.length ? 'the end of the file' : `the next entry (line ${this.lines.lineOf(p)})`;
    return new BibSyntaxError(at, `entry "${key}" is not closed: its closing "}" is missing before ${where}`, p);
  }

  /**
   * A value: parts (braced, quoted, number, macro) joined by `#`. Leaves `pos` after it.
   * `owner` and `field` only name the value in messages (built when there is one).
   */
  private readValue(owner: string, field: string, close: number): string {
    const { text } = this;
    let out = '';
    let cut = false;
    let p = skipSpace(text, this.pos);
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === LBRACE || c === QUOTE) {
        const end = this.delimitedEnd(p, owner, field);
        out += text.slice(p + 1, end);
        p = end + 1;
      } else if (c >= 48 && c <= 57) {
        const end = readIdent(text, p);
        out += text.slice(p, end);
        p = end;
      } else if (isIdentChar(c) && c !== AT) {
        const end = readIdent(text, p);
        const lower = this.names.lower(text, p, end);
        const macro = this.macros.get(lower);
        if (macro === undefined) {
          const name = text.slice(p, end);
          this.noteUndefined(lower, name, p, valueName(owner, field));
          out += name;
        } else if (out.length + macro.length <= MAX_EXPANDED_VALUE) {
          out += macro;
        } else {
          out += macro.slice(0, Math.max(0, MAX_EXPANDED_VALUE - out.length));
          if (!cut) this.warn(p, `${valueName(owner, field)} would be longer than ${MAX_EXPANDED_VALUE.toLocaleString('en-US')} characters after expanding macro "${text.slice(p, end)}": cut there`);
          cut = true;
        }
        p = end;
      } else {
        const what = valueName(owner, field);
        throw new BibSyntaxError(p, p >= text.length || c === close || c === 44 || c === AT
          ? `${what} has no value`
          : `expected a value for ${what}, found "${text[p]}"`);
      }
      const q = skipSpace(text, p);
      if (text.charCodeAt(q) !== 35) {
        this.pos = p;
        return out;
      }
      p = skipSpace(text, q + 1);
    }
  }

  /**
   * End of a `{…}` or `"…"` part opening at `open`: the position of its closing delimiter.
   * A line that starts with `@type{` inside it means the braces are unbalanced: the error
   * names the opening and reading resumes at that line.
   */
  private delimitedEnd(open: number, owner: string, field: string): number {
    const { text } = this;
    const n = text.length;
    const quoted = text.charCodeAt(open) === QUOTE;
    let depth = quoted ? 0 : 1;
    for (let i = open + 1; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (--depth === 0 && !quoted) return i;
        if (depth < 0) throw new BibSyntaxError(i, `unbalanced "}" in ${valueName(owner, field)}`, i + 1);
      } else if (c === QUOTE && quoted && depth === 0) return i;
      else if (c === NL && looksLikeEntryStart(text, i + 1)) {
        throw new RunawayValue(open, `unbalanced ${quoted ? 'quote' : 'braces'} in ${valueName(owner, field)}: the value opened here runs into the next entry`, i + 1);
      }
    }
    throw new RunawayValue(open, `unbalanced ${quoted ? 'quote' : 'braces'} in ${valueName(owner, field)}: the value opened here runs to the end of the file`, n);
  }

  /** Records a use of an undefined macro; reported once per name by {@link reportUndefined}. */
  private noteUndefined(key: string, name: string, pos: number, what: string): void {
    const seen = this.undefinedMacros.get(key);
    if (seen) seen.count++;
    else this.undefinedMacros.set(key, { name, line: this.lines.lineOf(pos), column: this.lines.columnOf(pos), what, count: 1 });
  }

  /**
   * One warning per undefined macro (files often rely on a separate strings file). The
   * macro's name stands in for its text, which reads better than BibTeX's empty string.
   */
  private reportUndefined(): void {
    for (const { name, line, column, what, count } of this.undefinedMacros.values()) {
      const uses = count > 1 ? ` (used ${count} times; first in ${what})` : ` in ${what}`;
      this.diagnostics.push({ line, column, message: `undefined macro "${name}"${uses}: its name is shown instead`, severity: 'warning' });
    }
  }

  /**
   * Warns about an entry whose key was defined earlier: the first {@link LISTED_DUPLICATES}
   * one by one, the rest in one warning ({@link reportDuplicates}). A file that repeats
   * every key would otherwise bring a warning per entry, more than anyone reads.
   */
  private noteDuplicate(at: number, key: string, first: number): void {
    if (++this.duplicateCount <= LISTED_DUPLICATES) {
      this.warn(at, `duplicate key "${key}" (first defined on line ${first})`);
    } else if (this.unlistedDuplicate === undefined) {
      this.unlistedDuplicate = { line: this.lines.lineOf(at), column: this.lines.columnOf(at) };
    }
  }

  /** The warning about the entries with a repeated key that got none of their own, at the first of them. */
  private reportDuplicates(): void {
    const more = this.duplicateCount - LISTED_DUPLICATES;
    if (more <= 0 || this.unlistedDuplicate === undefined) return;
    const { line, column } = this.unlistedDuplicate;
    const message =
      `${more} more entr${more === 1 ? 'y repeats a key' : 'ies repeat keys'} defined earlier in the file, from this line on ` +
      `(${this.duplicateCount} entries with a repeated key in all; the first ${LISTED_DUPLICATES} are listed one by one)`;
    this.diagnostics.push({ line, column, message, severity: 'warning' });
  }

  private warn(pos: number, message: string): void {
    this.diagnostics.push({ line: this.lines.lineOf(pos), column: this.lines.columnOf(pos), message, severity: 'warning' });
  }

  private error(pos: number, message: string): void {
    this.diagnostics.push({ line: this.lines.lineOf(pos), column: this.lines.columnOf(pos), message, severity: 'error' });
  }
}

/**
 * Reads every entry, `@string` and `@preamble` of a BibTeX/biblatex file, and resolves
 * `crossref` inheritance. Never throws on bad input: problems become diagnostics.
 * `knownNames`: field names (lower case) the caller looks entries up by, read into the
 * file's name table first.
 */
export function readBibtex(text: string, knownNames: readonly string[] = []): BibFile {
  const reader = new Reader(text, knownNames);
  reader.read();
  const diagnostics = [...reader.diagnostics];
  resolveCrossrefs(reader.entries, diagnostics);
  diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { entries: reader.entries, macros: reader.macros, preambles: reader.preambles, diagnostics };
}

/** Fields a child never inherits through `crossref` (biblatex's defaults). */
const NOT_INHERITED = new Set([
  'ids', 'crossref', 'xref', 'entryset', 'entrysubtype', 'execute', 'label', 'options', 'presort',
  'related', 'relatedoptions', 'relatedstring', 'relatedtype', 'shorthand', 'shorthandintro', 'sortkey',
]);

const TITLE_FIELDS = ['title', 'subtitle', 'titleaddon'];
const UNINHERITED_TITLES = new Set(['shorttitle', 'sorttitle', 'indextitle', 'indexsorttitle']);
const MULTIVOLUME = new Set(['mvbook', 'mvcollection', 'mvproceedings', 'mvreference']);
const WHOLE = new Set(['book', 'collection', 'proceedings', 'reference']);
const PART = new Set([
  'inbook', 'bookinbook', 'suppbook', 'incollection', 'suppcollection', 'inreference', 'inproceedings',
]);

/**
 * Where a parent's title field lands in a child (biblatex's inheritance table): a book's
 * `title` is an `inbook`'s `booktitle`, a multi-volume work's `title` a volume's
 * `maintitle`, a periodical's `title` an article's `journaltitle`. Null: not inherited.
 * Undefined: no special rule (copied under the same name, as classic BibTeX does).
 */
function titleTarget(parentType: string, childType: string, field: string): string | null | undefined {
  const isTitle = TITLE_FIELDS.includes(field);
  if (!isTitle && !UNINHERITED_TITLES.has(field)) return undefined;
  let prefix: string | undefined;
  if (MULTIVOLUME.has(parentType) && (WHOLE.has(childType) || PART.has(childType))) prefix = 'main';
  else if (WHOLE.has(parentType) && PART.has(childType)) prefix = 'book';
  else if (parentType === 'periodical' && (childType === 'article' || childType === 'suppperiodical')) prefix = 'journal';
  if (prefix === undefined) return undefined;
  return isTitle ? prefix + field : null;
}

/**
 * Copies fields from each entry's `crossref` parent (looked up case-insensitively, as
 * BibTeX does) into the child where the child lacks them. Parents are resolved first, so
 * chains (`inbook` → `book` → `mvbook`) inherit all the way; cycles are reported.
 */
function resolveCrossrefs(entries: BibEntry[], diagnostics: Diagnostic[]): void {
  const children = entries.filter((e) => fieldIndex(e.fields, 'crossref') >= 0);
  if (children.length === 0) return;
  const byKey = parentsByKey(entries, children);
  const state = new Map<BibEntry, 'busy' | 'done'>();
  const resolve = (e: BibEntry): void => {
    if (state.get(e) === 'done') return;
    const ref = fieldOf(e, 'crossref')?.trim();
    if (ref === undefined) {
      state.set(e, 'done');
      return;
    }
    const parent = byKey.get(ref.toLowerCase());
    if (parent === undefined) {
      diagnostics.push({ line: e.line, column: e.column, severity: 'warning', message: `entry "${e.key}": crossref "${ref}" not found` });
    } else if (state.get(parent) === 'busy' || parent === e) {
      diagnostics.push({ line: e.line, column: e.column, severity: 'warning', message: `entry "${e.key}": crossref "${ref}" forms a cycle` });
    } else {
      state.set(e, 'busy');
      resolve(parent);
      inherit(e, parent);
    }
    state.set(e, 'done');
  };
  for (const e of children) resolve(e);
}

/**
 * The first entry of each key a `crossref` names, by lower-cased key. Lower-casing every
 * key of a big file is costly, so when the wanted keys are ASCII, only keys with the
 * length, first and last character of one of them are lower-cased (a key lower-cases to
 * an ASCII key only if it has the same length), or that begin or end with a non-ASCII
 * character (the Kelvin sign lower-cases to `k`).
 */
function parentsByKey(entries: readonly BibEntry[], children: readonly BibEntry[]): Map<string, BibEntry> {
  const wanted = new Set<string>();
  for (const c of children) wanted.add(fieldOf(c, 'crossref')!.trim().toLowerCase());
  let shapes: Set<number> | undefined = new Set<number>();
  for (const k of wanted) {
    if (ASCII_ONLY.test(k)) shapes.add(keyShape(k));
    else shapes = undefined;
    if (shapes === undefined) break;
  }
  const byKey = new Map<string, BibEntry>();
  for (const e of entries) {
    const shape = keyShape(e.key);
    if (shapes !== undefined && shape >= 0 && !shapes.has(shape)) continue;
    const key = e.key.toLowerCase();
    if (wanted.has(key) && !byKey.has(key)) byKey.set(key, e);
  }
  return byKey;
}

/** Length, first and last character of a key, letters lower-cased, as one number; -1 when the first or last is not ASCII. */
function keyShape(key: string): number {
  const n = key.length;
  if (n === 0) return 0;
  const first = key.charCodeAt(0);
  const last = key.charCodeAt(n - 1);
  if (first >= 128 || last >= 128) return -1;
  return (n * 128 + lowerAscii(first)) * 128 + lowerAscii(last);
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Copies the parent's fields the child lacks. Same-name fields go first, so a parent's
 * explicit `booktitle` (classic BibTeX style, as in xampl.bib) wins over its `title`
 * mapped to `booktitle` (biblatex style).
 */
function inherit(child: BibEntry, parent: BibEntry): void {
  const mapped: [string, number][] = [];
  const from = parent.fields;
  for (let i = 0; i < from.length; i += FIELD_SLOTS) {
    const name = from[i] as string;
    if (NOT_INHERITED.has(name)) continue;
    const target = titleTarget(parent.type, child.type, name);
    if (target === undefined) inheritField(child, name, parent, i);
    else if (target !== null) mapped.push([target, i]);
  }
  for (const [name, i] of mapped) inheritField(child, name, parent, i);
  // biblatex also makes a book's author the `bookauthor` of its parts.
  const author = fieldIndex(parent.fields, 'author');
  if (author >= 0 && WHOLE.has(parent.type) && PART.has(child.type)) inheritField(child, 'bookauthor', parent, author);
}

/** Gives `child` the value of the parent's field at position `i`, under `name`, unless it has that field. */
function inheritField(child: BibEntry, name: string, parent: BibEntry, i: number): void {
  if (fieldIndex(child.fields, name) >= 0) return;
  const end = parent.fields[i + 2] as number;
  // Both come from the same text, so a position is copied as it is.
  if (end >= 0 && child.text === parent.text) child.fields.push(name, parent.fields[i + 1], end);
  else child.fields.push(name, valueAt(parent, i), -1);
}
