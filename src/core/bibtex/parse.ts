/**
 * BibTeX / biblatex reader: a single-pass, linear-time tokenizer over char codes.
 *
 * Follows BibTeX's own rule: text outside entries is a comment. `@comment` swallows its
 * braced group, or the rest of its line when it has none (JabRef and old hand-kept files
 * write both). A broken entry becomes a diagnostic naming its line and column, and the
 * reader resyncs at the next `@` that starts a line, so the rest of the file still loads.
 */

import { categoryForCode } from '../categories';
import { citationKey, nextFreeKey } from '../keys';
import { classifyCodeUrl } from '../links';
import {
  HttpUrlSchema,
  PaperSchema,
  describeZodError,
  type Author,
  type Category,
  type Diagnostic,
  type Paper,
  type PaperExtra,
  type ReadResult,
} from '../model';
import { latexToUnicode } from './latex';
import { parseNameList } from './names';

const AT = 64;
const LBRACE = 123;
const RBRACE = 125;
const LPAREN = 40;
const RPAREN = 41;
const QUOTE = 34;
const NL = 10;

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

/**
 * Line and column of positions, counted incrementally: queries that move forward (the
 * usual case) cost only the text in between, so a whole file costs O(length).
 */
class LineCounter {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  constructor(private readonly text: string) {}

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
      for (let i = this.pos - 1; i >= pos; i--) if (text.charCodeAt(i) === NL) this.line--;
      this.lineStart = pos > 0 ? text.lastIndexOf('\n', pos - 1) + 1 : 0;
    } else {
      for (let i = this.pos; i < pos; i++) {
        if (text.charCodeAt(i) === NL) {
          this.line++;
          this.lineStart = i + 1;
        }
      }
    }
    this.pos = pos;
  }
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
  /** Field name (lower case) → raw value, in file order. After crossref resolution it includes inherited fields. */
  fields: Map<string, string>;
  /** 1-based line and column of the `@`. */
  line: number;
  column: number;
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
  private readonly seenKeys = new Map<string, number>();
  /** Name of the field read last (for messages about its value). */
  private lastField = '';
  private readonly undefinedMacros = new Map<string, { name: string; pos: number; what: string; count: number }>();

  constructor(private readonly text: string) {
    this.lines = new LineCounter(text);
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
      const type = text.slice(typeStart, typeEnd).toLowerCase();
      if (type === 'comment') {
        this.pos = skipComment(text, typeEnd);
        continue;
      }
      const open = skipSpace(text, typeEnd);
      const oc = text.charCodeAt(open);
      if (oc !== LBRACE && oc !== LPAREN) {
        // Outside entries everything is a comment (an e-mail address, say); only an `@word`
        // opening a line looks like a failed entry worth a warning.
        if (nextLineStartAt(text, at) === at) {
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
      const name = text.slice(start, end);
      this.macros.set(name.toLowerCase(), this.readValue(`@string ${name}`, '', close));
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
    let keyEnd = keyStart;
    while (keyEnd < n && !endsKey(text.charCodeAt(keyEnd), close)) keyEnd++;
    const p = skipSpace(text, keyEnd);
    // `@article{,` (Mendeley writes these) is kept with an empty key; parseBibtex names it.
    // `@article{title = …` cannot be told from a misspelt entry: an error.
    if (text.charCodeAt(p) === 61 || (keyEnd === keyStart && text.charCodeAt(p) !== 44)) {
      throw new BibSyntaxError(keyStart, `@${type} entry has no citation key`);
    }
    const key = text.slice(keyStart, keyEnd);
    const entry: BibEntry = {
      type,
      key,
      fields: new Map(),
      line: this.lines.lineOf(at),
      column: this.lines.columnOf(at),
    };
    try {
      this.pos = this.readFields(entry, p, at, close);
    } catch (e) {
      if (!(e instanceof BibSyntaxError)) throw e;
      // The key is known: keep the entry with what was read, so it still shows up (marked by the error).
      this.error(e.pos, `${e.message}; the entry keeps the fields read before this point`);
      this.pos = nextLineStartAt(text, Math.max(e.resume, at + 1));
    }
    const first = key ? this.seenKeys.get(key) : undefined;
    if (first !== undefined) this.warn(at, `duplicate key "${key}" (first defined on line ${first})`);
    else if (key) this.seenKeys.set(key, entry.line);
    this.entries.push(entry);
  }

  /**
   * Reads the fields after the key (`p` is at the comma or closing delimiter after it);
   * returns the position after the entry's closing delimiter. A value with unbalanced
   * braces is cut at the end of its line and reading goes on at the next `name =` line
   * (see {@link salvage}); other errors are thrown.
   */
  private readFields(entry: BibEntry, p: number, at: number, close: number): number {
    const { text } = this;
    const n = text.length;
    let c = text.charCodeAt(p);
    if (c !== 44 && c !== close) {
      throw new BibSyntaxError(p, `expected "," after the key of entry "${entry.key}", found "${excerpt(text, p)}"`);
    }
    let last = -1; // where the latest field's value starts
    let salvaged = -1; // the latest value cut by salvage()
    while (c !== close) {
      // Here `p` is at a comma (or at a field name after a missing comma).
      if (c === 44) p = skipSpace(text, p + 1);
      c = text.charCodeAt(p);
      if (c === close) break;
      if (c === 44) continue;
      if (p >= n || c === AT) throw this.notClosed(entry, at, p);
      try {
        last = this.readField(entry, p, close);
      } catch (e) {
        if (!(e instanceof RunawayValue)) throw e;
        p = this.salvage(entry, e.pos, e.resume);
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
          p = this.salvage(entry, last, p);
          salvaged = last;
          c = text.charCodeAt(p);
          continue;
        }
        throw this.notClosed(entry, at, p);
      }
      if (isIdentChar(c) && text.charCodeAt(skipSpace(text, readIdent(text, p))) === 61) {
        this.warn(p, `missing "," before field "${text.slice(p, readIdent(text, p))}" in entry "${entry.key}"`);
        continue;
      }
      throw new BibSyntaxError(p, `expected "," or "${String.fromCharCode(close)}" after a field of entry "${entry.key}", found "${excerpt(text, p)}"`);
    }
    return p + 1;
  }

  /**
   * Recovers from a value with unbalanced braces opening at `open` whose text runs on
   * up to `limit`: the value becomes the rest of its first line (without a trailing
   * `},`), the problem is reported, and reading resumes at the next line that starts a
   * field (`name =`), or at `limit`. Returns the resume position.
   */
  private salvage(entry: BibEntry, open: number, limit: number): number {
    const { text } = this;
    const nl = text.indexOf('\n', open);
    const lineEnd = nl < 0 || nl > limit ? limit : nl;
    entry.fields.set(this.lastField, text.slice(open + 1, lineEnd).replace(/\}?[\s,]*$/, ''));
    this.error(open, `unbalanced braces in field "${this.lastField}" of entry "${entry.key}": its value is cut at the end of this line`);
    const next = SWALLOWED_FIELD.exec(text.slice(lineEnd, limit));
    return next ? skipSpace(text, lineEnd + next.index + 1) : limit;
  }

  /**
   * Reads `name = value` at `p` into the entry, leaving `pos` after the value; returns
   * where the value starts.
   */
  private readField(entry: BibEntry, p: number, close: number): number {
    const { text } = this;
    const nameEnd = readIdent(text, p);
    if (nameEnd === p) {
      throw new BibSyntaxError(p, `expected a field name in entry "${entry.key}", found "${excerpt(text, p)}"`);
    }
    const name = text.slice(p, nameEnd).toLowerCase();
    this.lastField = name;
    const eq = skipSpace(text, nameEnd);
    if (text.charCodeAt(eq) !== 61) {
      throw new BibSyntaxError(eq, `expected "=" after field "${name}" of entry "${entry.key}", found "${excerpt(text, eq)}"`);
    }
    this.pos = eq + 1;
    const valueStart = skipSpace(text, this.pos);
    const value = this.readValue(entry.key, name, close);
    if (entry.fields.has(name)) this.warn(p, `entry "${entry.key}" repeats field "${name}": the first is kept`);
    else entry.fields.set(name, value);
    return valueStart;
  }

  /** The error for an entry that runs into the next entry (or the end of the file) at `p`, reported at the entry. */
  private notClosed(entry: BibEntry, at: number, p: number): BibSyntaxError {
    const where = p >= this.text.length ? 'the end of the file' : `the next entry (line ${this.lines.lineOf(p)})`;
    return new BibSyntaxError(at, `entry "${entry.key}" is not closed: its closing "}" is missing before ${where}`, p);
  }

  /**
   * A value: parts (braced, quoted, number, macro) joined by `#`. Leaves `pos` after it.
   * `owner` and `field` only name the value in messages (built when there is one).
   */
  private readValue(owner: string, field: string, close: number): string {
    const what = (): string => (field ? `field "${field}" of entry "${owner}"` : owner);
    const { text } = this;
    let out = '';
    let p = skipSpace(text, this.pos);
    for (;;) {
      const c = text.charCodeAt(p);
      if (c === LBRACE || c === QUOTE) {
        const end = this.delimitedEnd(p, what);
        out += text.slice(p + 1, end);
        p = end + 1;
      } else if (c >= 48 && c <= 57) {
        const end = readIdent(text, p);
        out += text.slice(p, end);
        p = end;
      } else if (isIdentChar(c) && c !== AT) {
        const end = readIdent(text, p);
        const name = text.slice(p, end);
        const macro = this.macros.get(name.toLowerCase());
        if (macro === undefined) this.noteUndefined(name, p, what());
        out += macro ?? name;
        p = end;
      } else {
        throw new BibSyntaxError(p, p >= text.length || c === close || c === 44 || c === AT
          ? `${what()} has no value`
          : `expected a value for ${what()}, found "${text[p]}"`);
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
  private delimitedEnd(open: number, what: () => string): number {
    const { text } = this;
    const n = text.length;
    const quoted = text.charCodeAt(open) === QUOTE;
    let depth = quoted ? 0 : 1;
    for (let i = open + 1; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (--depth === 0 && !quoted) return i;
        if (depth < 0) throw new BibSyntaxError(i, `unbalanced "}" in ${what()}`, i + 1);
      } else if (c === QUOTE && quoted && depth === 0) return i;
      else if (c === NL && looksLikeEntryStart(text, i + 1)) {
        throw new RunawayValue(open, `unbalanced ${quoted ? 'quote' : 'braces'} in ${what()}: the value opened here runs into the next entry`, i + 1);
      }
    }
    throw new RunawayValue(open, `unbalanced ${quoted ? 'quote' : 'braces'} in ${what()}: the value opened here runs to the end of the file`, n);
  }

  /** Records a use of an undefined macro; reported once per name by {@link reportUndefined}. */
  private noteUndefined(name: string, pos: number, what: string): void {
    const key = name.toLowerCase();
    const seen = this.undefinedMacros.get(key);
    if (seen) seen.count++;
    else this.undefinedMacros.set(key, { name, pos, what, count: 1 });
  }

  /**
   * One warning per undefined macro (files often rely on a separate strings file). The
   * macro's name stands in for its text, which reads better than BibTeX's empty string.
   */
  private reportUndefined(): void {
    for (const { name, pos, what, count } of this.undefinedMacros.values()) {
      const uses = count > 1 ? ` (used ${count} times; first in ${what})` : ` in ${what}`;
      this.warn(pos, `undefined macro "${name}"${uses}: its name is shown instead`);
    }
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
 */
export function readBibtex(text: string): BibFile {
  const reader = new Reader(text);
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
  const byKey = new Map<string, BibEntry>();
  for (const e of entries) if (!byKey.has(e.key.toLowerCase())) byKey.set(e.key.toLowerCase(), e);
  const state = new Map<BibEntry, 'busy' | 'done'>();
  const resolve = (e: BibEntry): void => {
    if (state.get(e) === 'done') return;
    const ref = e.fields.get('crossref')?.trim();
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
  for (const e of entries) resolve(e);
}

/**
 * Copies the parent's fields the child lacks. Same-name fields go first, so a parent's
 * explicit `booktitle` (classic BibTeX style, as in xampl.bib) wins over its `title`
 * mapped to `booktitle` (biblatex style).
 */
function inherit(child: BibEntry, parent: BibEntry): void {
  const mapped: [string, string][] = [];
  for (const [name, value] of parent.fields) {
    if (NOT_INHERITED.has(name)) continue;
    const target = titleTarget(parent.type, child.type, name);
    if (target === undefined) {
      if (!child.fields.has(name)) child.fields.set(name, value);
    } else if (target !== null) {
      mapped.push([target, value]);
    }
  }
  for (const [name, value] of mapped) if (!child.fields.has(name)) child.fields.set(name, value);
  // biblatex also makes a book's author the `bookauthor` of its parts.
  const author = parent.fields.get('author');
  if (author !== undefined && WHOLE.has(parent.type) && PART.has(child.type) && !child.fields.has('bookauthor')) {
    child.fields.set('bookauthor', author);
  }
}

/** Fields whose values are taken literally (biblatex's verbatim fields): no LaTeX conversion. */
const VERBATIM = new Set(['url', 'doi', 'eprint', 'file', 'pdf', 'verba', 'verbb', 'verbc', 'urlraw', 'code', 'github']);

/** Fields that hold a link to the paper's code: any http(s) URL in them counts. */
const CODE_FIELDS = ['code', 'github', 'codeurl', 'repository', 'software'];
/** Fields where a URL counts as the code link only when it points to a known code host. */
const LINK_FIELDS = ['url', 'howpublished', 'note'];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;
const ARXIV_ID = /^(?:arxiv:)?((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))(?:v\d+)?$/i;
const ARXIV_IN_TEXT = /arxiv[:.]\s*((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))/i;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[a-z]{2})?\/\d{7}))/i;
const ARXIV_DOI = /^(?:https?:\/\/(?:dx\.)?doi\.org\/)?10\.48550\/arxiv\.(.+)$/i;
const URL_IN_TEXT = /https?:\/\/[^\s{}\\"<>]+/gi;

/** Looks up a field's display value by lower-case name. */
type FieldGetter = (name: string) => string | undefined;

/**
 * The display value of a field: LaTeX turned into Unicode, verbatim fields trimmed.
 * `memo` caches conversions across a file: macro-expanded values (a journal name, Beebe's
 * 600-character `acknowledgement`) repeat in thousands of entries.
 */
function displayValue(name: string, raw: string, memo: Map<string, string>): string {
  if (VERBATIM.has(name)) return raw.trim();
  let value = memo.get(raw);
  if (value === undefined) {
    value = latexToUnicode(raw);
    memo.set(raw, value);
  }
  return value;
}

function displayFields(entry: BibEntry, memo: Map<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of entry.fields) out[name] = displayValue(name, raw, memo);
  return out;
}

/**
 * Defines `extra.fields` so that it is computed on first read (then kept): a list view
 * needs only the public fields, and converting every field of a 100k-entry library up
 * front would double the reading time. Reads, spreads and JSON see an ordinary property.
 */
function defineLazyFields(extra: PaperExtra, entry: BibEntry, memo: Map<string, string>): void {
  let fields: Record<string, string> | undefined;
  Object.defineProperty(extra, 'fields', {
    enumerable: true,
    configurable: true,
    get: () => (fields ??= displayFields(entry, memo)),
    set: (value: Record<string, string>) => {
      fields = value;
    },
  });
}

/** Authors (or editors when there are none) as display names; `and others` sets `truncated`. */
function readAuthors(entry: BibEntry): { authors: Author[]; truncated: boolean } {
  const raw = entry.fields.get('author') ?? entry.fields.get('editor');
  if (raw === undefined) return { authors: [], truncated: false };
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
function readDate(f: FieldGetter): { year: number | null; month: number | null; day: number | null } {
  const iso = ISO_DATE.exec(f('date')?.trim() ?? '');
  if (iso) {
    return { year: Number(iso[1]), month: inRange(iso[2], 12), day: inRange(iso[3], 31) };
  }
  const year = /\d{4}/.exec(f('year') ?? '');
  const month = f('month');
  return {
    year: year ? Number(year[0]) : null,
    month: month !== undefined ? monthNumber(month) : null,
    day: inRange(f('day')?.trim(), 31) ?? (month !== undefined ? dayInMonthField(month) : null),
  };
}

/** `1`…`max` from a string of one or two digits; null otherwise. */
function inRange(digits: string | undefined, max: number): number | null {
  if (digits === undefined || !/^\d{1,2}$/.test(digits)) return null;
  const n = Number(digits);
  return n >= 1 && n <= max ? n : null;
}

function isArxiv(f: FieldGetter): boolean {
  return (f('eprinttype') ?? f('archiveprefix') ?? '').trim().toLowerCase() === 'arxiv';
}

/** The arXiv category of an arXiv e-print (`eprintclass`/`primaryclass`, e.g. `cs.LG`). */
function readCategory(f: FieldGetter): Category | null {
  if (!isArxiv(f)) return null;
  const cls = (f('eprintclass') ?? f('primaryclass') ?? '').trim();
  if (!cls) return null;
  const code = cls.includes('.') ? cls.slice(cls.indexOf('.') + 1) : cls;
  const known = categoryForCode(code);
  return known.archive === cls ? known : { code, archive: cls, name: null };
}

/** The arXiv identifier (without version) from `eprint`, an arxiv.org URL, an arXiv DOI, or `arXiv:…` text in journal/note. */
function readArxivId(f: FieldGetter): string | undefined {
  const eprint = f('eprint');
  if (eprint !== undefined && (isArxiv(f) || f('eprinttype') === undefined)) {
    const m = ARXIV_ID.exec(eprint.trim());
    if (m) return m[1];
  }
  const url = ARXIV_URL.exec(f('url') ?? '');
  if (url) return url[1];
  const doi = ARXIV_DOI.exec(f('doi')?.trim() ?? '');
  if (doi) return ARXIV_ID.exec(doi[1])?.[1] ?? doi[1];
  for (const name of ['journal', 'journaltitle', 'note', 'howpublished']) {
    const m = ARXIV_IN_TEXT.exec(f(name) ?? '');
    if (m) return m[1];
  }
  return undefined;
}

/** A DOI without its resolver prefix. */
function readDoi(f: FieldGetter): string | undefined {
  const doi = f('doi')?.trim().replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '');
  return doi ? doi : undefined;
}

/** The link to the paper's code: any http(s) URL in a code field, else a code-host URL in url/howpublished/note. */
function readCodeUrl(f: FieldGetter): string | null {
  for (const name of CODE_FIELDS) {
    for (const url of urlsIn(f(name))) if (classifyCodeUrl(url).kind !== 'refused') return url;
  }
  for (const name of LINK_FIELDS) {
    for (const url of urlsIn(f(name))) if (classifyCodeUrl(url).kind === 'codeHost') return url;
  }
  return null;
}

/** The http(s) URLs in a field value, trailing punctuation removed, valid per the model. */
function urlsIn(value: string | undefined): string[] {
  if (value === undefined || !/https?:/i.test(value)) return [];
  const found = value.match(URL_IN_TEXT) ?? [];
  return found.map((u) => u.replace(/[.,;:)\]]+$/, '')).filter((u) => HttpUrlSchema.safeParse(u).success);
}

/** Shown when an entry has no title: the record is kept (it can still be cited). */
export const UNTITLED = '(untitled)';

/** Entry types that hold data for other entries and are never cited. */
const DATA_ONLY = new Set(['xdata']);

/**
 * Turns one entry into a paper plus the problems that concern it; `null` paper when the
 * record cannot be valid (reported as an error).
 */
/** What entryToPaper shares across one file. */
interface FileContext {
  file: string;
  /** Display-value cache, see {@link displayValue}. */
  memo: Map<string, string>;
  /** Every key of the file, so that keys made up for keyless entries stay unique. */
  taken: Set<string>;
}

function entryToPaper(entry: BibEntry, ctx: FileContext): { paper: Paper | null; problems: Diagnostic[] } {
  const { memo } = ctx;
  const problems: Diagnostic[] = [];
  const at = (message: string, severity: 'error' | 'warning'): Diagnostic =>
    ({ line: entry.line, column: entry.column, message, severity });
  const f: FieldGetter = (name) => {
    const raw = entry.fields.get(name);
    return raw === undefined ? undefined : displayValue(name, raw, memo);
  };
  let title = f('title') ?? '';
  if (!title) {
    title = UNTITLED;
    problems.push(at(`entry "${entry.key}" has no title: listed as "${UNTITLED}"`, 'warning'));
  }
  const { authors, truncated } = readAuthors(entry);
  let key = entry.key;
  if (!key) {
    key = nextFreeKey(citationKey({ authors, year: readDate(f).year, title }), (k) => ctx.taken.has(k));
    ctx.taken.add(key);
    problems.push(at(`@${entry.type} entry has no citation key: listed as "${key}"; add that key to the file to cite it`, 'error'));
  }
  const { year, month, day } = readDate(f);
  const codeUrl = readCodeUrl(f);
  const doi = readDoi(f);
  const arxivId = readArxivId(f);
  const extra: PaperExtra = {
    entryType: entry.type,
    ...(doi !== undefined && { doi }),
    ...(arxivId !== undefined && { arxivId }),
  };
  defineLazyFields(extra, entry, memo);
  const paper: Paper = {
    key,
    title,
    authors,
    authorsTruncated: truncated,
    year,
    month,
    day,
    category: readCategory(f),
    abstract: f('abstract') ?? '',
    hasCode: codeUrl !== null,
    codeUrl,
    source: { file: ctx.file, line: entry.line },
    extra,
  };
  const check = PaperSchema.safeParse(paper);
  if (!check.success) {
    problems.push(at(`entry "${key}" skipped: ${describeZodError(check.error)}`, 'error'));
    return { paper: null, problems };
  }
  return { paper, problems };
}

/**
 * Reads a BibTeX/biblatex file into papers. Every entry becomes a paper except `@xdata`
 * containers and entries the model rejects (reported as errors); entries without a title
 * are kept as "(untitled)" with a warning. Never throws on bad input.
 */
export function parseBibtex(text: string, opts: { file: string }): ReadResult {
  const bib = readBibtex(text);
  const papers: Paper[] = [];
  const diagnostics = bib.diagnostics;
  const ctx: FileContext = { file: opts.file, memo: new Map(), taken: new Set(bib.entries.map((e) => e.key)) };
  let extra = false;
  for (const entry of bib.entries) {
    if (DATA_ONLY.has(entry.type)) continue;
    const { paper, problems } = entryToPaper(entry, ctx);
    if (paper) papers.push(paper);
    if (problems.length) {
      diagnostics.push(...problems);
      extra = true;
    }
  }
  if (extra) diagnostics.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { papers, diagnostics };
}
