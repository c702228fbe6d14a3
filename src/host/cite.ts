import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { citationStyleFor, planCitationInsert, type CitationStyle } from '../core/cite';
import { planBibAppend, type AppendRequest } from '../core/bibappend';
import { KEY_PATTERN } from '../core/model';
import { inputKind } from '../core/sources';
import { toBibtex } from '../core/bibtex/write';
import { BibliographyLocator, readText } from './bibliography';
import type { PaperResolver } from './commands';
import type { LibraryService } from './library';
import type { Config } from './config';
import type { Log } from './log';
import { DRAG_MIME } from './tree';

/** The languages (and file patterns) Paper Shelf cites in. */
export const CITE_SELECTOR: vscode.DocumentSelector = [
  { language: 'latex' },
  { language: 'tex' },
  { language: 'markdown' },
  { language: 'quarto' },
  { language: 'rmd' },
  { language: 'rmarkdown' },
  { pattern: '**/*.tex' },
  { pattern: '**/*.{qmd,Rmd,rmd}' },
];

/**
 * Whether a document is a file of its own rather than another version of one: source
 * control shows old versions as `git:` documents (and other views with a query naming the
 * version), which Paper Shelf neither cites into nor checks.
 */
export function isOwnDocument(uri: vscode.Uri): boolean {
  return uri.scheme !== 'git' && uri.query === '';
}

type Renamed = { from: string; to: string; reason: 'taken' | 'present' };

/** What an insertion did, returned by the command (for tests and other extensions). */
export interface InsertResult {
  keys: string[];
  /** The bibliography entries were added to (URI). */
  bibliography?: string;
  added: string[];
  renamed: Renamed[];
}

/** A prepared change to a document's bibliography. */
export interface BibChange {
  uri: vscode.Uri;
  edit: vscode.WorkspaceEdit;
  /** The key to cite for each paper, in order (renamed where the .bib required it). */
  keys: string[];
  /** The text appended at the end of the file ('' when nothing is added). */
  insertText: string;
  /** The .bib document's version when the change was planned (undefined: the file did not exist). */
  version?: number;
  /** The .bib had unsaved edits when the change was planned: its buffer is not saved for the user. */
  wasDirty: boolean;
  /** What was asked for, to re-plan against the .bib's text as it is when the change applies. */
  requests: AppendRequest[];
  /** The texts of the document's other bibliographies (see `AppendOptions.otherBibliographies`). */
  otherBibliographies: string[];
  /** All the document's bibliographies, for messages: `refs.bib` or `refs.bib, extra.bib`. */
  names: string;
  added: string[];
  renamed: Renamed[];
}

/**
 * Why Paper Shelf will not append to this file, if it will not: only `.bib`/`.bibtex`
 * files, and in Restricted Mode only inside the workspace (a document or a setting from
 * an untrusted folder must not direct writes at the user's other files).
 */
export function bibTargetRefusal(uri: vscode.Uri, trusted = vscode.workspace.isTrusted): string | undefined {
  if (inputKind(uri.path) !== 'bibtex') return 'it is not a .bib file';
  if (!trusted && !vscode.workspace.getWorkspaceFolder(uri)) return 'it is outside the workspace, and this workspace is in Restricted Mode';
  return undefined;
}

function endPosition(text: string): vscode.Position {
  const lines = text.split(/\r\n|\r|\n/);
  return new vscode.Position(lines.length - 1, lines[lines.length - 1].length);
}

/**
 * Insert Citation (palette, tree, panel, drag and drop) and the bibliography sync that
 * makes the citation compile: missing entries are appended to the document's `.bib`
 * with an undoable `WorkspaceEdit`; every existing byte stays as it was.
 */
export class CitationService implements vscode.Disposable, vscode.DocumentDropEditProvider {
  private lastEditor: vscode.TextEditor | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Drops waiting for their .bib edit, to save it (see saveWhenChanged). */
  private readonly pendingSaves = new Set<() => void>();
  readonly locator: BibliographyLocator;

  constructor(
    private readonly library: LibraryService,
    private readonly config: Config,
    private readonly log: Log,
    private readonly resolver: PaperResolver,
  ) {
    this.locator = new BibliographyLocator(config);
    const active = vscode.window.activeTextEditor;
    this.lastEditor = active && this.citesInto(active.document) ? active : undefined;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && this.citesInto(e.document)) this.lastEditor = e;
      }),
      vscode.languages.registerDocumentDropEditProvider(CITE_SELECTOR, this),
    );
  }

  /**
   * Whether Insert Citation may write into this document: LaTeX and Markdown ones (virtual
   * workspaces included), and other text files as plain keys; never a bibliography or a
   * library source (Reveal in Source opens them; a key typed into a .bib breaks it), nor the
   * Output panel or a diff's old side.
   */
  private citesInto(doc: vscode.TextDocument): boolean {
    const { scheme } = doc.uri;
    if (scheme === 'output' || !isOwnDocument(doc.uri)) return false;
    if (/\.(?:bib|bibtex|json)$/i.test(doc.uri.path) || this.library.isSource(doc.uri)) return false;
    return this.styleOf(doc) !== 'plain' || ['file', 'untitled', 'vscode-remote'].includes(scheme);
  }

  private styleOf(doc: vscode.TextDocument): CitationStyle {
    return citationStyleFor(doc.languageId, doc.fileName);
  }

  private citeOptions() {
    return { latexCommand: this.config.latexCiteCommand, pandocBare: this.config.pandocBare };
  }

  /** The editor to insert into: the active one, else the last active one Paper Shelf cites into (the panel or tree has focus). */
  private targetEditor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && this.citesInto(active.document)) return active;
    const last = this.lastEditor;
    if (last && !last.document.isClosed) {
      return vscode.window.visibleTextEditors.find((e) => e.document === last.document) ?? last;
    }
    return undefined;
  }

  /** The Insert Citation command. */
  async insert(args: unknown[]): Promise<InsertResult | undefined> {
    let editor = this.targetEditor();
    if (!editor) {
      void vscode.window.showInformationMessage('Open a LaTeX or Markdown document to insert a citation into.');
      return undefined;
    }
    const papers = await this.resolver.resolve(args, { title: 'Insert Citation', canPickMany: true });
    if (!papers?.length) return undefined;
    // Bring the document back to the front when the command came from the panel or tree.
    if (vscode.window.activeTextEditor?.document !== editor.document) {
      const selections = editor.selections;
      editor = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn });
      editor.selections = selections; // every cursor, not just the primary one
    }
    const doc = editor.document;
    const style = this.styleOf(doc);
    const problem = style === 'latex' ? this.config.latexCiteCommandProblem : undefined;
    if (problem) void this.log.showWarning(`paperShelf.latex.citeCommand: ${problem}. Using \\cite.`);

    const unsafe = papers.filter((p) => !KEY_PATTERN.test(p.key));
    if (unsafe.length) {
      // The readers refuse such keys; this guards the editor against any record that slipped through.
      void this.log.showError(`Paper Shelf did not cite ${unsafe.map((p) => JSON.stringify(p.key)).join(', ')}: the key holds characters that would break \\cite{} or [@…].`);
      return undefined;
    }
    // The entries go into the .bib first, so the new citation never shows as missing from it.
    let change = style === 'plain' ? undefined : await this.prepareBibChange(doc, papers, true);
    if (change && !(await this.applyBibChange(change))) change = undefined;
    const keys = change?.keys ?? papers.map((p) => p.key);

    const text = doc.getText();
    const offsets = editor.selections.map((s) => doc.offsetAt(s.active));
    const edits = planCitationInsert(text, offsets, keys, style, this.citeOptions());
    const ok = await editor.edit(
      (b) => {
        for (const e of edits) b.replace(new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.deleteLength)), e.insert);
      },
      { undoStopBefore: true, undoStopAfter: true },
    );
    if (!ok) {
      void this.log.showError('Paper Shelf could not insert the citation: the document changed while it was working. Try again.');
      return undefined;
    }
    const result: InsertResult = { keys, added: change?.added ?? [], renamed: change?.renamed ?? [] };
    if (change) result.bibliography = change.uri.toString();
    this.report(result, change?.names);
    return result;
  }

  /** Tells what was cited and added; `names` lists all the document's bibliographies. */
  private report(r: InsertResult, names?: string): void {
    const bib = r.bibliography ? vscode.workspace.asRelativePath(vscode.Uri.parse(r.bibliography)) : undefined;
    const all = names ?? bib;
    for (const { from, to, reason } of r.renamed) {
      void vscode.window.showInformationMessage(
        reason === 'taken'
          ? `The key “${from}” is taken by a different entry in ${all}; Paper Shelf cited and added the paper as “${to}”.`
          : `${all} already ${all?.includes(', ') ? 'have' : 'has'} this paper as “${to}”; Paper Shelf cited that key instead of “${from}”.`,
      );
    }
    const added = r.added.length ? `; added ${r.added.length} ${r.added.length === 1 ? 'entry' : 'entries'} to ${bib}` : '';
    vscode.window.setStatusBarMessage(`Cited ${r.keys.join(', ')}${added}`, 5000);
    this.log.info(`Cited ${r.keys.join(', ')}${added}`);
  }

  /**
   * Plan the entries to append to the document's bibliography. With `mayCreate`, a
   * document without one is offered a new `references.bib` beside it.
   */
  async prepareBibChange(doc: vscode.TextDocument, papers: Paper[], mayCreate: boolean): Promise<BibChange | undefined> {
    const found = await this.locator.forDocument(doc);
    let uri = found.uris[0];
    if (!uri) {
      if (!mayCreate || doc.isUntitled) return undefined;
      uri = vscode.Uri.joinPath(doc.uri, '..', 'references.bib');
      const style = this.styleOf(doc);
      const how =
        style === 'latex'
          ? 'add \\bibliography{references} (BibTeX) or \\addbibresource{references.bib} (biblatex) to the document'
          : 'add “bibliography: references.bib” to the document’s YAML front matter';
      // references.bib may be there already (the document does not name it yet).
      const there = await this.exists(uri);
      const yes = there ? 'Add to references.bib' : 'Create references.bib';
      const choice = await vscode.window.showInformationMessage(
        there
          ? `This document names no bibliography. Add the cited entries to the references.bib beside it? Then ${how}.`
          : `This document names no bibliography. Create references.bib beside it for the cited entries? Then ${how}.`,
        yes,
        'Cite Without Bibliography',
      );
      if (choice !== yes) return undefined;
    }
    const refusal = bibTargetRefusal(uri);
    if (refusal) {
      void this.log.showWarning(`Paper Shelf did not add entries to ${vscode.workspace.asRelativePath(uri)}: ${refusal}. Copy them with Copy BibTeX.`);
      return undefined;
    }
    // Read through a TextDocument: VS Code decodes it with the file's encoding and line
    // endings, and the edit applies to exactly this text (saved or not).
    const exists = await this.exists(uri);
    const bibDoc = exists ? await vscode.workspace.openTextDocument(uri) : undefined;
    const existing = bibDoc?.getText() ?? '';
    const problem = bibDoc && !bibDoc.isDirty ? await this.bibWriteProblem(uri, existing) : undefined;
    if (problem) {
      void this.log.showWarning(`${vscode.workspace.asRelativePath(uri)} ${problem}. Paper Shelf did not add entries to it; copy them with Copy BibTeX.`);
      return undefined;
    }
    const requests = papers.map((p) => ({ key: p.key, bibtex: toBibtex(p), identity: { doi: p.extra?.doi, title: p.title, year: p.year, firstAuthor: p.authors[0]?.family } }));
    // The entries go into the first bibliography; the others are read with it, so a paper
    // one of them has is cited from there, and their keys are taken.
    const others = found.uris.slice(1);
    const otherBibliographies = await this.readBibliographies(others);
    const plan = planBibAppend(existing, requests, { otherBibliographies });
    const edit = new vscode.WorkspaceEdit();
    if (!exists) edit.createFile(uri, { ignoreIfExists: true });
    if (plan.insertText) edit.insert(uri, endPosition(existing), plan.insertText);
    return {
      uri,
      edit,
      keys: plan.keys,
      insertText: plan.insertText,
      version: bibDoc?.version,
      wasDirty: bibDoc?.isDirty ?? false,
      requests,
      otherBibliographies,
      names: [uri, ...others].map((u) => vscode.workspace.asRelativePath(u)).join(', '),
      added: plan.added,
      renamed: plan.renamed,
    };
  }

  /** The texts of the bibliographies that can be read (open buffers as they are, unsaved edits included). */
  private async readBibliographies(uris: readonly vscode.Uri[]): Promise<string[]> {
    const texts = await Promise.all(uris.map(readText));
    return texts.filter((t): t is string => t !== undefined);
  }

  /**
   * Why saving `text` (the .bib's buffer, not dirty) might change bytes already on disk, or
   * undefined when writing it back reproduces the file exactly (a UTF-8 byte-order mark
   * aside, which VS Code keeps). VS Code decodes other encodings lossily as UTF-8 and
   * normalises mixed line endings on load; and a file changed on disk since it was read
   * would be overwritten.
   */
  private async bibWriteProblem(uri: vscode.Uri, text: string): Promise<string | undefined> {
    let bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    const again = new TextEncoder().encode(text);
    if (again.length === bytes.length && again.every((b, i) => b === bytes[i])) return undefined;
    let disk: string;
    try {
      disk = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return 'is not UTF-8, so saving it from the editor would change bytes already in it';
    }
    if (/\r\n/.test(disk) && /(^|[^\r])\n/.test(disk)) return 'mixes line endings, which saving it from the editor would change';
    return 'changed on disk after VS Code read it, and saving would overwrite that change';
  }

  private async exists(uri: vscode.Uri): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(uri);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Apply the bibliography edit (undoable) and save the file so LaTeX sees it; false when
   * nothing was written. A buffer that had unsaved edits gets the entries but is not saved
   * (that would save the user's edits too). A file that changed on disk after VS Code read
   * it is left alone, never overwritten.
   */
  async applyBibChange(change: BibChange): Promise<boolean> {
    if (change.edit.size === 0) return true;
    const name = vscode.workspace.asRelativePath(change.uri);
    // The .bib may have changed since the plan (typing, a reload from disk): plan again
    // against its text as it is now, and append at its end, never at a stale position.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === change.uri.toString());
    let edit = change.edit;
    if (open && change.version !== undefined && open.version !== change.version) {
      const again = planBibAppend(open.getText(), change.requests, { otherBibliographies: change.otherBibliographies });
      if (again.keys.join('\n') !== change.keys.join('\n')) {
        void this.log.showWarning(`${name} changed while Paper Shelf was citing, and the keys it would add no longer fit; nothing was added to it. Cite again.`);
        return false;
      }
      if (!again.insertText) return true;
      edit = new vscode.WorkspaceEdit();
      edit.insert(change.uri, open.lineAt(open.lineCount - 1).range.end, again.insertText);
    }
    const problem = open && !open.isDirty ? await this.bibWriteProblem(change.uri, open.getText()) : undefined;
    if (problem) {
      void this.log.showWarning(`${name} ${problem}. Paper Shelf added nothing to it; cite again once the editor shows the file as it is.`);
      return false;
    }
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) {
      void this.log.showError(`Paper Shelf could not add the entries to ${name}.`);
      return false;
    }
    const bibDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === change.uri.toString());
    if (change.wasDirty) {
      void vscode.window.showInformationMessage(`Paper Shelf added the entries to ${name}, which has unsaved changes of yours: save it for LaTeX to see them.`);
    } else if (bibDoc?.isDirty && !(await bibDoc.save())) {
      void this.log.showWarning(`Paper Shelf added the entries to ${name} but could not save it: save it yourself for LaTeX to see them.`);
    }
    return true;
  }

  /** Dragging papers from the tree into an editor inserts their citation (and syncs the .bib). */
  async provideDocumentDropEdits(
    doc: vscode.TextDocument,
    position: vscode.Position,
    dataTransfer: vscode.DataTransfer,
    token: vscode.CancellationToken,
  ): Promise<vscode.DocumentDropEdit | undefined> {
    const item = dataTransfer.get(DRAG_MIME);
    if (!item) return undefined;
    let keys: unknown;
    try {
      keys = JSON.parse(await item.asString());
    } catch {
      return undefined;
    }
    if (!Array.isArray(keys) || token.isCancellationRequested) return undefined;
    const papers = keys.map((k) => (typeof k === 'string' ? this.library.snapshot.get(k) : undefined)).filter((p): p is Paper => !!p);
    if (!papers.length) return undefined;
    const style = this.styleOf(doc);
    const change = style === 'plain' ? undefined : await this.prepareBibChange(doc, papers, false);
    const cited = change?.keys ?? papers.map((p) => p.key);
    const offset = doc.offsetAt(position);
    const edits = planCitationInsert(doc.getText(), [offset], cited, style, this.citeOptions());
    // A plain insertion at the drop point is the drop's own text; anything else (a merge
    // into the citation under the drop point) goes into the additional edit.
    const [first] = edits;
    const simple = edits.length === 1 && first.offset === offset && first.deleteLength === 0;
    const drop = new vscode.DocumentDropEdit(simple ? first.insert : '');
    const additional = change && change.edit.size > 0 ? change.edit : new vscode.WorkspaceEdit();
    if (!simple) {
      for (const e of edits) additional.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.deleteLength)), e.insert);
    }
    if (additional.size > 0) drop.additionalEdit = additional;
    if (change?.insertText && !change.wasDirty) this.saveWhenChanged(change);
    this.report({ keys: cited, bibliography: change?.uri.toString(), added: change?.added ?? [], renamed: change?.renamed ?? [] }, change?.names);
    return drop;
  }

  /**
   * A drop applies its edit after we return: save the .bib once exactly our entries are
   * in (not on some other edit of the user's; a cancelled drop saves nothing).
   */
  private saveWhenChanged(change: BibChange): void {
    const done = () => {
      sub.dispose();
      clearTimeout(timer);
      this.pendingSaves.delete(done);
    };
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== change.uri.toString()) return;
      if (!e.contentChanges.some((c) => c.text === change.insertText)) return;
      done();
      setTimeout(() => void e.document.save(), 0);
    });
    const timer = setTimeout(done, 10000);
    this.pendingSaves.add(done);
  }

  dispose(): void {
    for (const done of [...this.pendingSaves]) done();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
