/**
 * BibTeX writer: papers → entries that both classic BibTeX (plain, alpha, natbib's
 * plainnat) and biblatex + biber read without errors.
 *
 * Choices (each checked with pdflatex + bibtex and pdflatex + biber, see
 * test/latex/compile.js):
 * - Text is written as ASCII LaTeX: accented letters become `{\"u}`, `{\'i}`, `{\ss}`;
 *   TeX's special characters are escaped; braces as `{\textbraceleft}`, because BibTeX
 *   counts `\{` as a brace and one unbalanced `{` in an abstract would break the entry. Classic BibTeX is byte-oriented and cuts UTF-8
 *   letters in half when it abbreviates first names, so Unicode is kept only where LaTeX
 *   has no ASCII spelling (e.g. CJK).
 *   Typographic quotes become TeX's (`` ` `` `'` ``` `` ``` `''`), so a `’` reads back as `'`.
 *   Other ASCII passes through as typed: a typed `--` or `` `quoted' `` (arXiv abstracts are
 *   written so) is set by LaTeX as the dash and quotes its author meant, and reads back so.
 * - Title words with capitals after their first letter (`LLMs`, `AlphaPruning`, `GPT`)
 *   are braced so that sentence-casing styles keep them.
 * - A listing record (no entry type) is `@misc`; its arXiv category is written as
 *   `eprinttype = {arxiv}` + `eprintclass`, its code link in a `code` field (ignored by
 *   the styles, read back by our reader: a repository is not where the paper is, so it
 *   does not go into `url`).
 * - `month` is a macro (`month = may`); a known day adds biblatex's `date`.
 * - A BibTeX-sourced record keeps its type and fields; `crossref`/`xref` are dropped
 *   because inherited fields were already copied in (the entry stands alone).
 */
import type { Author, Paper } from '../model';
import { ACCENTS, MATH } from './latex';
import { UNTITLED } from './parse';

const MONTH_MACROS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Fields whose values are written literally (biblatex's verbatim fields). */
const VERBATIM = new Set(['url', 'doi', 'eprint', 'file', 'pdf', 'verba', 'verbb', 'verbc', 'urlraw', 'code', 'github']);

/** Fields the paper itself provides, or that must not be copied from `extra.fields`. */
const OWN_FIELDS = new Set(['title', 'author', 'editor', 'year', 'month', 'day', 'date', 'abstract', 'code', 'crossref', 'xref']);

/** Fields replaced by `eprinttype`/`eprintclass` when the paper has an arXiv category. */
const CATEGORY_FIELDS = new Set(['eprinttype', 'archiveprefix', 'eprintclass', 'primaryclass']);

/** Non-ASCII characters with a text-mode LaTeX spelling that works with pdflatex's default OT1/T1 fonts. */
const TEXT_LATEX: Readonly<Record<string, string>> = {
  ß: '{\\ss}', ø: '{\\o}', Ø: '{\\O}', æ: '{\\ae}', Æ: '{\\AE}', œ: '{\\oe}', Œ: '{\\OE}', ł: '{\\l}',
  Ł: '{\\L}', ı: '{\\i}', ȷ: '{\\j}', å: '{\\aa}', Å: '{\\AA}',
  '–': '--', '—': '---', '‘': '`', '’': "'", '“': '``', '”': "''", '„': ',,', '…': '{\\ldots}',
  '\u00a0': '~', '\u2009': '\\,', '¿': '{\\textquestiondown}', '¡': '{\\textexclamdown}',
  // Romanian comma-below letters: the cedilla form is what pdflatex's fonts have.
  ș: '{\\c{s}}', Ș: '{\\c{S}}', ț: '{\\c{t}}', Ț: '{\\c{T}}',
  '§': '{\\S}', '¶': '{\\P}', '©': '{\\textcopyright}', '£': '{\\pounds}', '†': '{\\dag}',
  '‡': '{\\ddag}', '«': '{\\guillemotleft}', '»': '{\\guillemotright}', '•': '{\\textbullet}',
  '°': '{\\textdegree}', '®': '{\\textregistered}', '™': '{\\texttrademark}', 'µ': '{\\textmu}',
  '−': '$-$',
  // `\sqrt` takes an argument; `√` alone is `\surd`.
  '√': '$\\surd$',
  '\u202f': '\\,', '\u2002': '\\enspace{}', '\u2003': '\\quad{}', '\u200b': '', '\u2060': '', '\ufeff': '',
};

/** Combining mark → accent command (the reverse of the reader's table). */
const ACCENT_OF: ReadonlyMap<string, string> = new Map(Object.entries(ACCENTS).map(([cmd, mark]) => [mark, cmd]));

/** Single-character math symbols → `$\cmd$` (first spelling wins, e.g. `\leq` over `\le`). */
const MATH_OF: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [cmd, ch] of Object.entries(MATH)) if ([...ch].length === 1 && !m.has(ch)) m.set(ch, `$\\${cmd}$`);
  return m;
})();

/** ASCII characters that TeX or BibTeX treat specially, escaped for text mode. */
const ASCII_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '{\\textbackslash}', '{': '{\\textbraceleft}', '}': '{\\textbraceright}', '&': '\\&', '%': '\\%', $: '\\$', '#': '\\#',
  _: '\\_', '~': '{\\textasciitilde}', '^': '{\\textasciicircum}', '<': '{\\textless}', '>': '{\\textgreater}',
};

const NEEDS_ESCAPE = /[\\{}&%$#_~^<>\u0080-\uffff]/;

/** Turns display text into ASCII LaTeX (see the module comment). */
export function toLatex(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  let out = '';
  // Accents typed or pasted decomposed (`u` + U+0308, as macOS and PDFs give them) as one letter.
  for (const ch of text.normalize('NFC')) {
    if (ch.charCodeAt(0) < 128) {
      out += ASCII_ESCAPES[ch] ?? ch;
      continue;
    }
    const latex = TEXT_LATEX[ch] ?? accented(ch) ?? MATH_OF.get(ch) ?? ch;
    // `’”` is `'` + `''`: keep TeX from reading `'''` as `''` + `'` (same for dashes).
    if (/^[-'`]/.test(latex) && out.endsWith(latex[0])) out += '{}';
    out += latex;
  }
  return out;
}

/** `ü` → `{\"u}`, `í` → `{\'i}`, `ş` → `{\c{s}}`; undefined when the letter is not an ASCII base plus known accents. */
function accented(ch: string): string | undefined {
  const parts = [...ch.normalize('NFD')];
  if (parts.length < 2) return undefined;
  const base = parts[0];
  if (!/^[A-Za-z]$/.test(base)) return undefined;
  // `\'i`, not `\'\i`: biber turns `\'{\i}` into a dotless ı plus a combining accent,
  // which pdflatex cannot typeset; `\'i` gives í in both tool chains.
  let out = base;
  for (const mark of parts.slice(1)) {
    const cmd = ACCENT_OF.get(mark);
    if (cmd === undefined) return undefined;
    out = /^[a-zA-Z]$/.test(cmd) ? `\\${cmd}{${out}}` : `\\${cmd}${out.length === 1 ? out : `{${out}}`}`;
  }
  return `{${out}}`;
}

/**
 * Title text in LaTeX with the words whose capitals sentence-casing styles would lose
 * braced: a capital after the first letter (`LLMs`, `3D`, `GPT`), a capital next to a
 * digit (`T5`, `L2`), a capital standing alone (`Q-learning`, `Vitamin D`; not the
 * article `A`). Only the letters and digits are braced: punctuation stays outside, since
 * BibTeX keeps the capital after `{BERT}:` but not after `{BERT:}`.
 */
export function protectTitle(title: string): string {
  return title
    .split(/(\s+)/)
    .map((token) => (/^\s+$/.test(token) ? toLatex(token) : token.split('-').map(protectWord).join('-')))
    .join('');
}

const WORD_PARTS = /^([^\p{L}\p{N}]*)([^]*?)([^\p{L}\p{N}]*)$/u;

/** A word in LaTeX, its letters and digits braced when they hold a capital sentence-casing would lose. */
function protectWord(word: string): string {
  const [, lead = '', core = '', trail = ''] = WORD_PARTS.exec(word) ?? [];
  const keep = /^[\p{L}\p{N}].*\p{Lu}/u.test(core) || /\p{Lu}\p{N}|\p{N}\p{Lu}/u.test(core) || (/^\p{Lu}$/u.test(core) && core !== 'A');
  return keep ? `${toLatex(lead)}{${toLatex(core)}}${toLatex(trail)}` : toLatex(word);
}

/** True when `s` contains `and` as a separate word (which would split a BibTeX name). */
function hasAndWord(s: string): boolean {
  return /(?:^|\s)and(?:\s|$)/i.test(s);
}

/** One author as `von Last, Jr, First` / `Last, First` / `{Corporate Name}`. */
export function formatName(a: Author): string {
  const family = toLatex(a.family);
  const given = toLatex(a.given);
  if (!given) {
    if (/\s/.test(a.family) || a.family.includes(',')) return `{${family}}`;
    return family;
  }
  const fam = hasAndWord(a.family) ? `{${family}}` : family;
  const giv = hasAndWord(a.given) || a.given.includes(',') ? `{${given}}` : given;
  // A family with a suffix ("Smith, Jr") is already "Last, Jr": add First as the third part.
  return `${fam}, ${giv}`;
}

/** The name list for `author`/`editor`, with `and others` when truncated. */
function formatNames(authors: Author[], truncated: boolean): string {
  const names = authors.map(formatName);
  if (truncated) names.push('others');
  return names.join(' and ');
}

/** A braced value; verbatim fields keep their text, others are escaped. */
function braced(name: string, value: string): string {
  if (!VERBATIM.has(name)) return `{${toLatex(value)}}`;
  return `{${balanced(value) ? value : value.replace(/[{}]/g, '')}}`;
}

function balanced(s: string): boolean {
  let depth = 0;
  for (const ch of s) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The fields of a paper in writing order: `[name, value as written]`. */
function entryFields(p: Paper): [string, string][] {
  const extra = p.extra?.fields ?? {};
  const fromBib = p.extra?.entryType !== undefined;
  const out: [string, string][] = [];
  // The reader's placeholder for an entry without a title is not written back as one.
  if (!(p.title === UNTITLED && fromBib && extra.title === undefined)) out.push(['title', `{${protectTitle(p.title)}}`]);
  if (p.authors.length || p.authorsTruncated) {
    const role = fromBib && extra.author === undefined && extra.editor !== undefined ? 'editor' : 'author';
    out.push([role, `{${formatNames(p.authors, p.authorsTruncated)}}`]);
    if (role === 'author' && extra.editor !== undefined) out.push(['editor', braced('editor', extra.editor)]);
  } else if (extra.editor !== undefined) {
    out.push(['editor', braced('editor', extra.editor)]);
  }
  const archive = p.category?.archive;
  for (const [name, value] of Object.entries(extra)) {
    if (OWN_FIELDS.has(name) || value === '' || (archive && CATEGORY_FIELDS.has(name))) continue;
    // A DOI as a bare DOI: biblatex puts https://doi.org/ before it itself.
    out.push([name, braced(name, name === 'doi' && p.extra?.doi ? p.extra.doi : value)]);
  }
  if (p.year !== null) out.push(['year', `{${p.year}}`]);
  if (p.month !== null) out.push(['month', MONTH_MACROS[p.month - 1]]);
  if (p.year !== null && p.month !== null && p.day !== null) {
    out.push(['date', `{${p.year}-${pad(p.month)}-${pad(p.day)}}`]);
  }
  if (archive) {
    out.push(['eprinttype', '{arxiv}'], ['eprintclass', `{${archive}}`]);
    if (extra.eprint === undefined && p.extra?.arxivId) out.push(['eprint', `{${p.extra.arxivId}}`]);
  }
  if (p.codeUrl !== null && extra.url !== p.codeUrl) out.push(['code', braced('code', p.codeUrl)]);
  if (p.abstract) out.push(['abstract', `{${toLatex(p.abstract)}}`]);
  return out;
}

/** One paper as a BibTeX entry (no trailing newline). */
export function toBibtex(p: Paper): string {
  const type = p.extra?.entryType ?? 'misc';
  const fields = entryFields(p).map(([name, value]) => `  ${name} = ${value}`);
  return `@${type}{${p.key},\n${fields.join(',\n')}\n}`;
}

/** Papers as a `.bib` file: entries separated by blank lines, ending with a newline. */
export function toBibtexFile(papers: Paper[]): string {
  return papers.length ? `${papers.map(toBibtex).join('\n\n')}\n` : '';
}
