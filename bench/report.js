// The terminal report and the check against the targets of issue #6.
'use strict';
const { formatMs, formatMB, formatCount } = require('./stats');

/** Pads cells into aligned columns; numbers (and `–`) are right-aligned. */
function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const numeric = (s) => /^[\d.,–×%]+( ?(ms|s|MB|MB\/s|×))?$/.test(String(s));
  const line = (r) =>
    r.map((c, i) => (numeric(c) && i > 0 ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function find(results, parser, dataset) {
  return results.results.find((r) => r.parser === parser && r.dataset === dataset);
}

/** What the row's status means for a reader, in a few words. */
function note(r) {
  if (r.status !== 'ok') return r.message ? `${r.status}: ${r.message}` : r.status;
  const parts = [];
  if (r.coldOnly) parts.push('slower than the budget: first run only');
  if (r.errors.length) {
    const first = r.errors[0];
    parts.push(`failed on ${r.errors.length} file(s), e.g. ${first.file}: ${first.message.slice(0, 70)}`);
  }
  return parts.join('; ');
}

function readerRows(results, dataset) {
  const floor = find(results, 'regex-floor', dataset.id);
  return results.results
    .filter((r) => r.dataset === dataset.id)
    .map((r) => {
      const ok = r.status === 'ok';
      const vsFloor = ok && floor?.status === 'ok' ? `${(r.medianMs / floor.medianMs).toFixed(1)}×` : '–';
      return [
        r.parser,
        ok ? formatMs(r.medianMs) : r.status,
        ok ? formatMs(r.medianCpuMs) : '–',
        ok ? String(r.samples.length) : '–',
        ok ? (r.bytes / 1e6 / (r.medianMs / 1000)).toFixed(1) : '–',
        vsFloor,
        ok ? formatMB(r.peakRss) : '–',
        ok ? (r.peakRss > r.loadPeakRss ? formatMB(r.peakRss - r.baseRss) : 'reading') : '–',
        ok ? formatMB(r.retainedHeap) : '–',
        ok ? `${formatCount(r.count)} / ${formatCount(r.present)}` : `– / ${formatCount(r.present)}`,
        note(r),
      ];
    });
}

/** The targets of issue #6 that this benchmark can measure, each with its verdict. */
function checkTargets(results) {
  const targets = [];
  const add = (target, measured, pass) => targets.push({ target, measured, pass });
  const big = find(results, 'ours-bibtex', 'texlive-x10');
  const floor = find(results, 'regex-floor', 'texlive-x10');
  if (big) {
    const ok = big.status === 'ok';
    add('BibTeX: the 106k-entry file read in under 1 s', ok ? formatMs(big.medianMs) : big.status, ok && big.medianMs < 1000);
    add('BibTeX: no entry lost (106k file)', ok ? `${formatCount(big.count)} of ${formatCount(big.present)}` : big.status, ok && big.count >= big.present);
    if (floor?.status === 'ok') {
      const ratio = ok ? big.medianMs / floor.medianMs : Infinity;
      add('BibTeX: within 3× of the regex floor (106k file)', ok ? `${ratio.toFixed(1)}× (floor ${formatMs(floor.medianMs)})` : big.status, ratio <= 3);
    }
    add(
      'BibTeX: peak memory under 500 MB (106k file, whole process)',
      ok ? `${formatMB(big.peakRss)} (text loaded: ${formatMB(big.baseRss)})` : big.status,
      ok && big.peakRss < 500e6,
    );
  }
  const lost = results.results.filter((r) => r.parser === 'ours-bibtex' && r.status === 'ok' && r.count < r.present);
  if (results.results.some((r) => r.parser === 'ours-bibtex')) {
    add(
      'BibTeX: no entry lost in any data set',
      lost.length ? lost.map((r) => `${r.dataset}: ${formatCount(r.count)} of ${formatCount(r.present)}`).join('; ') : 'all returned',
      lost.length === 0,
    );
  }
  const listing = find(results, 'ours-listing', 'listing-100k');
  if (listing) {
    const ok = listing.status === 'ok';
    add('Listing: 100k records in under 0.5 s', ok ? formatMs(listing.medianMs) : listing.status, ok && listing.medianMs < 500);
  }
  const core = results.core;
  if (core?.status === 'ok') {
    const worst = (xs) => xs.reduce((a, b) => (b.ms > a.ms ? b : a));
    const f = worst(core.filter);
    add(`Filter under 20 ms a query at ${formatCount(core.papers)} papers (slowest query)`, `${formatMs(f.ms)} ("${f.query}")`, f.ms < 20);
    const c = worst(core.completion);
    add('Completion under 30 ms (slowest prefix)', `${formatMs(c.ms)} ("${c.prefix}")`, c.ms < 30);
    const g = worst(core.grouping);
    // The tree computes every group's children in one groupPapers call on each rebuild (filter,
    // grouping switch, library change); expanding a group then only slices its result.
    add('groupPapers under 10 ms, as the tree rebuilds (slowest grouping)', `${formatMs(g.ms)} (${g.by})`, g.ms < 10);
  }
  return targets;
}

function printCore(core) {
  if (!core) return;
  console.log(`\nCore operations (${core.status === 'ok' ? `${formatCount(core.papers)} papers` : core.status})`);
  if (core.status !== 'ok') {
    console.log(`  ${core.message ?? ''}`);
    return;
  }
  console.log(
    `  sources: ${core.sourceRecords.map((s) => `${s.file} (${s.kind}) ${formatCount(s.records)}`).join(' + ')}; ` +
      `mergeSources ${formatMs(core.mergeMs)}; SearchIndex build ${formatMs(core.indexBuildMs)}; ` +
      `heap held ${formatMB(core.retainedHeap)} (${formatMB(core.retainedHeapPer10k)} per 10k papers)`,
  );
  console.log(table(['filter query', 'median', 'matches'], core.filter.map((q) => [`"${q.query}"`, formatMs(q.ms), formatCount(q.matches)])));
  console.log('');
  console.log(
    table(
      ['completion prefix', 'median', 'returned', 'complete'],
      core.completion.map((c) => [`"${c.prefix}"`, formatMs(c.ms), String(c.returned), String(c.complete)]),
    ),
  );
  console.log('');
  console.log(
    table(
      ['groupPapers (tree rebuild)', 'median', 'on sorted input', 'groups', 'largest group'],
      core.grouping.map((g) => [
        g.by,
        formatMs(g.ms),
        formatMs(core.groupingSorted.find((s) => s.by === g.by)?.ms),
        formatCount(g.groups),
        formatCount(g.largestGroup),
      ]),
    ),
  );
  console.log(`  grouping by author after filtering "neural": ${formatMs(core.filteredAuthorGroupingMs)}`);
}

function printReport(results) {
  const m = results.machine;
  console.log(`\nNode ${m.node}, ${m.cpus} CPUs (${m.cpuModel}), load average ${m.loadavg.map((x) => x.toFixed(2)).join(' ')}`);
  for (const dataset of results.datasets) {
    const rows = readerRows(results, dataset);
    if (!rows.length) continue;
    console.log(`\n${dataset.id}: ${dataset.label} — ${formatMB(dataset.bytes)}, ${formatCount(dataset.present)} records present`);
    console.log(table(['reader', 'median', 'CPU', 'runs', 'MB/s', 'vs regex', 'peak RSS', 'Δ RSS', 'result heap', 'returned / present', 'notes'], rows));
  }
  printCore(results.core);
  if (results.targets.length) {
    console.log('\nTargets (issue #6)');
    console.log(table(['target', 'measured', 'verdict'], results.targets.map((t) => [t.target, t.measured, t.pass ? 'met' : 'MISSED'])));
  }
}

module.exports = { printReport, checkTargets };
