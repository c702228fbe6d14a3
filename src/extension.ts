/**
 * Composition root: constructs the services, passes their dependencies in, and pushes
 * every disposable onto `context.subscriptions`. Nothing runs at import time, and
 * `activate()` returns before the library is read: papers arrive with progress.
 */
import * as vscode from 'vscode';
import { Log } from './host/log';
import { Config } from './host/config';
import { LibraryService } from './host/library';
import { PapersTreeProvider, type Node } from './host/tree';
import { DetailPanelManager } from './host/panel';
import { CodeRepositories } from './host/code';
import { CommandManager, PaperResolver, browseCommands } from './host/commands';
import { CitationService } from './host/cite';
import { CitedTreeProvider, EditorFeatures } from './host/editor';
import { sourceCommands } from './host/sources';

/** What `activate` returns: a small API used by the in-host tests and other extensions. */
export interface PaperShelfApi {
  /** Resolves once the first full load of the library has finished. */
  ready: Promise<void>;
  library: LibraryService;
  tree: PapersTreeProvider;
  panels: DetailPanelManager;
  cited: CitedTreeProvider;
  code: CodeRepositories;
  cite: CitationService;
  commandIds: readonly string[];
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PaperShelfApi {
  const started = performance.now();
  const log = new Log();
  const config = new Config();
  const library = new LibraryService(context.extensionUri, config, log);
  const tree = new PapersTreeProvider(library, config);
  const code = new CodeRepositories(log);
  const commands = new CommandManager();
  context.subscriptions.push(log, library, tree, commands);

  const treeView = vscode.window.createTreeView<Node>('paperShelf.papers', {
    treeDataProvider: tree,
    dragAndDropController: tree,
    canSelectMany: true,
    showCollapseAll: true,
  });
  tree.attach(treeView);
  context.subscriptions.push(treeView);

  const resolver = new PaperResolver(library, () => treeView.selection);
  const panels = new DetailPanelManager(context.extensionUri, library, log, config, {
    copyKey: (key) => vscode.commands.executeCommand('paperShelf.copyKey', key),
    copyBibtex: (key) => vscode.commands.executeCommand('paperShelf.copyBibtex', key),
    insertCitation: (key) => vscode.commands.executeCommand('paperShelf.insertCitation', key),
    openCode: (key) => vscode.commands.executeCommand('paperShelf.openCode', key),
    searchCode: (key) => vscode.commands.executeCommand('paperShelf.searchCode', key),
    revealInSource: (key) => vscode.commands.executeCommand('paperShelf.revealInSource', key),
    openLink: (url) => code.open(url),
  });
  context.subscriptions.push(panels);

  const citations = new CitationService(library, config, log, resolver);
  const editorFeatures = new EditorFeatures(library, citations);
  const cited = new CitedTreeProvider(library);
  context.subscriptions.push(
    citations,
    editorFeatures,
    cited,
    vscode.window.createTreeView('paperShelf.cited', { treeDataProvider: cited, showCollapseAll: false }),
  );

  for (const c of browseCommands({ library, tree, treeView: () => treeView, panels, code, config, log, resolver })) commands.register(c);
  for (const c of sourceCommands({ tree, resolver, log })) commands.register(c);
  commands.register({ id: 'paperShelf.insertCitation', execute: (...args: unknown[]) => citations.insert(args) });

  context.subscriptions.push(
    config.onDidChange((e) => {
      // Generated keys depend on the pattern: re-read everything. A changed source list
      // reads only the new sources.
      const failed = (err: unknown) => log.showError('Paper Shelf could not reload the library', err);
      if (e.affectsConfiguration('paperShelf.keyPattern')) library.reload().catch(failed);
      else if (
        e.affectsConfiguration('paperShelf.sources') ||
        e.affectsConfiguration('paperShelf.includeBundledLibrary') ||
        e.affectsConfiguration('paperShelf.includeDocumentBibliographies')
      ) {
        library.reload({ reread: false }).catch(failed);
      }
    }),
  );

  const ready = library.reload().catch((e) => log.showError('Paper Shelf could not load the library', e));
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { ready, library, tree, panels, cited, code, cite: citations, commandIds: commands.ids, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
