/**
 * Planning the entries to append to a `.bib` file so that a new citation compiles.
 *
 * The plan is one piece of text for the host to insert at the END of the file (one
 * `WorkspaceEdit`): every existing character stays as it was. Strings only: the host must
 * decode the file with its own encoding (BibTeX files are not always UTF-8) and let the
 * editor encode it back the same way, or the bytes around the insertion would change.
 *
 * Keys: an entry whose key the file already has is not added again when it is the same
 * paper; when the key belongs to a different paper the entry gets the next free key
 * (`key` + `a`, `b`, …) and the host cites that key instead. A paper the file already
 * holds under another key (same DOI, or same title, year and first author) is cited by that key.
 */
import { bibtexKeys, parseBibtex, UNTITLED } from './bibtex/parse';
import { nextFreeKey } from './keys';
import { bareDoi } from './links';
import { fold } from './text';

/** What identifies the paper behind an entry, to tell papers apart when keys collide. */
export interface PaperIdentity {
  doi?: string;
  title?: string;
  year?: number | null;
  /** The first author's family name. */
  firstAuthor?: string;
}

export interface AppendRequest {
  key: string;
  /** The entry as BibTeX, starting with `@type{key,`. */
  bibtex: string;
  identity?: PaperIdentity;
}

export interface AppendOptions {
  /** Line ending for a file that has none yet (e.g. from `files.eol`); default `\n`. */
  defaultEol?: '\n' | '\r\n';
  /**
   * The texts of the document's other bibliographies (`\bibliography{refs,extra}`): BibTeX
   * and biber read them together, so their entries count as present and their keys as
   * taken (a key in two of them stops BibTeX with "Repeated entry").
   */
  otherBibliographies?: readonly string[];
}

/** Why a key changed: the requested key was taken by another paper, or the file has the paper under another key. */
export type RenameReason = 'taken' | 'present';

export interface AppendPlan {
  /** Text to insert at the end of the file; empty when nothing is added. */
  insertText: string;
  /**
   * The key to cite for each request, in request order (the requested key, or the key it
   * was renamed to). Unambiguous even when one key is requested for two papers.
   */
  keys: string[];
  /** Keys of the entries in `insertText`, in order (after renaming). */
  added: string[];
  /** Keys (as the file writes them) of requested papers the file already has. */
  alreadyPresent: string[];
  /** Cite `to` instead of the requested `from`; each `from` once. */
  renamed: { from: string; to: string; reason: RenameReason }[];
  /** Requests that could not be planned (their BibTeX does not start with `@type{key,`). */
  rejected: { key: string; reason: string }[];
}

/** The line ending most lines of `text` use; undefined when it has no line break. */
export function detectEol(text: string): '\n' | '\r\n' | undefined {
  const all = text.split('\n').length - 1;
  if (all === 0) return undefined;
  const crlf = text.split('\r\n').length - 1;
  return crlf * 2 > all ? '\r\n' : '\n';
}

/** `https://doi.org/10.1/X`, `https://www.doi.org/10.1/x` and `doi:10.1/x` all become `10.1/x` (DOIs ignore case). */
function normalizeDoi(doi: string | undefined): string {
  return bareDoi(doi ?? '').toLowerCase();
}

/** A title folded to letters and digits, for comparison. */
function titleSlug(title: string | undefined): string {
  return title && title !== UNTITLED ? fold(title).replace(/[^\p{L}\p{N}]+/gu, '') : '';
}

/** An identity ready for comparison: DOI, title and first author normalised, empty when unknown. */
interface Identity {
  doi: string;
  title: string;
  year: number | null;
  author: string;
}

function normalizeIdentity(id: PaperIdentity): Identity {
  return { doi: normalizeDoi(id.doi), title: titleSlug(id.title), year: id.year ?? null, author: titleSlug(id.firstAuthor) };
}

/** A title this short (`Reply`, `Discussion`, `Editorial`) names many papers: it takes a first author too. */
const MIN_TELLING_TITLE = 8;

/**
 * Whether two records are the same paper: by DOI when both have one, else by title, year
 * and first author, as the library tells duplicates apart. Different when any of those
 * that both give differ; undefined when they do not say (a title or a year missing on one
 * side, or a short title without first authors on both sides).
 */
function sameWork(a: Identity, b: Identity): boolean | undefined {
  if (a.doi && b.doi) return a.doi === b.doi;
  if (!a.title || !b.title) return undefined;
  if (a.title !== b.title) return false;
  if (a.year !== null && b.year !== null && a.year !== b.year) return false;
  const authors = a.author !== '' && b.author !== '';
  if (authors && a.author !== b.author) return false;
  if (a.year === null || b.year === null) return undefined;
  return authors || a.title.length >= MIN_TELLING_TITLE ? true : undefined;
}

/** A record in the file or already planned: its key as written and what identifies it. */
interface Holder {
  key: string;
  identity?: Identity;
  planned: boolean;
}

const ENTRY_HEADER = /^(\s*@\s*[A-Za-z]+\s*[{(]\s*)[^,\s]*/;

/**
 * Plans appending `entries` to a `.bib` file whose text is `existingText` (and whose
 * document also reads `opts.otherBibliographies`, which count as the file does below).
 *
 * For each requested entry, in order:
 * - its key is in the file (ignoring case, as BibTeX does) and the entry there is the same
 *   paper, or cannot be told apart (no DOI or title/year to compare): not added; cited by
 *   the file's key (a `renamed` `present` entry when only the case differs);
 * - the file holds the same paper (same DOI, or same title, year and first author) under another key:
 *   not added, cited by that key (`renamed`, reason `present`);
 * - its key is taken by a different paper: added under the next free key (`renamed`,
 *   reason `taken`; the key in its `@type{key,` header is rewritten);
 * - otherwise added as it is. A key requested twice for the same paper is added once.
 *
 * The insertion uses the file's line ending (LF for a file without one, or
 * `opts.defaultEol`), starts on a new line, and is separated from what precedes it by one
 * blank line; entries are separated by a blank line and the text ends with a line ending.
 */
export function planBibAppend(
  existingText: string,
  entries: readonly AppendRequest[],
  opts: AppendOptions = {},
): AppendPlan {
  const holders = new Map<string, Holder>();
  const texts = [existingText, ...(opts.otherBibliographies ?? [])];
  for (const text of texts) {
    for (const key of bibtexKeys(text).keys()) {
      if (!holders.has(key.toLowerCase())) holders.set(key.toLowerCase(), { key, planned: false });
    }
  }
  const needIdentities = entries.some((e) => e.identity);
  const existingPapers = needIdentities ? texts.flatMap((text) => parseBibtex(text, { file: 'existing.bib' }).papers) : [];
  for (const p of existingPapers) {
    const holder = holders.get(p.key.toLowerCase());
    if (holder && holder.key === p.key && !holder.identity) {
      holder.identity = normalizeIdentity({ doi: p.extra?.doi, title: p.title, year: p.year, firstAuthor: p.authors[0]?.family });
    }
  }
  const records: Holder[] = [...holders.values()].filter((h) => h.identity);

  const plan: AppendPlan = { insertText: '', keys: [], added: [], alreadyPresent: [], renamed: [], rejected: [] };
  const blocks: string[] = [];
  const rename = (from: string, to: string, reason: RenameReason): void => {
    if (from !== to && !plan.renamed.some((r) => r.from === from)) plan.renamed.push({ from, to, reason });
  };
  /** The record each requested key went to: a key requested again for the same paper goes there too. */
  const decided = new Map<string, Holder>();
  const cite = (request: AppendRequest, holder: Holder): void => {
    rename(request.key, holder.key, 'present');
    if (!holder.planned && !plan.alreadyPresent.includes(holder.key)) plan.alreadyPresent.push(holder.key);
    decided.set(request.key, holder);
    plan.keys.push(holder.key);
  };

  for (const request of entries) {
    const identity = request.identity && normalizeIdentity(request.identity);
    const prior = decided.get(request.key);
    if (prior && !(identity && prior.identity && sameWork(identity, prior.identity) === false)) {
      cite(request, prior);
      continue;
    }
    const holder = holders.get(request.key.toLowerCase());
    const verdict = holder && identity && holder.identity ? sameWork(identity, holder.identity) : undefined;
    if (holder && verdict !== false) {
      cite(request, holder);
      continue;
    }
    const elsewhere = identity && records.find((r) => sameWork(identity, r.identity!) === true);
    if (elsewhere) {
      cite(request, elsewhere);
      continue;
    }
    if (!ENTRY_HEADER.test(request.bibtex)) {
      plan.rejected.push({ key: request.key, reason: 'the BibTeX text does not start with @type{key,' });
      plan.keys.push(request.key);
      continue;
    }
    const key = holder ? nextFreeKey(request.key, (k) => holders.has(k.toLowerCase())) : request.key;
    if (holder) rename(request.key, key, 'taken');
    const added: Holder = { key, identity, planned: true };
    holders.set(key.toLowerCase(), added);
    if (added.identity) records.push(added);
    decided.set(request.key, added);
    blocks.push(request.bibtex.trim().replace(ENTRY_HEADER, (_m, head: string) => head + key));
    plan.added.push(key);
    plan.keys.push(key);
  }

  if (blocks.length) {
    const eol = detectEol(existingText) ?? opts.defaultEol ?? '\n';
    plan.insertText = separatorAfter(existingText, eol) + blocks.join('\n\n').replace(/\r?\n/g, eol) + eol;
  }
  return plan;
}

/** What to write before new entries: end the last line, then leave one blank line after content. */
function separatorAfter(text: string, eol: string): string {
  if (text.trim() === '') return /\n$/.test(text) || text === '' ? '' : eol;
  if (!/\n$/.test(text)) return eol + eol;
  return /\n[ \t]*\r?\n$/.test(text) ? '' : eol;
}
