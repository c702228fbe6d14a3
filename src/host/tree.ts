import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { groupSteps, shortAttribution, type GroupBy, type PaperGroup, type SearchIndex } from '../core/search';
import { classifyCodeUrl } from '../core/links';
import { paperMarkdown } from './markdown';
import type { LibraryService, LibrarySnapshot } from './library';
import type { Config } from './config';

/** Rows per tree level before a group is split into pages, so no level has thousands of rows. */
export const PAGE_SIZE = 200;
/** Sorting and grouping 100k papers runs in turns of the event loop of about this long. */
const SLICE_MS = 8;

export const DRAG_MIME = 'application/vnd.code.tree.papershelf.papers';

export type Node =
  | { kind: 'group'; id: string; label: string; description?: string; papers: Paper[] }
  | { kind: 'page'; id: string; label: string; papers: Paper[] }
  | { kind: 'groups'; id: string; label: string; groups: PaperGroup[] }
  | { kind: 'paper'; id: string; paper: Paper };

const GROUP_LABELS: Record<GroupBy, string> = {
  year: 'Year',
  category: 'Category',
  author: 'Author',
  code: 'Code availability',
  source: 'Source file',
  none: 'None (flat list)',
};

export function groupByLabel(g: GroupBy): string {
  return GROUP_LABELS[g];
}

/** The groups of the papers shown: the index's sort (unless filtered) and then the grouping, in steps. */
function* groupsOf(index: SearchIndex, filtered: readonly Paper[] | undefined, by: GroupBy): Generator<void, PaperGroup[]> {
  if (!filtered) while (!index.prepareOrder(0)) yield;
  // The index keeps papers newest first, so grouping needs no sort.
  return yield* groupSteps(filtered ?? index.papers, by, { sorted: true });
}

/** Let the event loop run whatever is waiting. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Split `items` into pages of PAGE_SIZE. */
function pages<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PAGE_SIZE) out.push(items.slice(i, i + PAGE_SIZE));
  return out;
}

/**
 * The "Papers" tree: groups with counts, paper rows with a short attribution, a
 * Markdown tooltip and a codicon telling papers with code from the rest.
 */
export class PapersTreeProvider implements vscode.TreeDataProvider<Node>, vscode.TreeDragAndDropController<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly dragMimeTypes = [DRAG_MIME, 'text/plain'];
  readonly dropMimeTypes: string[] = [];

  private filterText = '';
  /** What the tree shows or is about to: the index, and the filter's result (none without a filter). */
  private shown: { index: SearchIndex; filtered: readonly Paper[] | undefined } | undefined;
  private roots: Node[] = [];
  /** The grouping of `roots`. */
  private rootsGroupBy: GroupBy = 'year';
  /** The rebuild in progress (or the last one); each rebuild supersedes the one before. */
  private building: Promise<void> = Promise.resolve();
  private ticket = 0;
  private readonly parents = new Map<string, Node>();
  private readonly byId = new Map<string, Node>();
  private view: vscode.TreeView<Node> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly library: LibraryService,
    private readonly config: Config,
  ) {
    this.disposables.push(
      this.changed,
      library.onDidChange(() => this.rebuild()),
      config.onDidChange((e) => {
        if (e.affectsConfiguration('paperShelf.groupBy')) this.rebuild();
      }),
    );
    this.rebuild();
  }

  attach(view: vscode.TreeView<Node>): void {
    this.view = view;
    this.updateViewChrome();
  }

  get filter(): string {
    return this.filterText;
  }

  /** Papers the tree shows under the current filter, newest first. */
  get visiblePapers(): readonly Paper[] {
    if (!this.shown) return [];
    return this.shown.filtered ?? this.shown.index.papers;
  }

  /** How many papers the tree shows (without sorting them). */
  private get visibleCount(): number {
    return this.shown?.filtered?.length ?? this.library.snapshot.papers.length;
  }

  /** Every paper of the library, filter or not. */
  get allPapers(): readonly Paper[] {
    return this.library.snapshot.papers;
  }

  setFilter(text: string): void {
    this.filterText = text.trim();
    this.rebuild();
  }

  /** The nodes at the top level once the latest rebuild is done (for tests and reveal). */
  async rootNodes(): Promise<Node[]> {
    for (let last; last !== this.building; ) {
      last = this.building;
      await last;
    }
    return this.roots;
  }

  /**
   * Rebuild the node structure from the current snapshot, filter and grouping. The filter
   * applies at once (`visiblePapers`); sorting and grouping run in slices of the event loop,
   * all at once for a small library, and the tree shows the new rows when they are ready.
   */
  rebuild(): void {
    const snap: LibrarySnapshot = this.library.snapshot;
    const shown = { index: snap.index, filtered: this.filterText ? snap.index.filter(this.filterText) : undefined };
    this.shown = shown;
    this.building = this.build(++this.ticket, snap, groupsOf(shown.index, shown.filtered, this.config.groupBy), this.config.groupBy);
  }

  /** Runs the steps in turns of about SLICE_MS, the first one now; shows the groups unless superseded meanwhile. */
  private async build(ticket: number, snap: LibrarySnapshot, steps: Generator<void, PaperGroup[]>, by: GroupBy): Promise<void> {
    for (;;) {
      const start = performance.now();
      let step = steps.next();
      while (!step.done && performance.now() - start < SLICE_MS) step = steps.next();
      if (step.done) {
        if (ticket === this.ticket) this.show(snap, by, step.value);
        return;
      }
      await nextTurn();
      if (ticket !== this.ticket) return;
    }
  }

  private show(snap: LibrarySnapshot, by: GroupBy, groups: PaperGroup[]): void {
    this.parents.clear();
    this.byId.clear();
    this.roots = by === 'none' ? this.paperLevel('all', groups[0]?.papers ?? []) : this.groupLevel('', groups);
    this.rootsGroupBy = by;
    this.updateViewChrome();
    const filtered = this.filterText !== '';
    void vscode.commands.executeCommand('setContext', 'paperShelf.loading', snap.loading);
    void vscode.commands.executeCommand('setContext', 'paperShelf.empty', !snap.loading && snap.papers.length === 0);
    void vscode.commands.executeCommand('setContext', 'paperShelf.filtered', filtered);
    void vscode.commands.executeCommand('setContext', 'paperShelf.filterEmpty', filtered && this.visibleCount === 0);
    this.changed.fire(undefined);
  }

  private register(node: Node, parent: Node | undefined): Node {
    this.byId.set(node.id, node);
    if (parent) this.parents.set(node.id, parent);
    return node;
  }

  /** Group rows; more than PAGE_SIZE groups are split into alphabetical/ordered ranges. */
  private groupLevel(prefix: string, groups: PaperGroup[], parent?: Node): Node[] {
    if (groups.length > PAGE_SIZE) {
      return pages(groups).map((chunk) =>
        this.register(
          { kind: 'groups', id: `${prefix}groups:${chunk[0].id}`, label: `${chunk[0].label} – ${chunk[chunk.length - 1].label}`, groups: chunk },
          parent,
        ),
      );
    }
    return groups.map((g) => {
      const node: Node = { kind: 'group', id: g.id, label: g.label, papers: g.papers };
      if (g.description) node.description = g.description;
      return this.register(node, parent);
    });
  }

  /** Paper rows; more than PAGE_SIZE papers are split into pages. */
  private paperLevel(parentId: string, papers: Paper[], parent?: Node): Node[] {
    if (papers.length > PAGE_SIZE) {
      return pages(papers).map((chunk, i) =>
        this.register(
          {
            kind: 'page',
            id: `${parentId}/page:${i}`,
            label: `${i * PAGE_SIZE + 1}–${i * PAGE_SIZE + chunk.length}`,
            papers: chunk,
          },
          parent,
        ),
      );
    }
    return papers.map((p) => this.register({ kind: 'paper', id: `${parentId}/${p.key}`, paper: p }, parent));
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots;
    switch (node.kind) {
      case 'groups':
        return this.groupLevel(`${node.id}/`, node.groups, node);
      case 'group':
        return this.paperLevel(node.id, node.papers, node);
      case 'page':
        return node.papers.map((p) => this.register({ kind: 'paper', id: `${node.id}/${p.key}`, paper: p }, node));
      case 'paper':
        return [];
    }
  }

  getParent(node: Node): Node | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'paper') return paperItem(node.id, node.paper);
    const count = node.kind === 'groups' ? node.groups.length : node.papers.length;
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    if (node.kind === 'group') {
      item.description = node.description ? `${count} · ${node.description}` : String(count);
      item.contextValue = 'group';
      item.iconPath = new vscode.ThemeIcon(this.groupIcon());
    } else {
      item.description = node.kind === 'groups' ? `${count} groups` : `${count} papers`;
      item.contextValue = 'page';
    }
    item.tooltip = node.kind === 'groups' ? `${count} groups` : `${count} ${count === 1 ? 'paper' : 'papers'}`;
    item.accessibilityInformation = { label: `${node.label}, ${item.tooltip}` };
    return item;
  }

  private groupIcon(): string {
    switch (this.rootsGroupBy) {
      case 'year':
        return 'calendar';
      case 'category':
        return 'tag';
      case 'author':
        return 'person';
      case 'code':
        return 'code';
      case 'source':
        return 'file';
      case 'none':
        return 'folder';
    }
  }

  /** The paper row for `key`, for `TreeView.reveal`. */
  findPaperNode(key: string): Node | undefined {
    for (const n of this.byId.values()) if (n.kind === 'paper' && n.paper.key === key) return n;
    for (const root of this.roots) {
      const stack = [root];
      while (stack.length) {
        const n = stack.pop()!;
        if (n.kind === 'paper' && n.paper.key === key) return n;
        if (n.kind !== 'paper' && (n.kind === 'groups' || n.papers.some((p) => p.key === key))) stack.push(...this.getChildren(n));
      }
    }
    return undefined;
  }

  private updateViewChrome(): void {
    if (!this.view) return;
    const snap = this.library.snapshot;
    const total = snap.papers.length;
    const shown = this.visibleCount;
    this.view.description = this.filterText ? `${shown} of ${total}` : snap.loading && total === 0 ? 'Loading…' : `${total} ${total === 1 ? 'paper' : 'papers'}`;
    // With nothing shown the view's welcome ("No paper matches the filter", with Clear and
    // Change links) takes over: VS Code shows welcome content only without a message.
    this.view.message = this.filterText && shown > 0
      ? `Filter: “${this.filterText}” — ${shown} of ${total} papers. Clear it with the ✕ button above.`
      : undefined;
  }

  handleDrag(source: readonly Node[], dataTransfer: vscode.DataTransfer): void {
    const keys = [...new Set(source.filter((n): n is Extract<Node, { kind: 'paper' }> => n.kind === 'paper').map((n) => n.paper.key))];
    if (keys.length === 0) return;
    dataTransfer.set(DRAG_MIME, new vscode.DataTransferItem(JSON.stringify(keys)));
    dataTransfer.set('text/plain', new vscode.DataTransferItem(keys.join(', ')));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The tree row of a paper. */
export function paperItem(id: string, p: Paper): vscode.TreeItem {
  const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = shortAttribution(p);
  item.tooltip = paperMarkdown(p, { abstractChars: 300 });
  item.iconPath = new vscode.ThemeIcon(p.hasCode ? 'file-code' : 'book');
  // Clone Code Repository shows for `paper.code` only: it clones from known code hosts only.
  item.contextValue = p.codeUrl ? (classifyCodeUrl(p.codeUrl).kind === 'codeHost' ? 'paper.code' : 'paper.codeUnknownHost') : p.hasCode ? 'paper.codeNoUrl' : 'paper';
  item.command = { command: 'paperShelf.showDetails', title: 'Show Details', arguments: [p.key] };
  item.accessibilityInformation = { label: `${p.title}, ${shortAttribution(p)}${p.hasCode ? ', has code' : ''}` };
  return item;
}
