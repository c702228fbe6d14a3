import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { citationContextAt, citationStyleFor, citedKeys, type CitationStyle } from '../core/cite';
import { shortAttribution } from '../core/search';
import { paperMarkdown } from './markdown';
import { rankForCompletion } from '../core/rank';
import { CITE_SELECTOR, isOwnDocument, type CitationService } from './cite';
import type { LibraryService } from './library';
import { sourceUri } from './commands';
import { bibtexKeys } from '../core/bibtex/read';
import { inputKind } from '../core/sources';
import { readText } from './bibliography';

/** At most this many completion items; the list is marked incomplete beyond it. */
export const COMPLETION_LIMIT = 100;

export const UNKNOWN_KEY = 'paperShelf.unknownKey';
export const NOT_IN_BIBLIOGRAPHY = 'paperShelf.notInBibliography';

function styleOf(doc: vscode.TextDocument): CitationStyle {
  return citationStyleFor(doc.languageId, doc.fileName);
}

/**
 * Completion of citation keys, hover, go to definition and diagnostics for keys in
 * LaTeX and Markdown documents; also tells the library which bibliographies the open
 * documents use.
 */
export class EditorFeatures implements vscode.CompletionItemProvider, vscode.HoverProvider, vscode.DefinitionProvider, vscode.CodeActionProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('paperShelf.citations');
  private readonly docBibs = new Map<string, vscode.Uri[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Set<vscode.TextDocument>();
  /**
   * Keys of the documents' bibliographies as on disk (URI → keys, or `reading`): a key
   * defined there is no unknown key, also before the library has read the file, or when
   * `paperShelf.includeDocumentBibliographies` is off. Forgotten when the library changes.
   */
  private readonly fileKeys = new Map<string, ReadonlySet<string> | 'reading'>();
  /** Keys in the buffers of open .bib documents, by document version. */
  private readonly bufferKeys = new WeakMap<vscode.TextDocument, { version: number; keys: Map<string, number> }>();

  constructor(
    private readonly library: LibraryService,
    private readonly citations: CitationService,
  ) {
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerCompletionItemProvider(CITE_SELECTOR, this, '{', ',', '@', ' '),
      vscode.languages.registerHoverProvider(CITE_SELECTOR, this),
      vscode.languages.registerDefinitionProvider(CITE_SELECTOR, this),
      vscode.languages.registerCodeActionsProvider(CITE_SELECTOR, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        this.schedule(e.document);
        this.scheduleCitersOf(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        if (this.docBibs.delete(d.uri.toString())) this.pushDocumentSources();
      }),
      library.onDidChange(() => {
        this.fileKeys.clear();
        for (const d of vscode.workspace.textDocuments) this.schedule(d);
      }),
      // A document without a bibliography of its own uses the one this setting names.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('paperShelf.bibliographyFile')) for (const d of vscode.workspace.textDocuments) this.schedule(d);
      }),
      vscode.commands.registerCommand('paperShelf.addToBibliography', (uri: vscode.Uri, key: string) => this.addToBibliography(uri, key)),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /**
   * LaTeX and Markdown documents, but not another version of one (a diff's old side,
   * `git:…?{"ref":"~"}`): its bibliographies would resolve to URIs that serve the document
   * itself, and its citations would be flagged against today's .bib.
   */
  private supports(doc: vscode.TextDocument): boolean {
    return isOwnDocument(doc.uri) && vscode.languages.match(CITE_SELECTOR, doc) > 0 && styleOf(doc) !== 'plain';
  }

  /** Debounce: re-check documents a moment after typing stops. */
  private schedule(doc: vscode.TextDocument): void {
    if (!this.supports(doc)) return;
    this.pending.add(doc);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const docs = [...this.pending];
      this.pending.clear();
      void this.refreshDocuments(docs);
    }, 250);
  }

  private async refreshDocuments(docs: vscode.TextDocument[]): Promise<void> {
    let sourcesChanged = false;
    for (const doc of docs) {
      if (doc.isClosed) continue;
      const found = await this.citations.locator.forDocument(doc);
      const id = doc.uri.toString();
      const before = (this.docBibs.get(id) ?? []).map(String).join('\n');
      if (before !== found.uris.map(String).join('\n')) {
        this.docBibs.set(id, found.uris);
        sourcesChanged = true;
      }
      this.updateDiagnostics(doc, found.uris);
    }
    if (sourcesChanged) this.pushDocumentSources();
  }

  private pushDocumentSources(): void {
    const all = new Map<string, vscode.Uri>();
    for (const uris of this.docBibs.values()) for (const u of uris) all.set(u.toString(), u);
    this.library.setDocumentSources([...all.values()]);
  }

  /**
   * Whether an open .bib's editor buffer has the key: right after Insert Citation appends
   * an entry, before the file watcher has re-read the saved file, the key is there already.
   */
  private inOpenBibliographyBuffers(key: string, bibs: vscode.Uri[]): boolean {
    for (const uri of bibs) {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (!doc) continue;
      let cached = this.bufferKeys.get(doc);
      if (!cached || cached.version !== doc.version) {
        cached = { version: doc.version, keys: bibtexKeys(doc.getText()) };
        this.bufferKeys.set(doc, cached);
      }
      if (cached.keys.has(key)) return true;
    }
    return false;
  }

  /** Whether one of the bibliographies defines the key, in an open buffer or on disk (read once, then the documents are checked again). */
  private inDocumentBibliographies(key: string, bibs: vscode.Uri[]): boolean {
    if (this.inOpenBibliographyBuffers(key, bibs)) return true;
    for (const uri of bibs) {
      const id = uri.toString();
      const keys = this.fileKeys.get(id);
      if (keys === undefined) {
        this.fileKeys.set(id, 'reading');
        void readText(uri).then((text) => {
          if (this.fileKeys.get(id) !== 'reading') return;
          this.fileKeys.set(id, new Set(text === undefined ? [] : bibtexKeys(text).keys()));
          this.scheduleCitersOf(uri);
        });
      } else if (keys !== 'reading' && keys.has(key)) {
        return true;
      }
    }
    return false;
  }

  /** A .bib's buffer changed: check the open documents that cite from it again. */
  private scheduleCitersOf(uri: vscode.Uri): void {
    if (inputKind(uri.path) !== 'bibtex') return;
    const id = uri.toString();
    for (const doc of vscode.workspace.textDocuments) {
      if ((this.docBibs.get(doc.uri.toString()) ?? []).some((u) => u.toString() === id)) this.schedule(doc);
    }
  }

  /** Whether a paper comes from (or is also in) one of the given bibliography files. */
  private inBibliographies(p: Paper, bibs: vscode.Uri[]): boolean {
    const files = new Set(bibs.map((u) => (u.scheme === 'file' ? u.fsPath : u.toString())));
    return files.has(p.source.file) || (p.extra?.alsoIn ?? []).some((s) => files.has(s.file));
  }

  private updateDiagnostics(doc: vscode.TextDocument, bibs: vscode.Uri[]): void {
    const snap = this.library.snapshot;
    if (snap.loading) return;
    const out: vscode.Diagnostic[] = [];
    for (const c of citedKeys(doc.getText(), styleOf(doc))) {
      const range = new vscode.Range(doc.positionAt(c.offset), doc.positionAt(c.offset + c.length));
      const p = snap.get(c.key);
      if (!p && !this.inDocumentBibliographies(c.key, bibs)) {
        const d = new vscode.Diagnostic(range, `Unknown citation key “${c.key}”: no bibliography or paper list Paper Shelf reads has it.`, vscode.DiagnosticSeverity.Warning);
        d.code = UNKNOWN_KEY;
        d.source = 'Paper Shelf';
        out.push(d);
      } else if (p && bibs.length && !this.inBibliographies(p, bibs) && !this.inOpenBibliographyBuffers(c.key, bibs)) {
        const names = bibs.map((u) => u.path.slice(u.path.lastIndexOf('/') + 1)).join(', ');
        const d = new vscode.Diagnostic(range, `“${c.key}” is not in ${names}, so it will not compile; Paper Shelf knows the paper and can add it.`, vscode.DiagnosticSeverity.Warning);
        d.code = NOT_IN_BIBLIOGRAPHY;
        d.source = 'Paper Shelf';
        out.push(d);
      }
    }
    this.diagnostics.set(doc.uri, out);
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.code !== NOT_IN_BIBLIOGRAPHY) continue;
      const key = doc.getText(d.range);
      const action = new vscode.CodeAction(`Add “${key}” to the bibliography`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: 'paperShelf.addToBibliography', title: action.title, arguments: [doc.uri, key] };
      actions.push(action);
    }
    return actions;
  }

  private async addToBibliography(uri: vscode.Uri, key: string): Promise<string[]> {
    const p = this.library.snapshot.get(key);
    if (!p) return [];
    const doc = await vscode.workspace.openTextDocument(uri);
    const change = await this.citations.prepareBibChange(doc, [p], true);
    if (!change) return [];
    const [renamed] = change.renamed;
    if (renamed) {
      void vscode.window.showWarningMessage(
        renamed.reason === 'taken'
          ? `The bibliography already has a different entry with the key “${key}”; Paper Shelf left it alone.`
          : `The bibliography already has this paper as “${renamed.to}”; cite that key instead of “${key}”.`,
      );
      return [];
    }
    return (await this.citations.applyBibChange(change)) ? change.added : [];
  }

  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionList | undefined {
    const offset = doc.offsetAt(position);
    const ctx = citationContextAt(doc.getText(), offset, styleOf(doc));
    if (!ctx) return undefined;
    const range = new vscode.Range(doc.positionAt(ctx.replaceStart), doc.positionAt(Math.max(offset, ctx.replaceEnd)));
    const snap = this.library.snapshot;
    const { papers, complete } = rankForCompletion(snap.index, ctx.prefix, COMPLETION_LIMIT);
    const items = papers.map((p, i) => {
      const item = new PaperCompletionItem(p);
      item.detail = p.title;
      item.range = range;
      item.insertText = p.key;
      item.filterText = `${ctx.prefix} ${p.key}`;
      item.sortText = String(i).padStart(6, '0');
      return item;
    });
    return new vscode.CompletionList(items, !complete);
  }

  /** Title, authors and abstract are sent only for the item the user looks at. */
  resolveCompletionItem(item: vscode.CompletionItem): vscode.CompletionItem {
    if (item instanceof PaperCompletionItem) item.documentation = paperMarkdown(item.paper);
    return item;
  }

  /** The cited key under the cursor and its range. */
  private keyAt(doc: vscode.TextDocument, position: vscode.Position): { key: string; range: vscode.Range } | undefined {
    const offset = doc.offsetAt(position);
    const hit = citedKeys(doc.getText(), styleOf(doc)).find((c) => c.offset <= offset && offset <= c.offset + c.length);
    return hit && { key: hit.key, range: new vscode.Range(doc.positionAt(hit.offset), doc.positionAt(hit.offset + hit.length)) };
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const at = this.keyAt(doc, position);
    const p = at && this.library.snapshot.get(at.key);
    return p && new vscode.Hover(paperMarkdown(p, { detailsLink: true }), at.range);
  }

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const at = this.keyAt(doc, position);
    const p = at && this.library.snapshot.get(at.key);
    return p && new vscode.Location(sourceUri(p.source.file), new vscode.Position(Math.max(0, p.source.line - 1), 0));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A completion item that remembers its paper, for `resolveCompletionItem`. */
class PaperCompletionItem extends vscode.CompletionItem {
  constructor(readonly paper: Paper) {
    super({ label: paper.key, description: shortAttribution(paper) }, vscode.CompletionItemKind.Reference);
  }
}

/** "Cited in This Document": the papers the active document cites, in order of first citation. */
export class CitedTreeProvider implements vscode.TreeDataProvider<CitedEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private entries: CitedEntry[] = [];
  /** The document shown: the active text editor's, kept while a panel or view has focus. */
  private doc: vscode.TextDocument | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly library: LibraryService) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      // Also while the detail panel has focus: its Insert Citation edits this document.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc) this.debounce();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) {
          this.doc = undefined;
          this.update();
        }
      }),
      library.onDidChange(() => this.update()),
    );
    this.update();
  }

  private debounce(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), 150);
  }

  /** Recompute from the active text editor's document, or the last one when a panel has focus. */
  update(): void {
    this.doc = vscode.window.activeTextEditor?.document ?? this.doc;
    const doc = this.doc;
    const style = doc ? styleOf(doc) : 'plain';
    const citing = style !== 'plain';
    this.entries = [];
    if (doc && citing) {
      const seen = new Set<string>();
      for (const c of citedKeys(doc.getText(), style)) {
        if (seen.has(c.key)) continue;
        seen.add(c.key);
        this.entries.push({ key: c.key, uri: doc.uri, position: doc.positionAt(c.offset), paper: this.library.snapshot.get(c.key) });
      }
    }
    // Welcome text: no LaTeX/Markdown document yet, or one that cites nothing.
    const state = this.entries.length ? 'some' : citing ? 'empty' : 'noDocument';
    void vscode.commands.executeCommand('setContext', 'paperShelf.citedState', state);
    this.changed.fire();
  }

  get current(): readonly CitedEntry[] {
    return this.entries;
  }

  getChildren(element?: CitedEntry): CitedEntry[] {
    return element ? [] : this.entries;
  }

  getTreeItem(e: CitedEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(e.paper ? e.paper.title : e.key, vscode.TreeItemCollapsibleState.None);
    item.id = `cited:${e.key}`;
    if (e.paper) {
      item.description = `${e.key} · ${shortAttribution(e.paper)}`;
      item.tooltip = paperMarkdown(e.paper);
      item.iconPath = new vscode.ThemeIcon(e.paper.hasCode ? 'file-code' : 'book');
      item.contextValue = e.paper.codeUrl ? 'paper.code' : 'paper';
      item.command = { command: 'paperShelf.showDetails', title: 'Show Details', arguments: [e.key] };
    } else {
      item.description = 'unknown key';
      item.tooltip = `No source Paper Shelf reads has “${e.key}”.`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = 'unknownKey';
      item.command = {
        command: 'vscode.open',
        title: 'Go to citation',
        arguments: [e.uri, { selection: new vscode.Range(e.position, e.position) }],
      };
    }
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export interface CitedEntry {
  key: string;
  uri: vscode.Uri;
  /** Where the key is first cited. */
  position: vscode.Position;
  paper: Paper | undefined;
}
