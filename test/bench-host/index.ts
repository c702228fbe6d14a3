/**
 * The in-extension half of `npm run bench`: loaded by the real extension host (like the
 * in-host test suite) in a workspace whose settings point `paperShelf.sources` at a big
 * bibliography. Measures what a user waits for and writes it as JSON to the file named
 * by PAPER_SHELF_BENCH_OUT. Driven by bench/host.js; not part of `npm test`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { PaperShelfApi } from '../../src/extension';
import type { GroupBy } from '../../src/core/search';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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

export async function run(): Promise<void> {
  const out = process.env.PAPER_SHELF_BENCH_OUT;
  if (!out) throw new Error('PAPER_SHELF_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension<PaperShelfApi>('paper-shelf.paper-shelf');
  if (!ext) throw new Error('paper-shelf.paper-shelf is not installed');
  const api = await ext.activate();
  await api.ready;
  const r: Record<string, unknown> = { papers: api.library.snapshot.papers.length, activationMs: api.activationMs };
  const s = api.library.stats;
  r.firstLoad = { firstRowsMs: s.firstPapersAt - s.loadStartedAt, loadedMs: s.loadedAt - s.loadStartedAt };

  // A full reload with the event loop watched: how long is the extension host busy at a stretch?
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const heapBefore = process.memoryUsage().heapUsed;
  const [reloadMs] = await time(() => api.library.reload());
  lag.disable();
  r.reload = { ms: reloadMs, maxEventLoopBlockMs: lag.max / 1e6, p99EventLoopDelayMs: lag.percentile(99) / 1e6 };
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  r.memory = { heapUsedMB: heapAfter / 1e6, heapDeltaOfReloadMB: (heapAfter - heapBefore) / 1e6, rssMB: process.memoryUsage().rss / 1e6 };

  const grouping: Record<string, unknown> = {};
  for (const g of ['year', 'category', 'author', 'code', 'source', 'none'] as GroupBy[]) {
    await vscode.workspace.getConfiguration('paperShelf').update('groupBy', g, vscode.ConfigurationTarget.Global);
    const rebuildMs = await repeat(3, () => api.tree.rebuild());
    const roots = await api.tree.rootNodes();
    const childrenMs = await repeat(5, () => api.tree.getChildren(roots[0]));
    grouping[g] = { rebuildMs, topLevelRows: roots.length, firstGroupChildren: api.tree.getChildren(roots[0]).length, childrenMs };
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
  fs.writeFileSync(tex, `\\cite{}\n\\cite{knu}\n\\cite{${key}}\n`);
  const doc = await vscode.workspace.openTextDocument(tex);
  await vscode.window.showTextDocument(doc);
  const complete = (line: number, ch: number) =>
    vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(line, ch));
  r.completion = {
    emptyPrefixMs: await repeat(5, () => complete(0, 6)),
    prefixMs: await repeat(5, () => complete(1, 9)),
    items: (await complete(0, 6)).items.length,
    incomplete: (await complete(0, 6)).isIncomplete,
  };
  r.hover = {
    ms: await repeat(5, () => vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(2, 8))),
  };
  fs.writeFileSync(out, JSON.stringify(r, null, 2));
}
