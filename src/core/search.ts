/**
 * Filtering and grouping of papers for the tree view and the pickers.
 *
 * Filtering is case- and accent-insensitive and every word of the query must occur (as a
 * substring) in the folded title, authors, key, category and year, or in the folded abstract.
 * `SearchIndex` folds each paper's text once per library snapshot and indexes its tokens,
 * so a query costs a look-up per word instead of a scan of every abstract.
 */
import type { Paper } from './model';
import { fold, isSpaceCode } from './text';

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

/**
 * Split a query into folded words; quotes keep a phrase together (`"loss landscape"`). A
 * quote not closed yet runs to the end, so a phrase filters as it is typed.
 */
export function queryWords(query: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"?|(\S+)/g;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const w = fold((m[1] ?? m[2] ?? '').trim());
    if (w) words.push(w);
  }
  return words;
}

/**
 * Whether a UTF-16 code unit separates index tokens: white space and every ASCII
 * character but letters and digits. A query word without separators can only occur
 * inside one token, which is what lets the token dictionary answer it exactly.
 */
function isSeparator(c: number): boolean {
  if (c < 0x80) return !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a));
  return isSpaceCode(c);
}

/** The maximal runs of non-separators in `s`: `heavy-tailed` → `heavy`, `tailed`. */
function tokenPieces(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let j = 0; j <= s.length; j++) {
    if (j === s.length || isSeparator(s.charCodeAt(j))) {
      if (start >= 0) out.push(s.slice(start, j));
      start = -1;
    } else if (start < 0) start = j;
  }
  return out;
}

function grown(a: Int32Array, min: number, fill = 0): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(min, a.length * 2));
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/**
 * Distinct tokens with dense ids. A token is looked up by a hash of its range in the
 * text, so known tokens (nearly all of them) cost no string allocation.
 */
class TokenTable {
  readonly tokens: string[] = [];
  private hashes = new Int32Array(1024);
  /** Open addressing: token id + 1, 0 when empty. Kept at most half full. */
  private slots = new Int32Array(2048);

  idOf(text: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let j = start; j < end; j++) h = Math.imul(h ^ text.charCodeAt(j), 0x01000193);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const slot = this.slots[s];
      if (slot === 0) return this.add(text.slice(start, end), h, s);
      if (this.hashes[slot - 1] === h && sameRange(this.tokens[slot - 1], text, start, end)) return slot - 1;
    }
  }

  private add(token: string, hash: number, slot: number): number {
    const id = this.tokens.length;
    this.tokens.push(token);
    if (id === this.hashes.length) this.hashes = grown(this.hashes, id + 1);
    this.hashes[id] = hash;
    this.slots[slot] = id + 1;
    if (this.tokens.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let id = 0; id < this.tokens.length; id++) {
      let s = this.hashes[id] & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = id + 1;
    }
    this.slots = slots;
  }
}

function sameRange(token: string, text: string, start: number, end: number): boolean {
  if (token.length !== end - start) return false;
  for (let j = 0; j < token.length; j++) if (token.charCodeAt(j) !== text.charCodeAt(start + j)) return false;
  return true;
}

/** The tokens that contain one query piece, and how many postings they list together. */
interface TokenMatch {
  tokens: number[];
  postings: number;
}

/**
 * Which papers contain which token: every distinct token of the library once, joined by
 * `\n` into one dictionary string (searched with `indexOf`, so a piece matching inside a
 * token is found as fast as one matching its start), and per token the ascending positions
 * of the papers whose text contains it.
 */
class WordIndex {
  constructor(
    private readonly dictionary: string,
    /** Where each token starts in `dictionary`; one more entry past the end. */
    private readonly starts: Int32Array,
    /** Where each token's postings start in `postings`; one more entry past the end. */
    private readonly offsets: Int32Array,
    private readonly postings: Int32Array,
  ) {}

  /**
   * The tokens containing `piece` (which has no separators). Stops early once they list
   * more than `limit` postings: such a piece is looked for in the text instead.
   */
  tokensContaining(piece: string, limit: number): TokenMatch {
    const tokens: number[] = [];
    let postings = 0;
    for (let at = this.dictionary.indexOf(piece); at >= 0 && postings <= limit; ) {
      const t = this.tokenAt(at);
      tokens.push(t);
      postings += this.offsets[t + 1] - this.offsets[t];
      at = this.dictionary.indexOf(piece, this.starts[t + 1]);
    }
    return { tokens, postings };
  }

  /** Sets `marks[i] = stamp` for every paper position listed under one of `tokens`. */
  mark(tokens: readonly number[], marks: Int32Array, stamp: number): void {
    const { offsets, postings } = this;
    for (const t of tokens) for (let k = offsets[t], end = offsets[t + 1]; k < end; k++) marks[postings[k]] = stamp;
  }

  /** The token whose range in the dictionary holds `at`: a binary search of `starts`. */
  private tokenAt(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Collects the distinct tokens of each paper, papers in position order, then inverts them. */
class WordIndexBuilder {
  private readonly table = new TokenTable();
  /** Token ids, paper after paper, each paper's ids distinct. */
  private ids = new Int32Array(1 << 16);
  private count = 0;
  /** Where each paper's ids start in `ids`; one more entry past the end. */
  private readonly firstId: Int32Array;
  /** Per token, the last paper that listed it (so a paper lists it once). */
  private lastPaper = new Int32Array(1024).fill(-1);
  /** The inversion's progress (see `finish`). */
  private offsets: Int32Array | undefined;
  private postings: Int32Array | undefined;
  private next: Int32Array | undefined;
  private counted = false;
  private step = 0;

  constructor(papers: number) {
    this.firstId = new Int32Array(papers + 1);
  }

  /** Adds the tokens of paper `i`'s texts; call for i = 0, 1, 2, … in order. */
  add(i: number, texts: readonly string[]): void {
    for (const text of texts) {
      let start = -1;
      for (let j = 0; j <= text.length; j++) {
        if (j < text.length && !isSeparator(text.charCodeAt(j))) {
          if (start < 0) start = j;
          continue;
        }
        if (start < 0) continue;
        const id = this.table.idOf(text, start, j);
        start = -1;
        if (id >= this.lastPaper.length) this.lastPaper = grown(this.lastPaper, id + 1, -1);
        if (this.lastPaper[id] === i) continue;
        this.lastPaper[id] = i;
        if (this.count === this.ids.length) this.ids = grown(this.ids, this.count + 1);
        this.ids[this.count++] = id;
      }
    }
    this.firstId[i + 1] = this.count;
  }

  /**
   * Inverts the collected ids into postings, a slice of work at a time so no call blocks
   * long: returns the index once done, undefined while `due()` stopped it early.
   */
  finish(due: () => boolean): WordIndex | undefined {
    const tokens = this.table.tokens;
    const papers = this.firstId.length - 1;
    if (!this.offsets) {
      // Count each token's postings, then turn the counts into where each token's postings start.
      this.offsets = new Int32Array(tokens.length + 1);
      this.postings = new Int32Array(this.count);
    }
    const { offsets, postings, ids, firstId } = this;
    if (!this.counted) {
      for (; this.step < this.count; ) {
        for (const end = Math.min(this.count, this.step + FINISH_CHUNK); this.step < end; this.step++) offsets[ids[this.step] + 1]++;
        if (this.step < this.count && due()) return undefined;
      }
      for (let t = 0; t < tokens.length; t++) offsets[t + 1] += offsets[t];
      this.next = offsets.slice(0, tokens.length);
      this.counted = true;
      this.step = 0;
    }
    const next = this.next!;
    for (let i = this.step; i < papers; ) {
      for (const end = Math.min(papers, i + PREPARE_CHUNK * 2); i < end; i++) {
        for (let k = firstId[i]; k < firstId[i + 1]; k++) postings![next[ids[k]]++] = i;
      }
      this.step = i;
      if (i < papers && due()) return undefined;
    }
    const starts = new Int32Array(tokens.length + 1);
    for (let t = 0; t < tokens.length; t++) starts[t + 1] = starts[t] + tokens[t].length + 1;
    return new WordIndex(tokens.join('\n'), starts, offsets, postings!);
  }
}

/**
 * A word's postings are merged only while that costs less than reading the text of each
 * paper still in the running; beyond this many postings per paper (`e`, `a`: nearly every
 * token) the text is read instead, which for such a word stops at its first occurrence.
 */
const POSTINGS_PER_CHECK = 16;
/** Papers folded and tokenized between two looks at the clock in `prepare`. */
const PREPARE_CHUNK = 256;
/** Token ids counted between two looks at the clock while inverting them. */
const FINISH_CHUNK = 1 << 16;

export interface SearchIndexOptions {
  /**
   * Answer a query that narrows the previous one (`neur` → `neural`, `neural` → `neural
   * net`) from the previous result, as typing does. Default true; false for benchmarks.
   */
  incremental?: boolean;
}

/** A query's words and the positions (ascending) of the papers it matched. */
interface Answer {
  words: string[];
  hits: Int32Array;
}

/** `words` can only match papers that `previous` matched: each previous word lies inside a new one. */
function narrows(words: readonly string[], previous: readonly string[]): boolean {
  return previous.every((p) => words.some((w) => w.includes(p)));
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

/**
 * Papers newest first, with their folded text and a word index, so a query costs a look-up
 * per word rather than a scan of every abstract.
 *
 * The order (tens of ms at 100k papers), the folded texts and the word index are built on
 * first use, or ahead of it in slices by `prepareOrder(budgetMs)` and `prepare(budgetMs)`
 * (1–2 s of work at 100k papers with abstracts, so a host calls it in slices while idle). Results are exactly those of a substring scan: a query word without
 * separators (white space, ASCII punctuation) lies inside one token, so the tokens containing
 * it give its papers; a word with separators (`heavy-tailed`, `"loss landscape"`, `cs.lg`)
 * narrows the papers by its pieces and is then looked for in their text.
 */
export class SearchIndex {
  private readonly incremental: boolean;
  /** Puts the papers newest first, on first use or ahead of it in slices (`prepareOrder`). */
  private readonly sort: NewestFirstSort;
  private sorted: readonly Paper[] | undefined;
  /** Per position: folded short text, folded key, folded abstract (filled by `prepare`). */
  private readonly short: string[] = [];
  private readonly keys: string[] = [];
  private readonly abstracts: string[] = [];
  private builder: WordIndexBuilder | undefined;
  private words: WordIndex | undefined;
  /** Scratch for merging postings: `marks[i] === stamp` when position i is in the current set. */
  private marks: Int32Array | undefined;
  private stamp = 0;
  private lastFull: Answer | undefined;
  private lastShort: Answer | undefined;

  constructor(papers: readonly Paper[], options: SearchIndexOptions = {}) {
    this.sort = new NewestFirstSort(papers);
    this.incremental = options.incremental ?? true;
  }

  /** The papers, newest first (sorted on first use unless `prepareOrder` did it already). */
  get papers(): readonly Paper[] {
    while (!this.sorted) this.sorted = this.sort.step();
    return this.sorted;
  }

  /**
   * Sorts the papers newest first for at most about `budgetMs` (at least one step of about
   * a millisecond); returns true once they are. Calling this is optional: `papers` finishes
   * the sort itself.
   */
  prepareOrder(budgetMs = Infinity): boolean {
    const deadline = performance.now() + budgetMs;
    while (!this.sorted) {
      this.sorted = this.sort.step();
      if (!this.sorted && performance.now() >= deadline) return false;
    }
    return true;
  }

  /**
   * Sorts the papers, then builds the folded texts and the word index, for at most about
   * `budgetMs` (one more step may run over); returns true once everything is built. Queries
   * build whatever is left themselves, so calling this is optional.
   */
  prepare(budgetMs = Infinity): boolean {
    if (this.words) return true;
    const deadline = performance.now() + budgetMs;
    if (!this.prepareOrder(budgetMs)) return false;
    const n = this.papers.length;
    const builder = (this.builder ??= new WordIndexBuilder(n));
    while (this.abstracts.length < n) {
      const end = Math.min(n, this.abstracts.length + PREPARE_CHUNK);
      this.foldShort(end);
      for (let i = this.abstracts.length; i < end; i++) {
        this.abstracts.push(fold(this.papers[i].abstract));
        builder.add(i, [this.short[i], this.abstracts[i]]);
      }
      if (performance.now() >= deadline) return false;
    }
    this.words = builder.finish(() => performance.now() >= deadline);
    if (!this.words) return false;
    this.builder = undefined;
    this.marks = new Int32Array(n);
    return true;
  }

  /** Papers whose text (abstract included) contains every word of the query, newest first. */
  filter(query: string): Paper[] {
    return this.toPapers(this.answer(query, true));
  }

  /** Like `filter`, over title, key, authors, category and year only (no abstract): for completion. */
  filterShort(query: string): Paper[] {
    return this.toPapers(this.answer(query, false));
  }

  /** Positions in `papers` (ascending: newest first) of what `filterShort(query)` returns; all for no words. */
  filterShortPositions(query: string): Int32Array {
    return this.answer(query, false) ?? Int32Array.from(this.papers, (_, i) => i);
  }

  /** The folded key of `papers[position]`. */
  foldedKey(position: number): string {
    this.foldShort(position + 1);
    return this.keys[position];
  }

  private toPapers(hits: Int32Array | null): Paper[] {
    if (!hits) return [...this.papers];
    const out = new Array<Paper>(hits.length);
    for (let k = 0; k < hits.length; k++) out[k] = this.papers[hits[k]];
    return out;
  }

  /** Folds the short text and key of every position below `end`. */
  private foldShort(end: number): void {
    for (let i = this.short.length; i < end; i++) {
      const p = this.papers[i];
      this.short.push(shortSearchText(p));
      this.keys.push(fold(p.key));
    }
  }

  /** The positions matching `query` (null: no words, everything), reusing the previous answer when it can. */
  private answer(query: string, withAbstract: boolean): Int32Array | null {
    const words = queryWords(query);
    if (words.length === 0) return null;
    const last = withAbstract ? this.lastFull : this.lastShort;
    if (last && sameWords(words, last.words)) return last.hits;
    const hits = this.search(words, withAbstract, last && narrows(words, last.words) ? last.hits : null);
    if (this.incremental) {
      if (withAbstract) this.lastFull = { words, hits };
      else this.lastShort = { words, hits };
    }
    return hits;
  }

  /**
   * Positions among `within` (null: all) whose text contains every word. Pieces are taken
   * rarest first, each merged from its postings while that is cheap; the words it could not
   * settle exactly are then looked for in the text of what is left.
   */
  private search(words: readonly string[], withAbstract: boolean, within: Int32Array | null): Int32Array {
    if (withAbstract) this.prepare();
    else this.foldShort(this.papers.length);
    const index = this.words;
    const limit = (within ? within.length : this.papers.length) * POSTINGS_PER_CHECK;
    const toCheck = new Set<string>();
    const terms: (TokenMatch & { word: string })[] = [];
    for (const word of words) {
      const pieces = tokenPieces(word);
      // Postings cover the abstract too, so without it they only narrow; the text decides.
      if (!withAbstract || !index || pieces.length !== 1 || pieces[0] !== word) toCheck.add(word);
      if (index) for (const piece of pieces) terms.push({ word, ...index.tokensContaining(piece, limit) });
    }
    terms.sort((a, b) => a.postings - b.postings);
    let hits = within;
    for (const term of terms) {
      if (hits?.length === 0) return hits;
      if (term.postings > (hits ? hits.length : this.papers.length) * POSTINGS_PER_CHECK) toCheck.add(term.word);
      else hits = this.intersect(hits, term.tokens);
    }
    return toCheck.size > 0 || !hits ? this.check(hits, [...toCheck], withAbstract) : hits;
  }

  /** The positions among `within` (null: all) listed under one of `tokens`. */
  private intersect(within: Int32Array | null, tokens: readonly number[]): Int32Array {
    const marks = this.marks!;
    const stamp = ++this.stamp;
    this.words!.mark(tokens, marks, stamp);
    const out = new Int32Array(within ? within.length : this.papers.length);
    let n = 0;
    if (within) {
      for (let k = 0; k < within.length; k++) if (marks[within[k]] === stamp) out[n++] = within[k];
    } else {
      for (let i = 0; i < marks.length; i++) if (marks[i] === stamp) out[n++] = i;
    }
    return out.slice(0, n);
  }

  /** The positions among `within` (null: all) whose folded text contains every one of `words`. */
  private check(within: Int32Array | null, words: readonly string[], withAbstract: boolean): Int32Array {
    const count = within ? within.length : this.papers.length;
    const out = new Int32Array(count);
    let n = 0;
    for (let k = 0; k < count; k++) {
      const i = within ? within[k] : k;
      const short = this.short[i];
      let all = true;
      for (const w of words) {
        if (!short.includes(w) && !(withAbstract && this.abstracts[i].includes(w))) {
          all = false;
          break;
        }
      }
      if (all) out[n++] = i;
    }
    return out.slice(0, n);
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

/**
 * `papers` sorted by `compareByDateDesc` (a stable sort: equal papers keep their order).
 * Comparison sorts spend most of their time comparing titles (most papers of a library share
 * their date with many others: a year and nothing more), so instead papers are put into
 * buckets by date, newest first, and each bucket is ordered by a radix sort of its titles,
 * which reads each title's distinguishing prefix about once rather than comparing whole
 * titles n log n times: about twice as fast at 100k papers. `NewestFirstSort` does the same
 * a slice at a time.
 */
export function sortNewestFirst(papers: readonly Paper[]): Paper[] {
  const sort = new NewestFirstSort(papers);
  for (;;) {
    const sorted = sort.step();
    if (sorted) return sorted;
  }
}

/** Title positions read per `NewestFirstSort.step` (about a millisecond of work). */
const SORT_STEP = 1 << 14;

/** Sorts papers as `sortNewestFirst` does, in steps of bounded work, so a host can spread it over its event loop. */
export class NewestFirstSort {
  private titles: string[] | undefined;
  private order: Int32Array | undefined;
  /** Runs of `order` still to sort by title: [from, to, depth] triples. */
  private readonly runs: number[] = [];
  private sorted: Paper[] | undefined;

  constructor(private readonly papers: readonly Paper[]) {}

  /** Does about SORT_STEP positions' worth of work; returns the sorted papers once done. */
  step(): Paper[] | undefined {
    if (this.sorted) return this.sorted;
    if (!this.order) {
      if (!this.bucket()) return (this.sorted = [...this.papers].sort(compareByDateDesc));
      return undefined;
    }
    if (sortRuns(this.order, this.titles!, this.runs, SORT_STEP)) return undefined;
    const { papers, order } = this;
    const out = new Array<Paper>(order.length);
    for (let k = 0; k < order.length; k++) out[k] = papers[order[k]];
    this.titles = undefined;
    this.order = undefined;
    return (this.sorted = out);
  }

  /**
   * Positions grouped by date, newest first, in input order within a date (a counting sort),
   * each date's run queued for sorting by title. False when a year is too large for the
   * date to be one exact number (then a comparison sort does it all).
   */
  private bucket(): boolean {
    const n = this.papers.length;
    const dates = new Float64Array(n);
    const titles = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const p = this.papers[i];
      // Exact while the year is far from 2^44 (month < 16, day < 32 fit below 512).
      if (p.year !== null && Math.abs(p.year) >= 2 ** 40) return false;
      dates[i] = (p.year ?? -1e9) * 512 + (p.month ?? 0) * 32 + (p.day ?? 0);
      titles[i] = p.title;
    }
    const distinct = Float64Array.from(new Set(dates)).sort().reverse();
    const rank = new Map<number, number>();
    for (let r = 0; r < distinct.length; r++) rank.set(distinct[r], r);
    const ranks = new Int32Array(n);
    const starts = new Int32Array(distinct.length + 1);
    for (let i = 0; i < n; i++) {
      ranks[i] = rank.get(dates[i])!;
      starts[ranks[i] + 1]++;
    }
    for (let r = 0; r < distinct.length; r++) starts[r + 1] += starts[r];
    const next = starts.slice(0, distinct.length);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[next[ranks[i]]++] = i;
    for (let r = distinct.length - 1; r >= 0; r--) if (starts[r + 1] - starts[r] > 1) this.runs.push(starts[r], starts[r + 1], 0);
    this.titles = titles;
    this.order = order;
    return true;
  }
}

/** Below this many positions a run is finished by insertion sort. */
const INSERTION_SORT_MAX = 8;

/** The code unit of `s` at `depth`, or −1 past its end (so a prefix comes first, as with `<`). */
function unitAt(s: string, depth: number): number {
  return depth < s.length ? s.charCodeAt(depth) : -1;
}

/**
 * Sorts the queued `runs` of `order` (positions in `titles`, each run's titles equal in
 * their first `depth` code units) by title in code-unit order, as `<` compares strings,
 * equal titles by position: a three-way radix quicksort (Bentley and Sedgewick) on one code
 * unit at a time. Stops once about `work` positions were read; returns whether runs remain.
 */
function sortRuns(order: Int32Array, titles: readonly string[], runs: number[], work: number): boolean {
  while (runs.length > 0 && work > 0) {
    const depth = runs.pop()!;
    const hi = runs.pop()!;
    const lo = runs.pop()!;
    work -= hi - lo;
    if (hi - lo <= INSERTION_SORT_MAX) {
      insertionSortByTitle(order, titles, lo, hi);
      continue;
    }
    const pivot = medianOf3(unitAt(titles[order[lo]], depth), unitAt(titles[order[(lo + hi) >>> 1]], depth), unitAt(titles[order[hi - 1]], depth));
    // Three-way partition: [lo, lt) below the pivot, [lt, gt] equal to it, (gt, hi) above.
    let lt = lo;
    let gt = hi - 1;
    for (let i = lo; i <= gt; ) {
      const unit = unitAt(titles[order[i]], depth);
      if (unit < pivot) swap(order, lt++, i++);
      else if (unit > pivot) swap(order, i, gt--);
      else i++;
    }
    if (hi - gt > 2) runs.push(gt + 1, hi, depth);
    if (lt - lo > 1) runs.push(lo, lt, depth);
    // Titles that all ended here are equal: by position. Others share one more code unit.
    if (pivot < 0) order.subarray(lt, gt + 1).sort();
    else if (gt + 1 - lt > 1) runs.push(lt, gt + 1, depth + 1);
  }
  return runs.length > 0;
}

function insertionSortByTitle(order: Int32Array, titles: readonly string[], lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const pos = order[i];
    const title = titles[pos];
    let j = i - 1;
    for (; j >= lo; j--) {
      const other = titles[order[j]];
      if (other < title || (other === title && order[j] < pos)) break;
      order[j + 1] = order[j];
    }
    order[j + 1] = pos;
  }
}

function medianOf3(a: number, b: number, c: number): number {
  return a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
}

function swap(a: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Appends `p` to the group named `key`, making the group on first use. */
function add(groups: Map<string, Paper[]>, key: string, p: Paper): void {
  const g = groups.get(key);
  if (g) g.push(p);
  else groups.set(key, [p]);
}

/** Papers put into groups between two yields of `groupSteps`. */
const GROUP_STEP = 2048;

/** One pass, yielding every GROUP_STEP papers: `addTo` puts each paper into its groups. */
function* collect(papers: readonly Paper[], addTo: (groups: Map<string, Paper[]>, p: Paper) => void): Generator<void, Map<string, Paper[]>> {
  const groups = new Map<string, Paper[]>();
  for (let i = 0; i < papers.length; i += GROUP_STEP) {
    for (let k = i, end = Math.min(papers.length, i + GROUP_STEP); k < end; k++) addTo(groups, papers[k]);
    yield;
  }
  return groups;
}

/**
 * A paper's distinct author names (`Family, Given`), or `''` without authors. Kept per
 * paper object: making 200k name strings (and hashing them) is most of a by-author grouping
 * at 100k papers, and the tree groups the same papers again on every filter and refresh.
 */
const authorNamesOf = new WeakMap<Paper, readonly string[]>();
function authorNames(p: Paper): readonly string[] {
  let names = authorNamesOf.get(p);
  if (!names) {
    const list: string[] = [];
    for (const a of p.authors) {
      const name = a.given ? `${a.family}, ${a.given}` : a.family;
      if (!list.includes(name)) list.push(name);
    }
    names = list.length ? list : [''];
    authorNamesOf.set(p, names);
  }
  return names;
}

/** Each paper under each of its author names. */
function addByAuthors(groups: Map<string, Paper[]>, p: Paper): void {
  for (const name of authorNames(p)) add(groups, name, p);
}

/** Each paper under its file and every file it is also in. */
function addBySources(groups: Map<string, Paper[]>, p: Paper): void {
  add(groups, p.source.file, p);
  const also = p.extra?.alsoIn;
  if (!also) return;
  for (let k = 0; k < also.length; k++) {
    const file = also[k].file;
    if (file !== p.source.file && !also.slice(0, k).some((s) => s.file === file)) add(groups, file, p);
  }
}

/**
 * Group papers for the tree. Papers inside a group are newest first; pass
 * `sorted: true` for input already in that order (what `SearchIndex` gives) to skip the
 * sort. A paper appears under each of its authors when grouping by author.
 */
export function groupPapers(papers: readonly Paper[], by: GroupBy, opts: { sorted?: boolean } = {}): PaperGroup[] {
  const steps = groupSteps(papers, by, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `groupPapers` as steps of bounded work (a yield every couple of thousand papers), so a
 * host can spread grouping 100k papers over its event loop; the generator returns the groups.
 */
export function* groupSteps(papers: readonly Paper[], by: GroupBy, opts: { sorted?: boolean } = {}): Generator<void, PaperGroup[]> {
  let sorted: readonly Paper[] | undefined = opts.sorted ? papers : undefined;
  if (!sorted) {
    const sort = new NewestFirstSort(papers);
    while (!(sorted = sort.step())) yield;
  }
  switch (by) {
    case 'none':
      return [{ id: 'all', label: 'All papers', papers: [...sorted] }];
    case 'year': {
      const g = yield* collect(sorted, (groups, p) => add(groups, p.year === null ? '' : String(p.year), p));
      return [...g.entries()]
        .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : Number(b) - Number(a)))
        .map(([y, ps]) => ({ id: `year:${y}`, label: y || 'No year', papers: ps }));
    }
    case 'category': {
      const g = yield* collect(sorted, (groups, p) => add(groups, p.category?.code ?? '', p));
      return [...g.entries()]
        .map(([code, ps]) => {
          // The oldest paper's record of the category names the group.
          const c = ps[ps.length - 1].category;
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
      const g = yield* collect(sorted, addByAuthors);
      // Fold each name once, not in the comparator: thousands of authors at 100k papers.
      const named: { name: string; folded: string; ps: Paper[] }[] = [];
      for (const [name, ps] of g) {
        named.push({ name, folded: fold(name), ps });
        if (named.length % GROUP_STEP === 0) yield;
      }
      return named
        .sort((a, b) => (a.name === '' ? 1 : b.name === '' ? -1 : a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0))
        .map(({ name, ps }) => ({ id: `author:${name}`, label: name || 'No author', papers: ps }));
    }
    case 'code': {
      const g = yield* collect(sorted, (groups, p) => add(groups, p.hasCode ? 'yes' : 'no', p));
      return (['yes', 'no'] as const)
        .filter((k) => g.has(k))
        .map((k) => ({ id: `code:${k}`, label: k === 'yes' ? 'With code' : 'Without code', papers: g.get(k)! }));
    }
    case 'source': {
      const g = yield* collect(sorted, addBySources);
      return [...g.entries()]
        .sort(([a], [b]) => baseName(a).localeCompare(baseName(b)) || a.localeCompare(b))
        .map(([file, ps]) => ({ id: `source:${file}`, label: baseName(file), description: file, papers: ps }));
    }
  }
}
