// Child process: the core operations the editor runs on a 100k-paper library, timed the way
// the extension calls them (src/host/library.ts, tree.ts, editor.ts). The library is
// bib-50k (BibTeX, read first as a user's file is) merged with listing-50k and listing-10k:
// about 100k distinct papers after de-duplication.
// Started by run.js through fork() with --expose-gc; sends { type: 'done', result }.
'use strict';
const fs = require('fs');
const path = require('path');
const paths = require('./paths');
const { core } = require('./core');
const { median } = require('./stats');

/** Queries a user types into the filter box: words, a phrase, an author, a year, one letter, no match. */
const QUERIES = ['neural', 'loss landscape', '"heavy-tailed"', 'knuth', 'zhou 2024', 'typesetting fonts', 'lamport latex', 'e', 'xyzzyq'];
/** What follows `\cite{` when completion opens: nothing yet, a key's start, words. */
const PREFIXES = ['', 'k', 'knu', 'knuth', 'Knuth:19', 'zhou2024', 'neural', 'tex font'];
/** Typed into the filter box or after `\cite{` one character at a time. */
const TYPED_QUERIES = ['neural network', 'heavy-tailed'];
const TYPED_PREFIXES = ['knuth', 'zhou2024'];
/** The host's cap (src/host/editor.ts, COMPLETION_LIMIT). */
const COMPLETION_LIMIT = 100;

const gc = () => global.gc?.();

/**
 * Runs `fn` once to warm up, then until `budgetMs` is spent (at least `min`, at most
 * `max` runs); returns the median and the samples.
 */
function time(fn, { budgetMs = 3000, min = 3, max = 15 } = {}) {
  let t = performance.now();
  let value = fn();
  const first = performance.now() - t;
  const runs = Math.max(min, Math.min(max, Math.floor(budgetMs / Math.max(first, 1e-3))));
  const samples = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    value = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), first, samples, value };
}

/** Times each `index.prepare(sliceMs)` call until the index is built (none for an index without `prepare`). */
function prepareInSlices(index, sliceMs) {
  const slices = [];
  for (let done = !index.prepare; !done; ) {
    const t = performance.now();
    done = index.prepare(sliceMs);
    slices.push(performance.now() - t);
  }
  return slices;
}

function readDataset(manifest, id) {
  const d = manifest.datasets.find((x) => x.id === id);
  if (!d) throw new Error(`data set ${id} missing from bench/data/manifest.json`);
  return { file: d.files[0], text: fs.readFileSync(d.files[0], 'utf8') };
}

function main() {
  const { parseBibtex } = core('bibtex/parse');
  const { parseListing } = core('listing');
  const { mergeSources } = core('library');
  const { SearchIndex, groupPapers, GROUP_BY_VALUES } = core('search');
  const { rankForCompletion } = core('rank');
  const manifest = JSON.parse(fs.readFileSync(path.join(paths.dataDir, 'manifest.json'), 'utf8'));

  gc();
  const heapBase = process.memoryUsage().heapUsed;
  const read = (id, kind) => {
    const { file, text } = readDataset(manifest, id);
    const result = kind === 'bibtex' ? parseBibtex(text, { file }) : parseListing(text, { file, captured: manifest.captured });
    return { file, kind, result };
  };
  const sources = [read('bib-50k', 'bibtex'), read('listing-50k', 'listing'), read('listing-10k', 'listing')];

  const merge = time(() => mergeSources(sources), { min: 3, max: 7 });
  const merged = merge.value;
  // The whole build: the constructor (the sort) and everything a first query would otherwise build.
  const prepared = (options) => {
    const ix = new SearchIndex(merged.papers, options);
    ix.prepare?.();
    return ix;
  };
  const sortMs = time(() => new SearchIndex(merged.papers), { min: 3, max: 7 }).ms;
  const buildMs = time(() => prepared(), { min: 3, max: 7 }).ms;
  // The build as a host runs it while idle: slices of about 10 ms; the longest one blocks the thread.
  const slices = prepareInSlices(new SearchIndex(merged.papers), 10);
  gc();
  // The index keeps its postings in typed arrays, whose memory V8 counts outside the heap.
  const held = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const heapBeforeIndex = held();
  // Every query below runs on this index: `incremental: false`, so each run searches afresh
  // (a repeated query would otherwise be answered from the previous result).
  const index = prepared({ incremental: false });
  gc();
  const indexHeap = held() - heapBeforeIndex;
  // What the host holds: every source's records, the merged library and the index.
  const retainedHeap = process.memoryUsage().heapUsed - heapBase;

  const filter = QUERIES.map((query) => {
    const r = time(() => index.filter(query));
    return { query, ms: r.ms, matches: r.value.length };
  });
  const completion = PREFIXES.map((prefix) => {
    const r = time(() => rankForCompletion(index, prefix, COMPLETION_LIMIT));
    return { prefix, ms: r.ms, returned: r.value.papers.length, complete: r.value.complete };
  });
  // Typing, one keystroke at a time, on an index that reuses the previous answer (the default):
  // the slowest keystroke of each sequence (median over repetitions; a sequence's first
  // keystroke never narrows the previous sequence's last query, so each starts afresh).
  const typingIndex = prepared();
  const typing = (text, run) => {
    const worst = [];
    for (let rep = 0; rep < 5; rep++) {
      let max = 0;
      for (let n = 1; n <= text.length; n++) {
        const t = performance.now();
        run(typingIndex, text.slice(0, n));
        max = Math.max(max, performance.now() - t);
      }
      worst.push(max);
    }
    return { text, slowestKeystrokeMs: median(worst) };
  };
  const filterTyping = TYPED_QUERIES.map((q) => typing(q, (ix, s) => ix.filter(s)));
  const completionTyping = TYPED_PREFIXES.map((q) => typing(q, (ix, s) => rankForCompletion(ix, s, COMPLETION_LIMIT)));
  // As the tree rebuilds (src/host/tree.ts): the unfiltered library, copied, then grouped.
  const grouping = GROUP_BY_VALUES.map((by) => {
    const r = time(() => groupPapers([...merged.papers], by), { min: 3, max: 9 });
    const sizes = r.value.map((g) => g.papers.length);
    return { by, ms: r.ms, groups: r.value.length, largestGroup: Math.max(...sizes) };
  });
  // The same on input already newest first (the index's order), which groupPapers sorts in linear time.
  const groupingSorted = GROUP_BY_VALUES.map((by) => ({ by, ms: time(() => groupPapers(index.papers, by), { min: 3, max: 9 }).ms }));
  // Grouping what a typical filter leaves (the tree after the user typed a query).
  const filteredGrouping = time(() => groupPapers(index.filter('neural'), 'author'));

  process.send?.({
    type: 'done',
    result: {
      papers: merged.papers.length,
      sourceRecords: sources.map((s) => ({ kind: s.kind, file: path.basename(s.file), records: s.result.papers.length })),
      mergeMs: merge.ms,
      indexBuildMs: buildMs,
      indexSortMs: sortMs,
      indexSlices: slices.length,
      indexLongestSliceMs: slices.length ? Math.max(...slices) : null,
      indexHeap,
      indexHeapPer10k: indexHeap / (merged.papers.length / 10_000),
      retainedHeap,
      retainedHeapPer10k: retainedHeap / (merged.papers.length / 10_000),
      filter,
      completion,
      grouping,
      groupingSorted,
      filteredAuthorGroupingMs: filteredGrouping.ms,
      filterTyping,
      completionTyping,
    },
  });
}

try {
  main();
} catch (e) {
  console.error(e?.stack ?? e);
  process.exit(1);
}
