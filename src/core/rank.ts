/**
 * Ranking for key completion: what the user typed after `\cite{` or `@` may be the
 * start of a key or words of the title and authors (abstracts are not searched here:
 * for a key they are mostly noise, and they are most of the text). Results are capped so the editor
 * never receives a huge list; the caller marks the list incomplete when capped.
 */
import type { Paper } from './model';
import type { SearchIndex } from './search';
import { fold } from './text';

export interface Ranked {
  papers: Paper[];
  /** False when more papers matched than were returned. */
  complete: boolean;
}

/**
 * The papers to offer for `prefix`, at most `limit`: keys that start with it first, then
 * keys that contain it, then papers whose title, authors, category or year match its words;
 * newest first within each. Typing on (`knu` → `knuth`) narrows the index's previous answer.
 */
export function rankForCompletion(index: SearchIndex, prefix: string, limit: number): Ranked {
  const q = fold(prefix.trim());
  if (!q) return { papers: index.papers.slice(0, limit), complete: index.papers.length <= limit };
  const matches = index.filterShortPositions(prefix);
  // Bucket instead of sorting everything: only the best `limit` matter, and the
  // positions are already newest first.
  const buckets: number[][] = [[], [], []];
  for (let k = 0; k < matches.length; k++) {
    const key = index.foldedKey(matches[k]);
    const bucket = key.startsWith(q) ? buckets[0] : key.includes(q) ? buckets[1] : buckets[2];
    if (bucket.length < limit) bucket.push(matches[k]);
  }
  const out: Paper[] = [];
  for (const b of buckets) for (let k = 0; k < b.length && out.length < limit; k++) out.push(index.papers[b[k]]);
  return { papers: out, complete: matches.length <= limit };
}
