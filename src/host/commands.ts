import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { GROUP_BY_VALUES, type GroupBy } from '../core/search';
import { authorList } from '../core/format';
import { toBibtex } from '../core/bibtex/write';
import type { LibraryService } from './library';
import type { PapersTreeProvider, Node } from './tree';
import { groupByLabel } from './tree';
import type { DetailPanelManager } from './panel';
import type { CodeRepositories } from './code';
import type { Config } from './config';
import type { Log } from './log';

/** A command of the command table: an id from `contributes.commands` and what it does. */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** Registers every command of the table; dispose to unregister them all. */
export class CommandManager implements vscode.Disposable {
  private readonly registrations = new Map<string, vscode.Disposable>();

  register<T extends Command>(command: T): T {
    if (this.registrations.has(command.id)) throw new Error(`Command ${command.id} registered twice`);
    this.registrations.set(command.id, vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.execute(...args)));
    return command;
  }

  get ids(): string[] {
    return [...this.registrations.keys()];
  }

  dispose(): void {
    for (const d of this.registrations.values()) d.dispose();
    this.registrations.clear();
  }
}

/** A QuickPick item for a paper, matching on title, authors, key and year. */
export interface PaperPick extends vscode.QuickPickItem {
  paper: Paper;
}

/**
 * A multi-select paper picker where Enter with nothing ticked still cites: VS Code's own
 * (`showQuickPick` with `canPickMany`) returns nothing then, so "type a title word, press
 * Enter" did nothing. Enter takes the ticked papers, else the highlighted one, else the one
 * paper the typed words name; when they name several, the picker stays open and says to
 * tick them.
 */
function pickMany(items: PaperPick[] | Thenable<PaperPick[]>, opts: vscode.QuickPickOptions): Promise<Paper[] | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PaperPick>();
    qp.title = opts.title;
    qp.placeholder = opts.placeHolder;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.canSelectMany = true;
    let settled = false;
    const settle = (papers: Paper[] | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(papers);
      qp.dispose();
    };
    qp.onDidAccept(() => {
      let chosen: readonly PaperPick[] = qp.selectedItems.length ? qp.selectedItems : qp.activeItems.slice(0, 1);
      const words = qp.value.toLowerCase().split(/\s+/).filter((w) => w !== '');
      if (chosen.length === 0 && words.length) {
        const named = qp.items.filter((i) => {
          const text = `${i.label} ${i.description ?? ''} ${i.detail ?? ''}`.toLowerCase();
          return words.every((w) => text.includes(w));
        });
        if (named.length > 1) {
          qp.title = `${opts.title ?? 'Papers'}: tick the papers (Space), then press Enter`;
          return;
        }
        chosen = named;
      }
      settle(chosen.length ? chosen.map((i) => i.paper) : undefined);
    });
    qp.onDidHide(() => settle(undefined));
    if (Array.isArray(items)) {
      qp.items = items;
    } else {
      qp.busy = true;
      void Promise.resolve(items).then((loaded) => {
        if (settled) return;
        qp.items = loaded;
        qp.busy = false;
      });
    }
    qp.show();
  });
}

export function paperPick(p: Paper): PaperPick {
  return {
    label: p.title,
    description: `${p.key} · ${p.year ?? 'n.d.'}`,
    detail: authorList(p),
    iconPath: new vscode.ThemeIcon(p.hasCode ? 'file-code' : 'book'),
    paper: p,
  };
}

/**
 * Turns what a command received into papers: a key (from the panel or a test), a tree
 * node (context menu), several nodes (multi-selection), or nothing (palette: ask).
 */
export class PaperResolver {
  constructor(
    private readonly library: LibraryService,
    private readonly getTreeSelection: () => readonly Node[],
  ) {}

  fromArgs(args: unknown[]): Paper[] | undefined {
    const [first, second] = args;
    const many = Array.isArray(second) && second.length > 0 ? second : undefined;
    const items: unknown[] = many ?? (first === undefined ? [] : Array.isArray(first) ? first : [first]);
    if (items.length === 0) return undefined;
    const out: Paper[] = [];
    for (const item of items) {
      const p = this.one(item);
      if (p && !out.includes(p)) out.push(p);
    }
    return out;
  }

  private one(item: unknown): Paper | undefined {
    const snap = this.library.snapshot;
    if (typeof item === 'string') return snap.get(item);
    if (item && typeof item === 'object' && 'kind' in item && (item as Node).kind === 'paper') {
      return snap.get((item as Extract<Node, { kind: 'paper' }>).paper.key);
    }
    // A row of "Cited in This Document" (its context menu passes the row).
    if (item && typeof item === 'object' && typeof (item as { key?: unknown }).key === 'string') {
      return snap.get((item as { key: string }).key);
    }
    return undefined;
  }

  /** Papers from the arguments (a key, a tree row, a Cited row, a list of them), else a QuickPick. */
  async resolve(args: unknown[], opts: { title: string; canPickMany?: boolean; filter?: (p: Paper) => boolean }): Promise<Paper[] | undefined> {
    // A key passed in right after start-up (a restored panel, a keybinding) waits for the library.
    if (args.length && this.library.snapshot.loading) await this.library.whenLoaded();
    const fromArgs = this.fromArgs(args);
    if (fromArgs) return fromArgs.length ? fromArgs : undefined;
    return this.pick(opts);
  }

  async pick(opts: { title: string; canPickMany?: boolean; filter?: (p: Paper) => boolean }): Promise<Paper[] | undefined> {
    const candidates = () => this.library.snapshot.papers.filter(opts.filter ?? (() => true)).map(paperPick);
    const qpOpts: vscode.QuickPickOptions = { title: opts.title, matchOnDescription: true, matchOnDetail: true, placeHolder: 'Type words of the title, authors, key or year' };
    let items: PaperPick[] | Thenable<PaperPick[]>;
    if (this.library.snapshot.loading) {
      // Right after start-up: open the picker at once; it shows as busy until the papers arrive.
      items = this.library.whenLoaded().then(candidates);
    } else {
      items = candidates();
      if (items.length === 0) {
        void vscode.window.showInformationMessage(this.library.snapshot.papers.length ? 'No paper in the library fits.' : 'The Paper Shelf library is empty.');
        return undefined;
      }
    }
    if (opts.canPickMany) return pickMany(items, qpOpts);
    const picked = await vscode.window.showQuickPick(items, qpOpts);
    return picked ? [picked.paper] : undefined;
  }

  /** The tree's selected papers (used by keybindings run while the tree has focus). */
  selection(): Paper[] {
    const snap = this.library.snapshot;
    return this.getTreeSelection()
      .filter((n): n is Extract<Node, { kind: 'paper' }> => n.kind === 'paper')
      .map((n) => snap.get(n.paper.key))
      .filter((p): p is Paper => !!p);
  }
}

/** The URI of a record's source file (`source.file` is a path or a URI string). */
export function sourceUri(file: string): vscode.Uri {
  // `scheme://authority/…` or `scheme:/path` (a URI without authority, as virtual file
  // systems write them); a drive letter (`C:\…`, `C:/…`) is a path.
  return /^[a-z][a-z0-9+.-]+:(?:\/\/|\/(?!\/))/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

export interface BrowseDeps {
  library: LibraryService;
  tree: PapersTreeProvider;
  treeView: () => vscode.TreeView<Node> | undefined;
  panels: DetailPanelManager;
  code: CodeRepositories;
  config: Config;
  log: Log;
  resolver: PaperResolver;
}

/** The browsing commands: grouping, filter, search, details, copy, reveal, code. */
export function browseCommands(d: BrowseDeps): Command[] {
  const first = async (args: unknown[], title: string, filter?: (p: Paper) => boolean) =>
    (await d.resolver.resolve(args, { title, filter }))?.[0];
  return [
    {
      id: 'paperShelf.refresh',
      execute: () => d.library.reload({ reread: true }).catch((e) => d.log.showError('Paper Shelf could not reload the library', e)),
    },
    {
      id: 'paperShelf.setGrouping',
      async execute(value?: unknown) {
        let by = typeof value === 'string' && (GROUP_BY_VALUES as readonly string[]).includes(value) ? (value as GroupBy) : undefined;
        if (!by) {
          const current = d.config.groupBy;
          const picked = await vscode.window.showQuickPick(
            GROUP_BY_VALUES.map((g) => ({ label: groupByLabel(g), description: g === current ? 'current' : undefined, value: g })),
            { title: 'Group Papers By' },
          );
          by = picked?.value;
        }
        if (by) await d.config.setGroupBy(by);
        return by;
      },
    },
    {
      id: 'paperShelf.filter',
      async execute(value?: unknown) {
        const text =
          typeof value === 'string'
            ? value
            : await vscode.window.showInputBox({
                title: 'Filter Papers',
                prompt: 'Words that must all appear in the title, authors, key, category or abstract',
                value: d.tree.filter,
                placeHolder: 'e.g. pruning zhou',
              });
        if (text !== undefined) d.tree.setFilter(text);
        return d.tree.visiblePapers.length;
      },
    },
    {
      id: 'paperShelf.clearFilter',
      execute: () => d.tree.setFilter(''),
    },
    {
      id: 'paperShelf.search',
      async execute() {
        const picked = await d.resolver.pick({ title: 'Search Papers' });
        if (picked?.[0]) {
          d.panels.show(picked[0].key);
          const node = d.tree.findPaperNode(picked[0].key);
          const view = d.treeView();
          if (node && view?.visible) await view.reveal(node, { select: true, focus: false, expand: true });
        }
        return picked?.[0]?.key;
      },
    },
    {
      id: 'paperShelf.showDetails',
      async execute(...args: unknown[]) {
        const p = await first(args, 'Show Details');
        if (p) d.panels.show(p.key);
        return p?.key;
      },
    },
    {
      id: 'paperShelf.copyKey',
      async execute(...args: unknown[]) {
        const papers = await d.resolver.resolve(args, { title: 'Copy Citation Key', canPickMany: true });
        if (!papers) return undefined;
        const text = papers.map((p) => p.key).join(',');
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
        return text;
      },
    },
    {
      id: 'paperShelf.copyBibtex',
      async execute(...args: unknown[]) {
        const papers = await d.resolver.resolve(args, { title: 'Copy BibTeX', canPickMany: true });
        if (!papers) return undefined;
        const text = papers.map(toBibtex).join('\n');
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(`Copied BibTeX of ${papers.length} ${papers.length === 1 ? 'paper' : 'papers'}`, 3000);
        return text;
      },
    },
    {
      id: 'paperShelf.revealInSource',
      async execute(...args: unknown[]) {
        const p = await first(args, 'Reveal in Source');
        if (!p) return undefined;
        const uri = sourceUri(p.source.file);
        const line = Math.max(0, p.source.line - 1);
        try {
          const editor = await vscode.window.showTextDocument(uri, {
            selection: new vscode.Range(line, 0, line, 0),
            preview: true,
            viewColumn: vscode.ViewColumn.One,
          });
          editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
          return `${uri.toString()}:${p.source.line}`;
        } catch (e) {
          void d.log.showError(`Could not open ${p.source.file}`, e);
          return undefined;
        }
      },
    },
    {
      id: 'paperShelf.openCode',
      async execute(...args: unknown[]) {
        const p = await first(args, 'Open Code Repository', (x) => x.hasCode);
        return p ? d.code.openFor(p) : false;
      },
    },
    {
      id: 'paperShelf.searchCode',
      async execute(...args: unknown[]) {
        const p = await first(args, 'Search Code on GitHub');
        return p ? d.code.searchFor(p) : false;
      },
    },
    {
      id: 'paperShelf.cloneRepository',
      async execute(...args: unknown[]) {
        const p = await first(args, 'Clone Code Repository', (x) => !!x.codeUrl);
        return p ? d.code.clone(p) : false;
      },
    },
    {
      id: 'paperShelf.showLog',
      execute: () => d.log.channel.show(true),
    },
  ];
}
