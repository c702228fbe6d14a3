/**
 * Which bibliography files a document names: `\bibliography{…}` and biblatex's
 * `\addbibresource{…}` in LaTeX, `bibliography:` in the YAML front matter of Pandoc
 * Markdown / Quarto / R Markdown. Also the `% !TEX root` magic comment that points a
 * LaTeX chapter to the file that names them.
 *
 * Pure string work: paths come back as written (with `.bib` added where BibTeX adds it);
 * the host resolves them against the document (see {@link resolveBibPath}). Not covered:
 * Quarto's project-level `_quarto.yml`, Pandoc `--bibliography` options, YAML blocks that
 * are not the front matter.
 */
import * as path from 'path';
import { forEachLatexCommand, readLatexListArgument, type CitationStyle } from './cite';

export type BibRefKind = 'bibliography' | 'addbibresource' | 'yaml';

/** A bibliography named in a document. */
export interface BibRef {
  /** The path as written; for `\bibliography{refs}`, with the `.bib` BibTeX adds: `refs.bib`. */
  path: string;
  kind: BibRefKind;
  /** Where the name is written in the document (for links and diagnostics)… */
  offset: number;
  /** …and how long it is as written. */
  length: number;
}

/** LaTeX commands that name bibliography files. */
const LATEX_BIB_COMMANDS: Readonly<Record<string, BibRefKind>> = {
  bibliography: 'bibliography',
  addbibresource: 'addbibresource',
  addglobalbib: 'addbibresource',
  addsectionbib: 'addbibresource',
};

/** `http://…` and the like: biblatex `location=remote` resources, not files to edit. */
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * The bibliographies a document names, in order, each path once. URLs (biblatex remote
 * resources) are left out: they are not files Paper Shelf can add entries to.
 */
export function findBibliographies(text: string, style: CitationStyle): BibRef[] {
  const refs = style === 'latex' ? latexBibliographies(text) : style === 'pandoc' ? yamlBibliographies(text) : [];
  const seen = new Set<string>();
  return refs.filter((r) => !URL.test(r.path) && !seen.has(r.path) && seen.add(r.path));
}

/** The comma-separated names in `text[start, end)`, trimmed, `%` comments removed. */
function commaList(text: string, start: number, end: number): { value: string; offset: number }[] {
  const out: { value: string; offset: number }[] = [];
  let itemStart = start;
  const flush = (itemEnd: number): void => {
    const raw = text.slice(itemStart, itemEnd);
    const value = raw.trim();
    if (value) out.push({ value, offset: itemStart + raw.indexOf(value) });
  };
  for (let i = start; i < end; i++) {
    if (text[i] === '%') {
      flush(i);
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl >= end ? end : nl;
      itemStart = i;
    } else if (text[i] === ',') {
      flush(i);
      itemStart = i + 1;
    }
  }
  flush(end);
  return out;
}

function latexBibliographies(text: string): BibRef[] {
  const refs: BibRef[] = [];
  forEachLatexCommand(text, (name, _start, nameEnd) => {
    const kind = LATEX_BIB_COMMANDS[name];
    if (kind === undefined) return undefined;
    const arg = readLatexListArgument(text, nameEnd);
    if (!arg) return undefined;
    for (const { value, offset } of commaList(text, arg.start, arg.end)) {
      const withExt = kind === 'bibliography' && !/\.bib$/i.test(value) ? `${value}.bib` : value;
      refs.push({ path: withExt, kind, offset, length: value.length });
    }
    return arg.end + 1;
  });
  return refs;
}

const TEX_ROOT = /^\s*%\s*!\s*tex\s+root\s*=\s*(.*?)\s*$/i;
/** How many lines from the top a `% !TEX root` comment is looked for (TeXShop's convention). */
const TEX_ROOT_LINES = 20;

/**
 * The root file named by a `% !TEX root = main.tex` magic comment (any case and spacing:
 * `%!TeX root=../main.tex`) in the first 20 lines, as written (quotes removed).
 */
export function texRootMagic(text: string): string | undefined {
  const lines = text.split('\n', TEX_ROOT_LINES);
  for (const line of lines) {
    const m = TEX_ROOT.exec(line);
    const value = m?.[1].replace(/^(["'])(.*)\1$/, '$2').trim();
    if (value) return value;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// YAML front matter: just enough YAML for the `bibliography` key.

interface Line {
  text: string;
  offset: number;
}

/** The lines of the front matter (between the opening `---` and `---` or `...`), or none. */
function frontMatter(text: string): Line[] {
  const lines: Line[] = [];
  let offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let first = true;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const end = nl < 0 ? text.length : nl;
    const line = text.slice(offset, end).replace(/\r$/, '');
    if (first) {
      if (line.trimEnd() !== '---') return [];
      first = false;
    } else if (/^(?:---|\.\.\.)\s*$/.test(line)) {
      return lines;
    } else {
      lines.push({ text: line, offset });
    }
    offset = end + 1;
  }
  return []; // never closed: not front matter
}

interface Scalar {
  value: string;
  offset: number;
  length: number;
}

/** Index of the quote closing the YAML quoted scalar that opens at `s[0]`, or -1. */
function closingQuote(s: string): number {
  const q = s[0];
  for (let i = 1; i < s.length; i++) {
    if (q === '"' && s[i] === '\\') i++;
    else if (s[i] === q) {
      if (q === "'" && s[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

/** A YAML scalar written at `offset`: quotes removed, a trailing `# comment` dropped. */
function yamlScalar(raw: string, offset: number): Scalar | undefined {
  const lead = raw.length - raw.trimStart().length;
  const s = raw.trim();
  if (s[0] === '"' || s[0] === "'") {
    const close = closingQuote(s);
    if (close < 0) return undefined;
    const inner = s.slice(1, close);
    const value = s[0] === '"' ? inner.replace(/\\(["\\/])/g, '$1') : inner.replace(/''/g, "'");
    return value ? { value, offset: offset + lead + 1, length: inner.length } : undefined;
  }
  const value = s.replace(/(?:^|\s+)#.*$/, '');
  return value ? { value, offset: offset + lead, length: value.length } : undefined;
}

/** The items of the flow sequence `[a, "b", c]` in `text[start, end)`. */
function yamlFlowItems(text: string, start: number, end: number): Scalar[] {
  const open = text.indexOf('[', start);
  const close = text.indexOf(']', open);
  const innerEnd = close < 0 || close > end ? end : close;
  const items: Scalar[] = [];
  let itemStart = open + 1;
  for (const piece of text.slice(open + 1, innerEnd).split(',')) {
    const item = yamlScalar(piece, itemStart);
    if (item) items.push(item);
    itemStart += piece.length + 1;
  }
  return items;
}

/**
 * `bibliography:` in the front matter: a scalar (`refs.bib`, quoted or not), a flow
 * sequence (`[a.bib, b.bib]`, which may continue on the following lines), or a block sequence
 * (`- a.bib` items on the following lines, indented or not).
 */
function yamlBibliographies(text: string): BibRef[] {
  const lines = frontMatter(text);
  const at = lines.findIndex((l) => /^bibliography[ \t]*:/.test(l.text));
  if (at < 0) return [];
  const line = lines[at];
  const colon = line.text.indexOf(':') + 1;
  const rest = line.text.slice(colon);
  const restOffset = line.offset + colon;
  const toRef = ({ value, offset, length }: Scalar): BibRef => ({
    path: value,
    kind: 'yaml',
    offset,
    length,
  });
  if (rest.trim().startsWith('[')) {
    const last = lines[lines.length - 1];
    return yamlFlowItems(text, restOffset, last.offset + last.text.length).map(toRef);
  }
  const scalar = yamlScalar(rest, restOffset);
  if (scalar) return [toRef(scalar)];
  const refs: BibRef[] = [];
  for (const item of lines.slice(at + 1)) {
    if (/^\s*(?:#.*)?$/.test(item.text)) continue;
    const m = /^(\s*)-(?:\s+|$)/.exec(item.text);
    if (!m) break;
    const value = yamlScalar(item.text.slice(m[0].length), item.offset + m[0].length);
    if (value) refs.push(toRef(value));
  }
  return refs;
}

// ---------------------------------------------------------------------------------------

const WINDOWS_PATH = /^[A-Za-z]:[\\/]|^\\\\|\\/;

/**
 * The path of a bibliography `ref` named in the document at `docPath`: absolute paths
 * (`/x`, `C:\x`, `C:/x`, `\\server\x`) as they are, relative ones against the document's
 * folder, normalised. Windows rules (both separators) when either path looks like a
 * Windows path, else POSIX. For file-system paths (the CLI); the extension resolves with
 * `vscode.Uri.joinPath`, which also covers remote workspaces. For LaTeX pass the root
 * document: BibTeX and biber look relative to where LaTeX runs, not to an `\input` file.
 */
export function resolveBibPath(docPath: string, ref: string): string {
  const p = WINDOWS_PATH.test(docPath) || WINDOWS_PATH.test(ref) ? path.win32 : path.posix;
  return p.isAbsolute(ref) ? p.normalize(ref) : p.join(p.dirname(docPath), ref);
}
