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
  const build = time(() => new SearchIndex(merged.papers), { min: 3, max: 7 });
  const index = build.value;
  gc();
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
      indexBuildMs: build.ms,
      retainedHeap,
      retainedHeapPer10k: retainedHeap / (merged.papers.length / 10_000),
      filter,
      completion,
      grouping,
      groupingSorted,
      filteredAuthorGroupingMs: filteredGrouping.ms,
    },
  });
}

try {
  main();
} catch (e) {
  console.error(e?.stack ?? e);
  process.exit(1);
}
