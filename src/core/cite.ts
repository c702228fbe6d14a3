/**
 * Citations in the text of LaTeX and Pandoc Markdown documents: which syntax a document
 * uses, how a citation is written, where the citations are, which keys they cite, and the
 * edits that add keys to them.
 *
 * Everything works on plain strings and 0-based UTF-16 offsets (the offsets of VS Code's
 * `TextDocument.offsetAt`); edits are `{offset, deleteLength, insert}` into the ORIGINAL
 * text, so the host applies a whole plan in one `editor.edit` (one undo step). Pure: no
 * `vscode`. Every scan is a single left-to-right pass, linear in the length of the text.
 *
 * What counts as a citation:
 * - LaTeX: a control word whose name contains `cite` (any case: `\cite`, `\citep*`,
 *   `\Citet`, `\parencite`, `\footcite`, `\nocite`, …), except definitions such as
 *   `\DeclareCiteCommand` and settings such as `\citestyle`; up to two `[…]` optional
 *   arguments, then a `{…}` key group. biblatex multi-cite commands (`\cites`,
 *   `\textcites`, …) take `(…)(…)` and then any number of `[…][…]{…}` groups. Spaces and
 *   single line breaks may separate the parts, and `%` comments may sit inside a key group;
 *   a blank line ends it; apacite's `\cite<see>{…}` prefix is read too. Nothing in a `%`
 *   comment, `\verb`, a verbatim-like environment (`verbatim`, `Verbatim`, `lstlisting`,
 *   `minted`, `comment`), the URL of `\url`/`\href`/`\path` or `\iffalse … \fi` counts,
 *   nor a macro parameter (`\cite{#1}`), nor natbib's free-text `\citetext{…}`. A cite
 *   command with no key group yet (`\citep|`) gets the keys as its group.
 * - Pandoc: a `[…]` holding at least one `@key` (prefixes, locators, `;` between items, `-@`
 *   author suppression, line breaks allowed, not across a blank line), and a bare `@key` in
 *   text. Not citations: `@` right after a letter, digit or `.`/`/`-like character (e-mail
 *   addresses, URLs), anything in fenced code blocks, inline code spans or HTML comments,
 *   the text of a link or image (`[see @x](url)`), and `\@`. In an inline note `^[… @x …]`
 *   the keys are bare citations. Not citations either: TeX math (`$[0, 1)$`, `$$…$$`) and
 *   cross-references (Quarto's `@fig-…`, `@sec-…`, `@eq-…`, …; pandoc-crossref's
 *   `@fig:…`). Brackets without a key (`[]`, `[see ]`) are kept as empty citations, so a
 *   key inserted there joins them. Indented code blocks are not recognised (they are
 *   ambiguous with list continuations without a full Markdown parser).
 */

export type CitationStyle = 'latex' | 'pandoc' | 'plain';

/** A cited key and where it is written (the key itself, without `@` or braces). */
export interface CitedKey {
  key: string;
  offset: number;
  length: number;
}

/** One citation in a document. */
export interface CitationSite {
  style: 'latex' | 'pandoc';
  /** From the `\` of the command, the `[` of a bracketed Pandoc citation, or the `@` of a bare one. */
  start: number;
  /** Just past the last `}` or the `]`, or the end of a bare key. */
  end: number;
  /** Every key of the citation, in order (all groups of a multi-cite command). */
  keys: CitedKey[];
  /**
   * The key list new keys join: the interior of a LaTeX `{…}` group (for a multi-cite
   * command the group under the cursor, else the last one), the interior of Pandoc's
   * `[…]`, or the bare citation itself.
   */
  listStart: number;
  listEnd: number;
  /** LaTeX only: the command name without the backslash, with its star, e.g. `citep*`. */
  command?: string;
  /** Pandoc only: an author-in-text `@key` without brackets. */
  bare: boolean;
}

/** Replace `deleteLength` characters at `offset` (in the original text) with `insert`. */
export interface TextEdit {
  offset: number;
  deleteLength: number;
  insert: string;
}

export interface FormatOptions {
  /** LaTeX command name, with or without the backslash (default `cite`); see {@link latexCommandProblem}. */
  latexCommand?: string;
  /** Pandoc: write a single key as an author-in-text `@key` instead of `[@key]`. */
  pandocBare?: boolean;
}

/** Where a citation key is being typed, for completion. */
export interface CompletionContext {
  /** The part of the key before the cursor (may be empty). */
  prefix: string;
  /** Start of the key being typed. */
  replaceStart: number;
  /** End of the key under the cursor (the cursor, unless the cursor is inside a key). */
  replaceEnd: number;
}

// ---------------------------------------------------------------------------------------
// Which syntax

const LATEX_LANGUAGES = new Set(['latex', 'tex', 'latex-expl3', 'doctex', 'rsweave']);
const PANDOC_LANGUAGES = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc']);
const LATEX_FILE = /\.(?:tex|ltx|latex|dtx|sty|cls|rnw)$/i;
const PANDOC_FILE = /\.(?:md|markdown|mdown|mkd|qmd|rmd|pandoc)$/i;

/**
 * The citation syntax of a document: the language id decides when it is a LaTeX or
 * Markdown one, otherwise the file extension (a `.tex` file shown as plain text is still
 * LaTeX). ConTeXt (`context`) writes `\cite[key]` and gets the plain style.
 */
export function citationStyleFor(languageId: string, fileName: string): CitationStyle {
  if (LATEX_LANGUAGES.has(languageId)) return 'latex';
  if (PANDOC_LANGUAGES.has(languageId)) return 'pandoc';
  if (LATEX_FILE.test(fileName)) return 'latex';
  if (PANDOC_FILE.test(fileName)) return 'pandoc';
  return 'plain';
}

// ---------------------------------------------------------------------------------------
// Writing citations

const DEFAULT_LATEX_COMMAND = 'cite';
const LATEX_COMMAND_NAME = /^[A-Za-z]+\*?$/;

/** The command name as configured, without a leading backslash and surrounding spaces. */
function bareCommand(command: string): string {
  return command.trim().replace(/^\\/, '');
}

/**
 * Why a configured LaTeX citation command cannot be used, or undefined when it can.
 * Accepted: letters optionally followed by `*`, with or without a leading backslash
 * (`citep`, `\parencite`, `citeauthor*`). {@link formatCitation} falls back to `cite`.
 */
export function latexCommandProblem(command: string): string | undefined {
  return LATEX_COMMAND_NAME.test(bareCommand(command))
    ? undefined
    : `"${command}" is not a LaTeX command name: use letters, optionally followed by *, e.g. citep or parencite*`;
}

/** biblatex commands that take one `{…}` group per key (`\cites`, `\textcites`, `\footcitetexts`, …). */
function isMultiCite(command: string): boolean {
  return /(?:cites|citetexts)\*?$/i.test(command);
}

/** A Pandoc key as written: `@key`, or `@{key}` when Pandoc would not read the key whole. */
export function pandocKey(key: string): string {
  return PANDOC_KEY_WHOLE.test(key) ? `@${key}` : `@{${key}}`;
}

/** The distinct non-empty keys, in first-seen order. */
function uniqueKeys(keys: readonly string[]): string[] {
  return [...new Set(keys.map((k) => k.trim()).filter((k) => k !== ''))];
}

/** The key group(s) of `command` for `keys`: `{a,b}`, or `{a}{b}` for a multi-cite command. */
function keyGroups(keys: readonly string[], command: string): string {
  const unique = uniqueKeys(keys);
  return isMultiCite(command) ? unique.map((k) => `{${k}}`).join('') : `{${unique.join(',')}}`;
}

/**
 * A new citation of `keys` (duplicates dropped): `\cite{a,b}` (or the configured command;
 * a multi-cite command such as `textcites` gets one group per key: `\textcites{a}{b}`),
 * Pandoc `[@a; @b]`, plain `a, b`.
 *
 * With `pandocBare`, a single key is written author-in-text, `@a`. Pandoc has no bare form
 * for several keys (`@a; @b` is two separate citations with a stray `;`), so several keys
 * are always bracketed. Empty string when there is no key.
 */
export function formatCitation(keys: readonly string[], style: CitationStyle, opts: FormatOptions = {}): string {
  const unique = uniqueKeys(keys);
  if (unique.length === 0) return '';
  switch (style) {
    case 'latex': {
      const configured = opts.latexCommand === undefined ? DEFAULT_LATEX_COMMAND : bareCommand(opts.latexCommand);
      const command = LATEX_COMMAND_NAME.test(configured) ? configured : DEFAULT_LATEX_COMMAND;
      return `\\${command}${keyGroups(unique, command)}`;
    }
    case 'pandoc': {
      const cites = unique.map(pandocKey);
      return opts.pandocBare && cites.length === 1 ? cites[0] : `[${cites.join('; ')}]`;
    }
    case 'plain':
      return unique.join(', ');
  }
}

// ---------------------------------------------------------------------------------------
// Shared scanning helpers

interface Span {
  start: number;
  end: number;
}

/** A citation as the scanners find it, before a cursor picks the key list. */
interface ScannedCitation {
  start: number;
  end: number;
  bare: boolean;
  command?: string;
  /** Key lists: each `{…}` interior (LaTeX), the `[…]` interior, or the bare citation. */
  lists: Span[];
  keys: CitedKey[];
  /** Pandoc brackets without a key: no citation yet, but where inserted keys go. */
  empty?: true;
}

/** Index of the `\n` ending the line at `pos`, or the text length. */
function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl;
}

function isHorizontalSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f';
}

/** Whether `offset` is inside the citation: strictly between its ends, or right after a bare key. */
function contains(s: ScannedCitation, offset: number): boolean {
  return s.start < offset && (s.bare ? offset <= s.end : offset < s.end);
}

// ---------------------------------------------------------------------------------------
// LaTeX

/** Environments whose content is not LaTeX. */
const VERBATIM_ENVIRONMENTS = new Set([
  'verbatim', 'verbatim*', 'Verbatim', 'Verbatim*', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment',
]);
/** An optional argument longer than this is taken as unterminated (keeps the scan linear). */
const MAX_OPTIONAL_ARGUMENT = 2000;
/** natbib's `\citetext{…}` holds free text, not keys. */
const NOT_A_CITE_COMMAND = /^(?:Declare|declare|Deprecate|new|renew|provide|Provide)|(?:style|setup)$|^citetext$/;

function isLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isCiteCommand(name: string): boolean {
  return /cite/i.test(name) && !NOT_A_CITE_COMMAND.test(name);
}

/**
 * Skips spaces, tabs and at most one line break between a command's arguments; a blank
 * line ends them (the returned index then points at a line break).
 */
function skipArgumentSpace(text: string, pos: number): number {
  let newline = false;
  for (let i = pos; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      if (newline) return i;
      newline = true;
    } else if (!isHorizontalSpace(c)) {
      return i;
    }
  }
  return text.length;
}

/**
 * Index of the `close` character ending the argument opened at `open` (outside braces,
 * past escapes and comments); undefined when a blank line, the end of the text or
 * {@link MAX_OPTIONAL_ARGUMENT} comes first.
 */
function readDelimited(text: string, open: number, close: string): number | undefined {
  const limit = Math.min(text.length, open + MAX_OPTIONAL_ARGUMENT);
  let depth = 0;
  let blank = false;
  for (let i = open + 1; i < limit; i++) {
    const c = text[i];
    if (c === '\n') {
      if (blank) return undefined;
      blank = true;
      continue;
    }
    if (isHorizontalSpace(c)) continue;
    blank = false;
    if (c === '\\') i++;
    else if (c === '%') i = lineEnd(text, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === close && depth === 0) return i;
  }
  return undefined;
}

type GroupRead = { open: number; close: number } | { openGroup: number } | undefined;

/**
 * Reads the key group opened by `{` at `open`: keys, commas, whitespace and `%` comments.
 * Undefined on `{`, `\` or a blank line (not a key group); `openGroup` when the text ends
 * inside it (the text was cut at the cursor for completion). Stopping at `\` keeps the
 * whole scan linear: the scan resumes before it.
 */
function readKeyGroup(text: string, open: number): GroupRead {
  let blank = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '}') return { open, close: i };
    if (c === '{' || c === '\\') return undefined;
    if (c === '\n') {
      if (blank) return undefined;
      blank = true;
      continue;
    }
    if (isHorizontalSpace(c)) continue;
    blank = false;
    if (c === '%') i = lineEnd(text, i) - 1;
  }
  return { openGroup: open };
}

/**
 * Past apacite's `<…>` prefix argument and up to two `[…]` optional arguments from `pos`
 * (and the space after them); undefined when one of them is not closed.
 */
function skipOptionalArguments(text: string, pos: number): number | undefined {
  let at = skipArgumentSpace(text, pos);
  if (text[at] === '<') {
    const close = readDelimited(text, at, '>');
    if (close === undefined) return undefined;
    at = skipArgumentSpace(text, close + 1);
  }
  for (let n = 0; n < 2 && text[at] === '['; n++) {
    const close = readDelimited(text, at, ']');
    if (close === undefined) return undefined;
    at = skipArgumentSpace(text, close + 1);
  }
  return at;
}

/** The optional arguments from `pos` ({@link skipOptionalArguments}), then a `{…}` key group. */
function readKeyArgument(text: string, pos: number): GroupRead {
  const at = skipOptionalArguments(text, pos);
  return at !== undefined && text[at] === '{' ? readKeyGroup(text, at) : undefined;
}

const MACRO_PARAMETER = /#\d/;

/** The keys in a group interior: runs of characters other than commas, whitespace and comments; macro parameters left out. */
function latexKeys(text: string, list: Span): CitedKey[] {
  const keys: CitedKey[] = [];
  let keyStart = -1;
  const flush = (end: number): void => {
    // `#1` in a macro definition (`\newcommand{\mycite}[1]{\cite{#1}}`) is a parameter, not a key.
    if (keyStart >= 0 && !MACRO_PARAMETER.test(text.slice(keyStart, end))) keys.push({ key: text.slice(keyStart, end), offset: keyStart, length: end - keyStart });
    keyStart = -1;
  };
  for (let i = list.start; i < list.end; i++) {
    const c = text[i];
    if (c === '%') {
      flush(i);
      i = lineEnd(text, i) - 1;
    } else if (c === ',' || isWhitespace(c)) {
      flush(i);
    } else if (keyStart < 0) {
      keyStart = i;
    }
  }
  flush(list.end);
  return keys;
}

type CitationRead = { site: ScannedCitation } | { openGroup: number } | undefined;

/** Reads the arguments of the cite command `\name` that spans `start`..`nameEnd`. */
/**
 * A cite command's name with its star, and where its key arguments start: past the `*`
 * and, for a multi-cite command, up to two `(…)` global notes; undefined when one of those
 * is not closed.
 */
function readCiteHead(text: string, nameEnd: number, name: string): { command: string; pos: number } | undefined {
  let pos = nameEnd;
  let command = name;
  if (text[pos] === '*') {
    command += '*';
    pos++;
  }
  if (isMultiCite(command)) {
    for (let n = 0; n < 2; n++) {
      const open = skipArgumentSpace(text, pos);
      if (text[open] !== '(') break;
      const close = readDelimited(text, open, ')');
      if (close === undefined) return undefined;
      pos = close + 1;
    }
  }
  return { command, pos };
}

function readLatexCitation(text: string, start: number, nameEnd: number, name: string): CitationRead {
  const head = readCiteHead(text, nameEnd, name);
  if (!head) return undefined;
  const { command } = head;
  let { pos } = head;
  const multi = isMultiCite(command);
  const lists: Span[] = [];
  for (;;) {
    const group = readKeyArgument(text, pos);
    if (group === undefined) break;
    if ('openGroup' in group) return group;
    lists.push({ start: group.open + 1, end: group.close });
    pos = group.close + 1;
    if (!multi) break;
  }
  if (lists.length === 0) return undefined;
  const keys = lists.flatMap((l) => latexKeys(text, l));
  return { site: { start, end: pos, bare: false, command, lists, keys } };
}

/** Past `\verb<d>…<d>` (on one line), or `nameEnd` when it is not one. */
function skipVerb(text: string, nameEnd: number): number {
  let at = nameEnd;
  if (text[at] === '*') at++;
  const delimiter = text[at];
  if (delimiter === undefined || isWhitespace(delimiter) || isLetterCode(text.charCodeAt(at))) return nameEnd;
  const end = lineEnd(text, at + 1);
  for (let i = at + 1; i < end; i++) if (text[i] === delimiter) return i + 1;
  return nameEnd;
}

/** Commands whose first argument is a URL or path, read verbatim (a `%` or `#` in it is part of it). */
const URL_COMMANDS = new Set(['url', 'href', 'path', 'nolinkurl']);

/**
 * Past the verbatim first argument of `\url` and kin: `{…}` with balanced braces (within a
 * paragraph), or `|…|` with another delimiter right after the name, on one line like
 * `\verb`; `nameEnd` when there is none (TikZ's `\path[…] (…)` is not a URL).
 */
function skipUrlArgument(text: string, nameEnd: number): number {
  const at = skipArgumentSpace(text, nameEnd);
  if (text[at] !== '{') return at === nameEnd && !'[(\\*'.includes(text[at] ?? '[') ? skipVerb(text, nameEnd) : nameEnd;
  let depth = 0;
  const limit = Math.min(text.length, at + MAX_OPTIONAL_ARGUMENT);
  for (let i = at; i < limit; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
    else if (c === '\n' && blankLineFollows(text, i)) return nameEnd;
  }
  return nameEnd;
}

/**
 * TeX's conditionals, which `\fi` closes. Macros named `\if…` (`\ifthenelse`, etoolbox's
 * `\ifstrequal`) take arguments and no `\fi`; TeX does not count them when it skips.
 */
const CONDITIONAL_OR_FI = /\\(if|ifcat|ifnum|ifdim|ifodd|ifvmode|ifhmode|ifmmode|ifinner|ifvoid|ifhbox|ifvbox|ifx|ifeof|iftrue|iffalse|ifcase|ifdefined|ifcsname|iffontchar|ifincsname|fi)(?![A-Za-z@])/g;

/**
 * Past the `\fi` that closes the `\iffalse` ending at `nameEnd` (nested conditionals
 * counted, as TeX skips them), or the end of the text.
 */
function skipIfFalse(text: string, nameEnd: number): number {
  const conditional = CONDITIONAL_OR_FI;
  conditional.lastIndex = nameEnd;
  let depth = 1;
  for (let m = conditional.exec(text); m; m = conditional.exec(text)) {
    if (m[1] !== 'fi') depth++;
    else if (--depth === 0) return m.index + m[0].length;
  }
  return text.length;
}

const ENVIRONMENT_NAME = /[ \t]*\{([A-Za-z]+\*?)\}/y;

/** Past the `\end{…}` of a verbatim-like environment begun at `nameEnd` (just after `\begin`), or undefined. */
function skipVerbatimEnvironment(text: string, nameEnd: number): number | undefined {
  ENVIRONMENT_NAME.lastIndex = nameEnd;
  const m = ENVIRONMENT_NAME.exec(text);
  if (!m || !VERBATIM_ENVIRONMENTS.has(m[1])) return undefined;
  const endTag = `\\end{${m[1]}}`;
  const close = text.indexOf(endTag, nameEnd + m[0].length);
  return close < 0 ? text.length : close + endTag.length;
}

/**
 * Calls `visit` for every control word (`\name`) outside `%` comments, `\verb`,
 * verbatim-like environments, the URL argument of `\url`/`\href`/`\path` and
 * `\iffalse … \fi`, in order. `visit` gets the name (letters only; a following
 * `*` is not included), the index of the backslash and the index after the name, and
 * returns where the scan continues (past the arguments it consumed), or undefined to
 * continue right after the name. Shared with the bibliography finder.
 */
export function forEachLatexCommand(
  text: string,
  visit: (name: string, start: number, nameEnd: number) => number | undefined,
): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '%') {
      i = lineEnd(text, i);
      continue;
    }
    if (c !== '\\') {
      i++;
      continue;
    }
    let nameEnd = i + 1;
    while (nameEnd < text.length && isLetterCode(text.charCodeAt(nameEnd))) nameEnd++;
    if (nameEnd === i + 1) {
      i += 2; // a control symbol: \%, \\, \{ …
      continue;
    }
    const name = text.slice(i + 1, nameEnd);
    if (name === 'verb') i = skipVerb(text, nameEnd);
    else if (name === 'begin') i = skipVerbatimEnvironment(text, nameEnd) ?? nameEnd;
    else if (URL_COMMANDS.has(name)) i = skipUrlArgument(text, nameEnd);
    else if (name === 'iffalse') i = skipIfFalse(text, nameEnd);
    else i = Math.max(visit(name, i, nameEnd) ?? nameEnd, nameEnd);
  }
}

/**
 * The interior of the `{…}` argument after `pos`, past up to two `[…]` optional
 * arguments; undefined when there is none or it holds `{`, `\` or a blank line (a
 * computed argument, not a list of names). Shared with the bibliography finder.
 */
export function readLatexListArgument(text: string, pos: number): { start: number; end: number } | undefined {
  const group = readKeyArgument(text, pos);
  return group && 'close' in group ? { start: group.open + 1, end: group.close } : undefined;
}

/**
 * Every LaTeX citation, in order. `openGroup` is set when the text ends inside a cite
 * command's key group (used with text cut at the cursor).
 */
function scanLatex(text: string): { sites: ScannedCitation[]; openGroup?: number } {
  const sites: ScannedCitation[] = [];
  let openGroup: number | undefined;
  forEachLatexCommand(text, (name, start, nameEnd) => {
    if (!isCiteCommand(name)) return undefined;
    const read = readLatexCitation(text, start, nameEnd, name);
    if (read && 'site' in read) {
      sites.push(read.site);
      return read.site.end;
    }
    if (read) openGroup = read.openGroup;
    return undefined;
  });
  return { sites, openGroup };
}

// ---------------------------------------------------------------------------------------
// Pandoc Markdown

/** Pandoc's key: starts with a letter, digit or `_`; punctuation only between word characters. */
const PANDOC_KEY = /[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*/uy;
const PANDOC_KEY_WHOLE = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u;
const PANDOC_KEY_CHAR = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;
const PANDOC_WORD_CHAR = /[\p{L}\p{N}_]/u;
/** A character right before `@` (or `-@`) that makes it part of a word, address or URL. */
const GLUED_BEFORE_AT = /[\p{L}\p{N}@\\/.:+=&#%?$-]/u;

/**
 * Cross-reference labels, not citations: Quarto's (`@fig-loss`, `@sec-intro`, `@eq-energy`,
 * `@tbl-…`, theorem and callout kinds) and pandoc-crossref's (`@fig:loss`).
 */
const CROSS_REFERENCE = /^(?:(?:fig|tbl|lst|tip|nte|wrn|imp|cau|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|eq|sec)-|(?:fig|tbl|lst|eq|sec):)/;

/** Whether the `@` at `at` may start a citation, judging by what precedes it (and an optional `-`). */
function citeMayStartAt(text: string, at: number): boolean {
  let p = at - 1;
  if (text[p] === '-') p--;
  return p < 0 || !GLUED_BEFORE_AT.test(text[p]);
}

/** The key after the `@` at `at` (`@key` or `@{key}`), with the end of the citation text. */
function readPandocKey(text: string, at: number): (CitedKey & { end: number }) | undefined {
  if (text[at + 1] === '{') {
    const end = lineEnd(text, at + 2);
    for (let i = at + 2; i < end; i++) {
      if (text[i] === '{') return undefined;
      if (text[i] === '}') {
        return i === at + 2 ? undefined : { key: text.slice(at + 2, i), offset: at + 2, length: i - at - 2, end: i + 1 };
      }
    }
    return undefined;
  }
  PANDOC_KEY.lastIndex = at + 1;
  const m = PANDOC_KEY.exec(text);
  return m ? { key: m[0], offset: at + 1, length: m[0].length, end: at + 1 + m[0].length } : undefined;
}

/** Whether the line break at `nl` is followed by a blank line. */
function blankLineFollows(text: string, nl: number): boolean {
  let i = nl + 1;
  while (i < text.length && isHorizontalSpace(text[i])) i++;
  return text[i] === '\n';
}

const FENCE_OPEN = /[ \t]*(`{3,}|~{3,})([^\n]*)/y;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t\r]*$/;

/** End of the fenced code block opening on the line at `lineStart`, or undefined when none opens there. */
function fencedBlockEnd(text: string, lineStart: number): number | undefined {
  FENCE_OPEN.lastIndex = lineStart;
  const open = FENCE_OPEN.exec(text);
  if (!open || (open[1][0] === '`' && open[2].includes('`'))) return undefined;
  const fence = open[1];
  let pos = lineEnd(text, lineStart);
  while (pos < text.length) {
    const start = pos + 1;
    const end = lineEnd(text, start);
    const close = FENCE_CLOSE.exec(text.slice(start, end));
    if (close && close[1][0] === fence[0] && close[1].length >= fence.length) return end;
    pos = end;
  }
  return text.length;
}

const BACKTICKS_OR_BLANK_LINE = /`+|\n[ \t\r]*\n/g;

/**
 * Start of the backtick run of exactly `length` that closes a code span opened just before
 * `from`, within the paragraph. `misses` remembers, per run length, up to where no closer
 * exists, so unmatched runs do not make the scan quadratic.
 */
function codeSpanClose(text: string, from: number, length: number, misses: Map<number, number>): number | undefined {
  const miss = misses.get(length);
  if (miss !== undefined && from < miss) return undefined;
  BACKTICKS_OR_BLANK_LINE.lastIndex = from;
  for (let m = BACKTICKS_OR_BLANK_LINE.exec(text); m; m = BACKTICKS_OR_BLANK_LINE.exec(text)) {
    if (m[0][0] !== '`') {
      misses.set(length, m.index);
      return undefined;
    }
    if (m[0].length === length) return m.index;
  }
  misses.set(length, text.length);
  return undefined;
}

const DOLLAR_OR_BLANK_LINE = /\$|\n[ \t\r]*\n/g;

/**
 * End of the TeX math that the `$` at `at` opens, by Pandoc's rules, or undefined when it
 * opens none: `$$…$$`; `$…$` where the opening `$` has a non-space right of it and the
 * closing one a non-space left of it and no digit right of it (so `$5 and $6` is text),
 * within the paragraph. `misses` holds where no closer was found, as for code spans.
 */
function mathEnd(text: string, at: number, misses: Map<number, number>): number | undefined {
  const display = text[at + 1] === '$';
  const from = at + (display ? 2 : 1);
  if (!display && (from >= text.length || isWhitespace(text[from]))) return undefined;
  const miss = misses.get(display ? 2 : 1);
  if (miss !== undefined && from < miss) return undefined;
  DOLLAR_OR_BLANK_LINE.lastIndex = from;
  for (let m = DOLLAR_OR_BLANK_LINE.exec(text); m; m = DOLLAR_OR_BLANK_LINE.exec(text)) {
    const j = m.index;
    if (m[0] !== '$') {
      misses.set(display ? 2 : 1, j);
      return undefined;
    }
    if (text[j - 1] === '\\') continue;
    if (display) {
      if (text[j + 1] === '$') return j + 2;
    } else if (!isWhitespace(text[j - 1]) && !/[0-9]/.test(text[j + 1] ?? '')) {
      return j + 1;
    }
  }
  misses.set(display ? 2 : 1, text.length);
  return undefined;
}

/** The parts of a Markdown text that are not prose: fenced code blocks, inline code spans, TeX math, HTML comments. */
function markdownCode(text: string): Span[] {
  const spans: Span[] = [];
  const misses = new Map<number, number>();
  const mathMisses = new Map<number, number>();
  let i = 0;
  while (i < text.length) {
    if (i === 0 || text[i - 1] === '\n') {
      const end = fencedBlockEnd(text, i);
      if (end !== undefined) {
        spans.push({ start: i, end });
        i = end;
        continue;
      }
    }
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '`') {
      let runEnd = i + 1;
      while (text[runEnd] === '`') runEnd++;
      const close = codeSpanClose(text, runEnd, runEnd - i, misses);
      if (close === undefined) {
        i = runEnd;
      } else {
        spans.push({ start: i, end: close + runEnd - i });
        i = close + runEnd - i;
      }
    } else if (c === '$') {
      const end = mathEnd(text, i, mathMisses);
      if (end === undefined) {
        i += text[i + 1] === '$' ? 2 : 1;
      } else {
        spans.push({ start: i, end });
        i = end;
      }
    } else if (c === '<' && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      const end = close < 0 ? text.length : close + 3;
      spans.push({ start: i, end });
      i = end;
    } else {
      i++;
    }
  }
  return spans;
}

/** Whether `pos` lies inside one of the sorted, disjoint `spans`. */
function inSpans(spans: readonly Span[], pos: number): boolean {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pos < spans[mid].start) hi = mid - 1;
    else if (pos >= spans[mid].end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether what follows a `]` leaves the brackets plain: not a reference link (`[text][ref]`, `[ref]: url`) or a span (`[text]{.smallcaps}`). */
function isNotLink(after: string | undefined): boolean {
  return after === undefined || !'[{:'.includes(after);
}

interface OpenBracket {
  open: number;
  keys: (CitedKey & { at: number; end: number })[];
}

/** Every Pandoc citation, in order. */
function scanPandoc(text: string): ScannedCitation[] {
  const code = markdownCode(text);
  const found: ScannedCitation[] = [];
  const stack: OpenBracket[] = [];
  const bare = (k: CitedKey & { at: number; end: number }): ScannedCitation => ({
    start: k.at,
    end: k.end,
    bare: true,
    lists: [{ start: k.at, end: k.end }],
    keys: [{ key: k.key, offset: k.offset, length: k.length }],
  });
  const unwind = (): void => {
    for (const frame of stack) for (const k of frame.keys) found.push(bare(k));
    stack.length = 0;
  };
  const close = (frame: OpenBracket, at: number): void => {
    if (text[at + 1] === '(' || text[frame.open - 1] === '!') {
      // Link or image text: nothing in it is a citation.
      while (found.length && found[found.length - 1].start > frame.open) found.pop();
    } else if (text[frame.open - 1] === '^') {
      for (const k of frame.keys) found.push(bare(k)); // inline note
    } else if (frame.keys.length || isNotLink(text[at + 1])) {
      // Brackets without a key are kept too (`[]` as VS Code auto-closes it, `[see ]`):
      // a key inserted there joins them instead of nesting a second pair.
      found.push({
        start: frame.open,
        end: at + 1,
        bare: false,
        lists: [{ start: frame.open + 1, end: at }],
        keys: frame.keys.map(({ key, offset, length }) => ({ key, offset, length })),
        ...(frame.keys.length === 0 && { empty: true as const }),
      });
    }
  };
  let nextCode = 0;
  let i = 0;
  while (i < text.length) {
    while (nextCode < code.length && code[nextCode].end <= i) nextCode++;
    if (nextCode < code.length && code[nextCode].start <= i) {
      i = code[nextCode].end;
      continue;
    }
    const c = text[i];
    if (c === '\\') {
      i += 2;
    } else if (c === '\n') {
      if (blankLineFollows(text, i)) unwind();
      i++;
    } else if (c === '[') {
      stack.push({ open: i, keys: [] });
      i++;
    } else if (c === ']') {
      const frame = stack.pop();
      if (frame) close(frame, i);
      i++;
    } else if (c === '@') {
      const key = citeMayStartAt(text, i) ? readPandocKey(text, i) : undefined;
      if (key && CROSS_REFERENCE.test(key.key)) {
        i = key.end;
      } else if (key) {
        const k = { ...key, at: i };
        if (stack.length) stack[stack.length - 1].keys.push(k);
        else found.push(bare(k));
        i = key.end;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  unwind();
  return found.sort((a, b) => a.start - b.start);
}

/** The `;`-separated items of a bracketed Pandoc citation, trimmed, empty ones left out. */
function pandocItems(text: string, list: Span): Span[] {
  const items: Span[] = [];
  let itemStart = list.start;
  let depth = 0;
  const flush = (end: number): void => {
    let s = itemStart;
    let e = end;
    while (s < e && isWhitespace(text[s])) s++;
    while (e > s && isWhitespace(text[e - 1])) e--;
    if (e > s) items.push({ start: s, end: e });
  };
  for (let i = list.start; i < list.end; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < list.end) i++;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ';' && depth === 0) {
      flush(i);
      itemStart = i + 1;
    }
  }
  flush(list.end);
  return items;
}

// ---------------------------------------------------------------------------------------
// Finding citations

function scan(text: string, style: CitationStyle): ScannedCitation[] {
  if (style === 'latex') return scanLatex(text).sites;
  if (style === 'pandoc') return scanPandoc(text);
  return [];
}

/** The public view of a scanned citation, with the key list chosen for the cursor. */
function toSite(s: ScannedCitation, style: 'latex' | 'pandoc', offset: number): CitationSite {
  const list = s.lists.find((l) => l.start <= offset && offset <= l.end) ?? s.lists[s.lists.length - 1];
  return {
    style,
    start: s.start,
    end: s.end,
    keys: s.keys,
    listStart: list.start,
    listEnd: list.end,
    ...(s.command !== undefined && { command: s.command }),
    bare: s.bare,
  };
}

/**
 * The citation under the cursor at `offset`, if any. The cursor is inside a citation when
 * it is strictly between its first and last character (on the command name, in optional
 * arguments, anywhere in a key group, anywhere in Pandoc's brackets), or right after a
 * bare `@key`. Right before `\cite` or right after its `}` is outside.
 */
export function findCitationAt(text: string, offset: number, style: CitationStyle): CitationSite | undefined {
  if (style === 'plain') return undefined;
  const s = scan(text, style).find((c) => !c.empty && contains(c, offset));
  return s && toSite(s, style, offset);
}

/**
 * Every key cited in the document, in order of appearance (a key cited twice appears
 * twice). `\nocite{*}`'s `*` is not a key. Plain text has no citations.
 */
export function citedKeys(text: string, style: CitationStyle): CitedKey[] {
  return scan(text, style)
    .flatMap((s) => s.keys)
    .filter((k) => k.key !== '*');
}

const MAX_KEY_LOOKBACK = 256;
const AT_KEY_BEFORE = /(?:^|[^\p{L}\p{N}_])@[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*$/u;

/**
 * Where a key is being typed at `offset`: in a LaTeX cite command's key group (right after
 * `{` or `,`, or within a key; optional arguments allowed before the group, which may still
 * be unclosed), or right after a Pandoc `@` that can start a citation (not in an e-mail
 * address, code or HTML comment). `@{…}` keys are not completed.
 */
export function citationContextAt(text: string, offset: number, style: CitationStyle): CompletionContext | undefined {
  if (style === 'latex') return latexContextAt(text, offset);
  if (style === 'pandoc') return pandocContextAt(text, offset);
  return undefined;
}

function latexContextAt(text: string, offset: number): CompletionContext | undefined {
  const { openGroup } = scanLatex(text.slice(0, offset));
  if (openGroup === undefined) return undefined;
  const typed = text.slice(openGroup + 1, offset);
  if (typed.slice(typed.lastIndexOf('\n') + 1).includes('%')) return undefined; // in a comment
  const prefix = /[^\s,]*$/.exec(typed)![0];
  let replaceEnd = offset;
  while (replaceEnd < text.length && !/[\s,{}%\\]/.test(text[replaceEnd])) replaceEnd++;
  return { prefix, replaceStart: offset - prefix.length, replaceEnd };
}

function pandocContextAt(text: string, offset: number): CompletionContext | undefined {
  let start = offset;
  while (start > 0 && offset - start < MAX_KEY_LOOKBACK && PANDOC_KEY_CHAR.test(text[start - 1])) start--;
  const at = start - 1;
  if (text[at] !== '@' || !citeMayStartAt(text, at)) return undefined;
  const prefix = text.slice(start, offset);
  if (prefix !== '' && !PANDOC_WORD_CHAR.test(prefix[0])) return undefined;
  if (CROSS_REFERENCE.test(prefix)) return undefined;
  if (inSpans(markdownCode(text), at)) return undefined;
  let end = offset;
  while (end < text.length && PANDOC_KEY_CHAR.test(text[end])) end++;
  while (end > offset && !PANDOC_WORD_CHAR.test(text[end - 1])) end--; // trailing punctuation ends a key
  return { prefix, replaceStart: start, replaceEnd: end };
}

// ---------------------------------------------------------------------------------------
// Adding keys

/**
 * Where new keys go in a key list: before the first key that starts at or after the
 * cursor (so a cursor inside or right after a key puts them after it); at the end when
 * there is no cursor or it is outside the list (on the command name, in optional arguments).
 */
function slotFor(itemStarts: readonly number[], site: CitationSite, cursor: number | undefined): number {
  if (cursor === undefined || cursor < site.listStart || cursor > site.listEnd) return itemStarts.length;
  return itemStarts.filter((s) => s < cursor).length;
}

function insertAt(offset: number, insert: string): TextEdit {
  return { offset, deleteLength: 0, insert };
}

/** `, ` when the list already puts space after its commas (`{a, b}`), else `,`. */
function latexSeparator(text: string, site: CitationSite): string {
  for (let i = site.listStart; i < site.listEnd - 1; i++) {
    if (text[i] === ',' && isWhitespace(text[i + 1])) return ', ';
  }
  return ',';
}

function mergeLatex(text: string, site: CitationSite, add: string[], cursor: number | undefined): TextEdit {
  const listKeys = site.keys.filter((k) => k.offset >= site.listStart && k.offset < site.listEnd);
  const sep = latexSeparator(text, site);
  const joined = add.join(sep);
  if (listKeys.length === 0) {
    const inList = cursor !== undefined && cursor >= site.listStart && cursor <= site.listEnd;
    return insertAt(inList ? cursor : site.listEnd, joined);
  }
  const slot = slotFor(listKeys.map((k) => k.offset), site, cursor);
  if (slot < listKeys.length) return insertAt(listKeys[slot].offset, joined + sep);
  const last = listKeys[listKeys.length - 1];
  let pos = last.offset + last.length;
  while (pos < site.listEnd && isWhitespace(text[pos])) pos++;
  if (text[pos] !== ',') return insertAt(last.offset + last.length, sep + joined);
  // A trailing comma, `{a,}` or `{a, |}`: the new keys fill it.
  const afterComma = pos + 1;
  pos = afterComma;
  while (pos < site.listEnd && isWhitespace(text[pos])) pos++;
  const space = pos === afterComma && sep === ', ' ? ' ' : '';
  return insertAt(pos, space + joined);
}

function mergePandoc(text: string, site: CitationSite, add: string[], cursor: number | undefined): TextEdit {
  const cites = add.map(pandocKey).join('; ');
  if (site.bare) {
    return { offset: site.start, deleteLength: site.end - site.start, insert: `[${text.slice(site.start, site.end)}; ${cites}]` };
  }
  if (site.keys.length === 0) {
    // `[]` or `[see ]`: the keys go in, after what is there as their prefix.
    const at = cursor !== undefined && cursor >= site.listStart && cursor <= site.listEnd ? cursor : site.listEnd;
    const before = at > site.listStart && !isWhitespace(text[at - 1]) ? ' ' : '';
    const after = at < site.listEnd && !isWhitespace(text[at]) ? ' ' : '';
    return insertAt(at, before + cites + after);
  }
  const items = pandocItems(text, { start: site.listStart, end: site.listEnd });
  const slot = slotFor(items.map((it) => it.start), site, cursor);
  if (slot < items.length) return insertAt(items[slot].start, `${cites}; `);
  let pos = items[items.length - 1].end;
  while (pos < site.listEnd && isWhitespace(text[pos])) pos++;
  if (text[pos] !== ';') return insertAt(items[items.length - 1].end, `; ${cites}`);
  // A trailing semicolon, `[@a;]` or `[@a;\n|]`: the new items fill it (Pandoc reads
  // no citation from a list with an empty item).
  const afterSemicolon = pos + 1;
  pos = afterSemicolon;
  while (pos < site.listEnd && isWhitespace(text[pos])) pos++;
  return insertAt(pos, pos === afterSemicolon ? ` ${cites}` : cites);
}

/**
 * The minimal edit adding to `site` those of `newKeys` it does not cite yet (duplicates in
 * `newKeys` dropped); a zero-length, empty edit at `listEnd` when there is none.
 *
 * Placement: with a `cursor` in the key list, the keys go where the cursor is (a cursor
 * inside a key puts them after that key, `{a,|b}` gives `{a,new,b}`); otherwise at the end.
 * LaTeX keeps the list's separator style (`{x, y}` → `{x, y, new}`, `{x,y}` → `{x,y,new}`)
 * and fills a trailing comma (`{x,}` → `{x,new}`). Pandoc adds `; @new` items; a bare
 * `@a` becomes `[@a; @new]` (the only edit that replaces text).
 */
export function mergeIntoCitation(
  text: string,
  site: CitationSite,
  newKeys: readonly string[],
  cursor?: number,
): TextEdit {
  const present = new Set(site.keys.map((k) => k.key));
  const add = uniqueKeys(newKeys).filter((k) => !present.has(k));
  if (add.length === 0) return insertAt(site.listEnd, '');
  return site.style === 'latex' ? mergeLatex(text, site, add, cursor) : mergePandoc(text, site, add, cursor);
}

/**
 * A new citation at `offset`. LaTeX and plain text get exactly the formatted citation (no
 * space or `~` added: habits differ, `text~\cite{x}`, `text \cite{x}`, `text\footcite{x}`).
 * A bare Pandoc `@key` is padded with a space where it would otherwise touch a word,
 * because Pandoc would not read it as a citation (`word@key`) or would read a longer key;
 * `[@key]` right after an `@label` too.
 */
function newCitation(text: string, offset: number, citation: string, style: CitationStyle): string {
  if (style !== 'pandoc') return citation;
  // Right after `@key` or a cross-reference, `[@x]` would read as its locator (`@key [p. 3]`).
  if (citation.startsWith('[')) return AT_KEY_BEFORE.test(text.slice(Math.max(0, offset - MAX_KEY_LOOKBACK), offset)) ? ` ${citation}` : citation;
  const before = offset > 0 && GLUED_BEFORE_AT.test(text[offset - 1]) ? ' ' : '';
  const after = offset < text.length && /[\p{L}\p{N}_@]/u.test(text[offset]) ? ' ' : '';
  return before + citation + after;
}

/**
 * The cite command whose name and optional arguments end at `offset` (spaces aside), on its
 * line, with no key group after it: `\citep|`, `\citep[p.~3]|`. The new keys become its
 * group instead of a second command (`\citep\cite{x}`).
 */
function citeCommandEndingAt(text: string, offset: number): string | undefined {
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  let command: string | undefined;
  forEachLatexCommand(line, (name, _start, nameEnd) => {
    command = undefined;
    if (!isCiteCommand(name)) return undefined;
    // The head and optional arguments as readLatexCitation reads them, up to the line's end.
    const head = readCiteHead(line, nameEnd, name);
    if (!head) return undefined;
    const end = skipOptionalArguments(line, head.pos);
    if (end === undefined) return undefined;
    if (end === line.length) command = head.command;
    return end;
  });
  if (command === undefined || text[skipArgumentSpace(text, offset)] === '{') return undefined;
  return command;
}

/**
 * The edits that cite `keys` at every cursor: a cursor inside a citation adds the missing
 * keys to it ({@link mergeIntoCitation}); any other cursor gets a new citation
 * ({@link formatCitation}). Several cursors in one citation change it once (the first of
 * them in `offsets` decides where the keys go; the host passes the primary selection
 * first); several cursors at one offset insert once. The edits are offsets into the
 * original text, sorted, non-overlapping, no-ops left out: apply them in one edit.
 */
export function planCitationInsert(
  text: string,
  offsets: readonly number[],
  keys: readonly string[],
  style: CitationStyle,
  opts: FormatOptions = {},
): TextEdit[] {
  const citation = formatCitation(keys, style, opts);
  if (citation === '') return [];
  const mergeStyle = style === 'plain' ? undefined : style;
  const sites = scan(text, style);
  const mergedSites = new Set<ScannedCitation>();
  const insertedAt = new Set<number>();
  const edits: TextEdit[] = [];
  for (const offset of offsets) {
    const scanned = mergeStyle && sites.find((s) => contains(s, offset));
    if (scanned) {
      if (mergedSites.has(scanned)) continue;
      mergedSites.add(scanned);
      const edit = mergeIntoCitation(text, toSite(scanned, mergeStyle, offset), keys, offset);
      if (edit.insert !== '' || edit.deleteLength > 0) edits.push(edit);
    } else if (!insertedAt.has(offset)) {
      insertedAt.add(offset);
      const bareCommand = style === 'latex' ? citeCommandEndingAt(text, offset) : undefined;
      const groups = bareCommand === undefined ? undefined : keyGroups(keys, bareCommand);
      edits.push(insertAt(offset, groups ?? newCitation(text, offset, citation, style)));
    }
  }
  return edits.sort((a, b) => a.offset - b.offset || a.deleteLength - b.deleteLength);
}
