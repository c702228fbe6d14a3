/**
 * Filtering and grouping of papers for the tree view and the pickers.
 *
 * Filtering is case- and accent-insensitive and every word of the query must match
 * somewhere in the title, authors, key, category or abstract. The folded text of each
 * paper is computed once per library snapshot (`SearchIndex`), so a query costs one
 * substring scan per paper and word.
 */
import type { Paper } from './model';
import { fold } from './text';

export type GroupBy = 'year' | 'category' | 'author' | 'code' | 'source' | 'none';
export const GROUP_BY_VALUES: readonly GroupBy[] = ['year', 'category', 'author', 'code', 'source', 'none'];

/** The folded title, key, authors, category and year of a paper: what completion matches. */
export function shortSearchText(p: Paper): string {
  const parts = [p.title, p.key];
  for (const a of p.authors) parts.push(`${a.given} ${a.family}`);
  if (p.category) parts.push(p.category.code, p.category.archive ?? '', p.category.name ?? '');
  if (p.year !== null) parts.push(String(p.year));
  return fold(parts.join('\n'));
}

/** The folded, searchable text of a paper: the short fields and the abstract. */
export function searchText(p: Paper): string {
  return `${shortSearchText(p)}\n${fold(p.abstract)}`;
}

/** Split a query into folded words; quotes keep a phrase together (`"loss landscape"`). */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const w = fold((m[1] ?? m[2] ?? '').trim());
    if (w) words.push(w);
  }
  return words;
}

/** Papers newest first, with their folded text, so filtering is one scan. */
export class SearchIndex {
  /** The papers, newest first. */
  readonly papers: readonly Paper[];
  private readonly short: string[];
  private readonly abstracts: string[];

  constructor(papers: readonly Paper[]) {
    this.papers = [...papers].sort(compareByDateDesc);
    this.short = this.papers.map(shortSearchText);
    this.abstracts = this.papers.map((p) => fold(p.abstract));
  }

  /** Papers whose text (abstract included) contains every word of the query, newest first. */
  filter(query: string): Paper[] {
    return this.scan(query, true);
  }

  /** Like `filter`, over title, key, authors, category and year only (no abstract): for completion. */
  filterShort(query: string): Paper[] {
    return this.scan(query, false);
  }

  private scan(query: string, withAbstract: boolean): Paper[] {
    const words = queryWords(query);
    if (words.length === 0) return [...this.papers];
    const out: Paper[] = [];
    for (let i = 0; i < this.papers.length; i++) {
      const short = this.short[i];
      if (words.every((w) => short.includes(w) || (withAbstract && this.abstracts[i].includes(w)))) out.push(this.papers[i]);
    }
    return out;
  }
}

export interface PaperGroup {
  /** Stable id, e.g. `year:2026`, used to keep expansion across refreshes. */
  id: string;
  label: string;
  /** Extra text for the row, e.g. the arXiv archive of a category. */
  description?: string;
  papers: Paper[];
}

/** `Zhou et al. · 2026`, the short attribution shown beside a title. */
export function shortAttribution(p: Paper): string {
  const names = p.authors.map((a) => a.family);
  let who: string;
  if (names.length === 0) who = 'Anonymous';
  else if (names.length === 1 && !p.authorsTruncated) who = names[0];
  else if (names.length === 2 && !p.authorsTruncated) who = `${names[0]} and ${names[1]}`;
  else who = `${names[0]} et al.`;
  return p.year !== null ? `${who} · ${p.year}` : who;
}

/** Newest first, then by month/day, then title (code-point order: fast on 100k papers). */
export function compareByDateDesc(a: Paper, b: Paper): number {
  return (
    (b.year ?? -1e9) - (a.year ?? -1e9) ||
    (b.month ?? 0) - (a.month ?? 0) ||
    (b.day ?? 0) - (a.day ?? 0) ||
    (a.title < b.title ? -1 : a.title > b.title ? 1 : 0)
  );
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}

function collect(papers: readonly Paper[], keysOf: (p: Paper) => string[]): Map<string, Paper[]> {
  const groups = new Map<string, Paper[]>();
  for (const p of papers) {
    for (const k of keysOf(p)) {
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      g.push(p);
    }
  }
  return groups;
}

/**
 * Group papers for the tree. Papers inside a group are newest first; pass
 * `sorted: true` for input already in that order (what `SearchIndex` gives) to skip the
 * sort. A paper appears under each of its authors when grouping by author.
 */
export function groupPapers(papers: readonly Paper[], by: GroupBy, opts: { sorted?: boolean } = {}): PaperGroup[] {
  const sorted = opts.sorted ? papers : [...papers].sort(compareByDateDesc);
  switch (by) {
    case 'none':
      return [{ id: 'all', label: 'All papers', papers: [...sorted] }];
    case 'year': {
      const g = collect(sorted, (p) => [p.year === null ? '' : String(p.year)]);
      return [...g.entries()]
        .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : Number(b) - Number(a)))
        .map(([y, ps]) => ({ id: `year:${y}`, label: y || 'No year', papers: ps }));
    }
    case 'category': {
      const g = collect(sorted, (p) => [p.category?.code ?? '']);
      const byCode = new Map(sorted.filter((p) => p.category).map((p) => [p.category!.code, p.category!]));
      return [...g.entries()]
        .map(([code, ps]) => {
          const c = byCode.get(code);
          const group: PaperGroup = {
            id: `category:${code}`,
            label: c ? c.name ?? c.code : 'No category',
            papers: ps,
          };
          if (c) group.description = c.archive ?? c.code;
          return group;
        })
        .sort((a, b) => (a.id === 'category:' ? 1 : b.id === 'category:' ? -1 : a.label.localeCompare(b.label)));
    }
    case 'author': {
      const g = collect(sorted, (p) =>
        p.authors.length ? [...new Set(p.authors.map((a) => (a.given ? `${a.family}, ${a.given}` : a.family)))] : [''],
      );
      // Fold each name once, not in the comparator: thousands of authors at 100k papers.
      return [...g.entries()]
        .map(([name, ps]) => ({ name, folded: fold(name), ps }))
        .sort((a, b) => (a.name === '' ? 1 : b.name === '' ? -1 : a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0))
        .map(({ name, ps }) => ({ id: `author:${name}`, label: name || 'No author', papers: ps }));
    }
    case 'code': {
      const g = collect(sorted, (p) => [p.hasCode ? 'yes' : 'no']);
      return (['yes', 'no'] as const)
        .filter((k) => g.has(k))
        .map((k) => ({ id: `code:${k}`, label: k === 'yes' ? 'With code' : 'Without code', papers: g.get(k)! }));
    }
    case 'source': {
      const g = collect(sorted, (p) => [...new Set([p.source.file, ...(p.extra?.alsoIn ?? []).map((s) => s.file)])]);
      return [...g.entries()]
        .sort(([a], [b]) => baseName(a).localeCompare(baseName(b)) || a.localeCompare(b))
        .map(([file, ps]) => ({ id: `source:${file}`, label: baseName(file), description: file, papers: ps }));
    }
  }
}
