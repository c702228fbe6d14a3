/**
 * Merges the records of several sources into one library.
 *
 * - Sources are given in priority order (the user's own files first, the bundled
 *   listing last); on a duplicate the first source's record wins and the others are
 *   listed in `extra.alsoIn`. Fields the winner lacks (code link, category, abstract,
 *   month/day) are filled from the duplicates, so a `.bib` entry gains the listing's
 *   code repository.
 * - The same paper is recognised by DOI, by arXiv id, or by normalised title + year +
 *   first author's family name.
 * - A `.bib` or CSL record keeps its own key. Generated keys (listings) that clash
 *   with a key already in the library get a suffix (`a`, `b`, …).
 */
import type { Diagnostic, Paper, ReadResult } from './model';
import { nextFreeKey, type SuffixCounter } from './keys';
import { asciiSlug, flat, fold } from './text';
import { UNTITLED } from './bibtex/parse';

export type SourceKind = 'listing' | 'bibtex' | 'csl';

export interface SourceResult {
  /** Path or URI string of the source (the same as each record's `source.file`). */
  file: string;
  kind: SourceKind;
  result: ReadResult;
}

export interface SourceDiagnostic extends Diagnostic {
  file: string;
}

export interface MergedLibrary {
  papers: Paper[];
  byKey: Map<string, Paper>;
  /** Reader diagnostics of every source plus the merge's own (key clashes). */
  diagnostics: SourceDiagnostic[];
}

const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;

/** The identities under which a paper is recognised as the same as another. */
export function identities(p: Paper): string[] {
  const ids: string[] = [];
  const doi = p.extra?.doi?.trim().toLowerCase();
  if (doi) {
    ids.push(flat(`doi:${doi}`));
    const m = ARXIV_DOI.exec(doi);
    if (m) ids.push(flat(`arxiv:${m[1].replace(/v\d+$/, '')}`));
  }
  const arxiv = p.extra?.arxivId?.trim().toLowerCase();
  if (arxiv) ids.push(flat(`arxiv:${arxiv.replace(/v\d+$/, '')}`));
  // Title + year + first author, when the title is real and long enough to tell papers
  // apart and there is a year or an author to go with it (BibTeX files hold many
  // untitled or one-word-titled entries that are different works).
  const first = p.authors[0] ? fold(p.authors[0].family).replace(/[^a-z]/g, '') : '';
  if (p.title !== UNTITLED && (p.year !== null || first)) {
    const title = asciiSlug(p.title);
    if (title.length >= 8) ids.push(flat(`t:${title}|${p.year ?? ''}|${first}`));
  }
  return ids;
}

function fillFrom(winner: Paper, other: Paper): Paper {
  const merged: Paper = { ...winner, extra: { ...winner.extra } };
  if (!merged.codeUrl && other.codeUrl) merged.codeUrl = other.codeUrl;
  merged.hasCode = merged.hasCode || other.hasCode;
  if (!merged.category && other.category) merged.category = other.category;
  if (!merged.abstract && other.abstract) merged.abstract = other.abstract;
  if (merged.year === other.year) {
    if (merged.month === null && other.month !== null) merged.month = other.month;
    if (merged.day === null && other.day !== null && merged.month === other.month) merged.day = other.day;
  }
  merged.extra!.alsoIn = [...(merged.extra!.alsoIn ?? []), other.source, ...(other.extra?.alsoIn ?? [])];
  return merged;
}

/**
 * The identities of a read's papers, by position: a library is merged again at each
 * publish while it loads, and a read's papers do not change. Kept per read, not per
 * paper: a weak map with an entry per paper cost the extension host tens of
 * milliseconds per merge at 100k papers, and more in each garbage collection.
 */
interface IdentityCache {
  papers: Paper[];
  ids: string[][];
}
const identityCache = new WeakMap<ReadResult, IdentityCache>();

function identitiesOf(result: ReadResult): (i: number) => string[] {
  let cache = identityCache.get(result);
  if (!cache) identityCache.set(result, (cache = { papers: [], ids: [] }));
  const { papers, ids } = cache;
  return (i) => {
    const p = result.papers[i];
    if (papers[i] !== p) {
      papers[i] = p;
      ids[i] = identities(p);
    }
    return ids[i];
  };
}

/** Papers (or diagnostics) handled between two yields of {@link mergeSteps}. */
const MERGE_SLICE = 500;

export function mergeSources(sources: readonly SourceResult[]): MergedLibrary {
  const steps = mergeSteps(sources);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link mergeSources} in small steps: yields after every few hundred papers, so a caller
 * on a UI thread can spread the merge of a big library over several turns of its event
 * loop. Returns the merged library.
 */
export function* mergeSteps(sources: readonly SourceResult[]): Generator<void, MergedLibrary, void> {
  const diagnostics: SourceDiagnostic[] = [];
  const papers: Paper[] = [];
  const byIdentity = new Map<string, number>();
  const byKey = new Map<string, Paper>();
  let work = 0;

  for (const src of sources) {
    for (const d of src.result.diagnostics) {
      diagnostics.push({ ...d, file: src.file });
      if (++work % MERGE_SLICE === 0) yield;
    }
  }

  // Pass 1: de-duplicate in priority order, across sources only: within one file,
  // entries that look alike (a recurring column, "Greetings from the Editor", by the
  // same author in the same year) are different works the file lists on purpose.
  const kindOf: SourceKind[] = [];
  const fileOf: string[] = [];
  for (const src of sources) {
    const identitiesAt = identitiesOf(src.result);
    for (let i = 0; i < src.result.papers.length; i++) {
      if (++work % MERGE_SLICE === 0) yield;
      const p = src.result.papers[i];
      const ids = identitiesAt(i);
      const hit = ids.map((id) => byIdentity.get(id)).find((i) => i !== undefined && fileOf[i] !== src.file);
      if (hit !== undefined) {
        papers[hit] = fillFrom(papers[hit], p);
        for (const id of ids) if (!byIdentity.has(id)) byIdentity.set(id, hit);
        continue;
      }
      const index = papers.length;
      papers.push(p);
      kindOf.push(src.kind);
      fileOf.push(src.file);
      for (const id of ids) byIdentity.set(id, index);
    }
  }

  // Pass 2: keys. Keys written by the user (BibTeX, CSL) are claimed first, exactly as
  // written, in priority order; generated keys (listings) yield to them.
  const suffixes: SuffixCounter = new Map();
  for (const listings of [false, true]) {
    for (let i = 0; i < papers.length; i++) {
      if ((kindOf[i] === 'listing') !== listings) continue;
      if (++work % MERGE_SLICE === 0) yield;
      const p = papers[i];
      if (!byKey.has(p.key)) {
        byKey.set(p.key, p);
        continue;
      }
      if (listings) {
        const key = nextFreeKey(p.key, (k) => byKey.has(k), suffixes);
        papers[i] = { ...p, key };
        byKey.set(key, papers[i]);
      } else {
        const first = byKey.get(p.key)!;
        diagnostics.push({
          file: p.source.file,
          line: p.source.line,
          severity: 'warning',
          message: `Duplicate key "${p.key}": already used at ${first.source.file}:${first.source.line}; this entry is hidden.`,
        });
      }
    }
  }
  const kept = papers.filter((p) => byKey.get(p.key) === p);
  return { papers: kept, byKey, diagnostics };
}
