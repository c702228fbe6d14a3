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

export function rankForCompletion(index: SearchIndex, prefix: string, limit: number): Ranked {
  const q = fold(prefix.trim());
  if (!q) return { papers: index.papers.slice(0, limit), complete: index.papers.length <= limit };
  const matches = index.filterShort(prefix);
  const score = (p: Paper): number => {
    const key = fold(p.key);
    if (key.startsWith(q)) return 0;
    if (key.includes(q)) return 1;
    return 2;
  };
  // Bucket instead of sorting everything: only the best `limit` matter, and the
  // index already gives matches newest first.
  const buckets: Paper[][] = [[], [], []];
  for (const p of matches) buckets[score(p)].push(p);
  const out: Paper[] = [];
  for (const b of buckets) {
    if (out.length >= limit) break;
    out.push(...b.slice(0, limit - out.length));
  }
  return { papers: out, complete: matches.length <= limit };
}
