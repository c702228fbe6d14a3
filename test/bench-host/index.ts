/**
 * The in-extension half of `npm run bench`: loaded by the real extension host (like the
 * in-host test suite) in a workspace whose settings point `paperShelf.sources` at a big
 * bibliography. Measures what a user waits for and writes it as JSON to the file named
 * by PAPER_SHELF_BENCH_OUT. Driven by bench/host.js; not part of `npm test`.
 */
import * as fs from 'fs';
import * as inspector from 'inspector';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import * as vscode from 'vscode';
import type { PaperShelfApi } from '../../src/extension';
import type { GroupBy } from '../../src/core/search';
import type { Node } from '../../src/host/tree';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Full reloads measured (the machine is shared: one alone says little). */
const RELOADS = 3;
/** Rounds through every grouping. */
const SWITCH_ROUNDS = 3;
/** After the tree announces a change, how long VS Code gets to ask for the rows it shows. */
const SETTLE_MS = 300;

async function time<T>(fn: () => T | Thenable<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await fn();
  return [performance.now() - t0, v];
}

async function repeat(n: number, fn: () => unknown | Thenable<unknown>): Promise<number> {
  const ms: number[] = [];
  await fn(); // warm-up
  for (let i = 0; i < n; i++) ms.push((await time(fn))[0]);
  return median(ms);
}

/** Runs `fn` with the event loop watched: its wall time and the longest the loop was blocked meanwhile (10 ms resolution). */
async function watched(fn: () => Thenable<unknown> | unknown): Promise<{ ms: number; longestBlockMs: number }> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const [ms] = await time(fn);
  lag.disable();
  return { ms, longestBlockMs: lag.max / 1e6 };
}

/**
 * The heap in use after a full garbage collection, in MB (the extension host runs without
 * --expose-gc; V8 lets a flag be set at run time). Undefined when that fails.
 */
function liveHeapMB(): number | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
    return process.memoryUsage().heapUsed / 1e6;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The count a row shows: the leading number of its description (`5`, `5 · cs.LG`, `200 papers`, `12 groups`). */
function rowCount(api: PaperShelfApi, node: Node): number {
  return Number.parseInt(String(api.tree.getTreeItem(node).description ?? '0').replace(/,/g, ''), 10) || 0;
}

/** A CPU profile of `fn` when PAPER_SHELF_BENCH_PROFILE names a folder: `<folder>/<name>.cpuprofile`. */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.PAPER_SHELF_BENCH_PROFILE;
  if (!dir) return fn();
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * Switches the grouping through the setting, as Group By… does, and waits for the tree to
 * announce its new rows and for VS Code to read the ones it shows.
 */
async function switchGrouping(api: PaperShelfApi, g: GroupBy): Promise<{ ms: number; longestBlockMs: number }> {
  return watched(async () => {
    const changed = new Promise<void>((resolve) => {
      const sub = api.tree.onDidChangeTreeData(() => {
        sub.dispose();
        resolve();
      });
    });
    await vscode.workspace.getConfiguration('paperShelf').update('groupBy', g, vscode.ConfigurationTarget.Global);
    await changed;
    await sleep(SETTLE_MS);
  });
}

/**
 * Expands the row with the largest count, then its largest child, and so on down to paper
 * rows, as a user opening the biggest group would: each level's first `getChildren` (ms),
 * the rows it returned, and the median of repeated calls.
 */
async function expandLargest(api: PaperShelfApi): Promise<{ label: string; count: number; firstMs: number; repeatMs: number; rows: number }[]> {
  const levels = [];
  let rows = await api.tree.rootNodes();
  for (let depth = 0; depth < 8 && rows.length && rows[0].kind !== 'paper'; depth++) {
    let node: Node = rows[0];
    for (const r of rows) if (rowCount(api, r) > rowCount(api, node)) node = r;
    const [firstMs, children] = await time(() => api.tree.getChildren(node));
    const repeatMs = await repeat(5, () => api.tree.getChildren(node));
    levels.push({ label: String(api.tree.getTreeItem(node).label), count: rowCount(api, node), firstMs, repeatMs, rows: children.length });
    rows = children;
  }
  return levels;
}

export async function run(): Promise<void> {
  const out = process.env.PAPER_SHELF_BENCH_OUT;
  if (!out) throw new Error('PAPER_SHELF_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension<PaperShelfApi>('paper-shelf.paper-shelf');
  if (!ext) throw new Error('paper-shelf.paper-shelf is not installed');
  const api = await ext.activate();
  await api.ready;
  // Show the Papers view, so VS Code asks for its rows as a user's window would.
  await vscode.commands.executeCommand('paperShelf.papers.focus');
  const r: Record<string, unknown> = { papers: api.library.snapshot.papers.length, activationMs: api.activationMs };
  const s = api.library.stats;
  r.firstLoad = { firstRowsMs: s.firstPapersAt - s.loadStartedAt, loadedMs: s.loadedAt - s.loadStartedAt, longestBlockMs: s.longestBlockMs };

  // Full reloads with the event loop watched: how long is the extension host busy at a stretch?
  const reloads = [];
  const heapBefore = process.memoryUsage().heapUsed;
  // As after each reload below: the search index finishes preparing first.
  await sleep(3000);
  const liveBeforeMB = liveHeapMB();
  for (let i = 0; i < RELOADS; i++) {
    const w = await profiled(`reload-${i + 1}`, () => watched(() => api.library.reload()));
    // Let the search index finish preparing in the background, as it would while the user reads.
    const settled = await watched(() => sleep(3000));
    reloads.push({ ms: w.ms, maxEventLoopBlockMs: w.longestBlockMs, libraryLongestBlockMs: s.longestBlockMs, afterwardsLongestBlockMs: settled.longestBlockMs });
  }
  r.reload = {
    ms: median(reloads.map((x) => x.ms)),
    maxEventLoopBlockMs: median(reloads.map((x) => x.maxEventLoopBlockMs)),
    libraryLongestBlockMs: median(reloads.map((x) => x.libraryLongestBlockMs)),
    runs: reloads,
  };
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const liveAfterMB = liveHeapMB();
  r.memory = {
    heapUsedMB: heapAfter / 1e6,
    heapDeltaOfReloadsMB: (heapAfter - heapBefore) / 1e6,
    /** After full collections: what the library holds, and whether reloads leave anything behind. */
    liveHeapBeforeReloadsMB: liveBeforeMB,
    liveHeapAfterReloadsMB: liveAfterMB,
    rssMB: process.memoryUsage().rss / 1e6,
  };

  const groupings: GroupBy[] = ['year', 'category', 'author', 'code', 'source', 'none'];
  const switches = new Map<GroupBy, { ms: number; longestBlockMs: number }[]>(groupings.map((g) => [g, []]));
  const expands = new Map<GroupBy, Awaited<ReturnType<typeof expandLargest>>[]>(groupings.map((g) => [g, []]));
  for (let round = 0; round < SWITCH_ROUNDS; round++) {
    for (const g of groupings) {
      switches.get(g)!.push(await profiled(`switch-${g}-${round + 1}`, () => switchGrouping(api, g)));
      expands.get(g)!.push(await expandLargest(api));
    }
  }
  const grouping: Record<string, unknown> = {};
  for (const g of groupings) {
    await vscode.workspace.getConfiguration('paperShelf').update('groupBy', g, vscode.ConfigurationTarget.Global);
    const rebuildMs = await repeat(3, () => api.tree.rebuild());
    const roots = await api.tree.rootNodes();
    const sw = switches.get(g)!;
    const ex = expands.get(g)!;
    grouping[g] = {
      switchMs: median(sw.map((x) => x.ms)),
      switchLongestBlockMs: median(sw.map((x) => x.longestBlockMs)),
      switchLongestBlockRuns: sw.map((x) => Math.round(x.longestBlockMs)),
      rebuildMs,
      topLevelRows: roots.length,
      // Per level from the top: the largest row's first expansion (median over the rounds) and repeated ones.
      expandLargest: ex[0].map((level, d) => ({
        label: level.label,
        count: level.count,
        rows: level.rows,
        firstMs: median(ex.map((e) => e[d]?.firstMs ?? NaN)),
        repeatMs: median(ex.map((e) => e[d]?.repeatMs ?? NaN)),
      })),
    };
  }
  await vscode.workspace.getConfiguration('paperShelf').update('groupBy', undefined, vscode.ConfigurationTarget.Global);
  r.grouping = grouping;

  const queries = ['knuth', 'typesetting fonts', 'tex', 'metafont 1986', 'zzzz-no-match'];
  const filter: Record<string, unknown> = {};
  for (const q of queries) {
    filter[q] = {
      commandMs: await repeat(5, () => vscode.commands.executeCommand('paperShelf.filter', q)),
      indexMs: await repeat(5, () => api.library.snapshot.index.filter(q)),
      hits: api.library.snapshot.index.filter(q).length,
    };
  }
  await vscode.commands.executeCommand('paperShelf.clearFilter');
  r.filter = filter;

  const dir = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const key = api.library.snapshot.papers[Math.floor(api.library.snapshot.papers.length / 2)].key;
  const tex = path.join(dir, 'bench.tex');
  fs.writeFileSync(tex, `\\cite{}\n\\cite{knu}\n\\cite{${key}}\nplain text\n`);
  const doc = await vscode.workspace.openTextDocument(tex);
  await vscode.window.showTextDocument(doc);
  const complete = (line: number, ch: number) =>
    vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, ch));
  r.completion = {
    emptyPrefixMs: await repeat(5, () => complete(0, 6)),
    prefixMs: await repeat(5, () => complete(1, 9)),
    /** The same round trip where Paper Shelf offers nothing (plain text): what VS Code itself takes. */
    outsideCitationMs: await repeat(5, () => complete(3, 5)),
    /** Empty prefix again, measured last (the first measurement follows the document's opening). */
    emptyPrefixAgainMs: await repeat(5, () => complete(0, 6)),
    /** The longest the extension host was busy during one completion request (the rest of the round trip is VS Code's). */
    emptyPrefixLongestBlockMs: (await watched(() => complete(0, 6))).longestBlockMs,
    prefixLongestBlockMs: (await watched(() => complete(1, 9))).longestBlockMs,
    items: (await complete(0, 6)).items.length,
    incomplete: (await complete(0, 6)).isIncomplete,
  };
  r.hover = {
    ms: await repeat(5, () => vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 8))),
  };
  fs.writeFileSync(out, JSON.stringify(r, null, 2));
}
