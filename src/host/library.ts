import * as vscode from 'vscode';
import type { Paper, ReadResult } from '../core/model';
import { mergeSources, type MergedLibrary, type SourceKind, type SourceResult } from '../core/library';
import { SearchIndex } from '../core/search';
import { capturedFromManifest, inputKind, parseSource } from '../core/sources';
import type { Config } from './config';
import type { Log } from './log';

/** One file the library reads. */
export interface SourceSpec {
  uri: vscode.Uri;
  kind: SourceKind;
  /** Capture date (YYYY-MM-DD) for listings; resolves yearless dates. */
  captured?: string;
  /** Where the source came from, for messages. */
  origin: 'bundled' | 'setting' | 'document';
}

/** An immutable view of the library at one moment. */
export class LibrarySnapshot {
  readonly index: SearchIndex;
  constructor(readonly merged: MergedLibrary, readonly loading: boolean) {
    this.index = new SearchIndex(merged.papers);
  }
  get papers(): readonly Paper[] {
    return this.merged.papers;
  }
  get(key: string): Paper | undefined {
    return this.merged.byKey.get(key);
  }
}

/** Problems per file written to the log, and listed in the Problems panel. */
const LOGGED_PROBLEMS = 20;
const PROBLEMS_PER_FILE = 1000;
/** While loading, the library is published at most this often (and once at the end). */
const PUBLISH_INTERVAL_MS = 250;

const EMPTY: MergedLibrary = { papers: [], byKey: new Map(), diagnostics: [] };

/** The local calendar date of a timestamp, as the CLI computes a listing's capture date. */
function isoDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Reads the sources (bundled listing, `paperShelf.sources`, the bibliographies of open
 * documents) through `workspace.fs`, watches them, and re-reads only the file that
 * changed. Problems go to the Problems panel at their file and line.
 */
export class LibraryService implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<LibrarySnapshot>();
  readonly onDidChange = this.emitter.event;
  private readonly results = new Map<string, SourceResult>();
  private specs: SourceSpec[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly diagnostics: vscode.DiagnosticCollection;
  private current = new LibrarySnapshot(EMPTY, true);
  private documentSources: vscode.Uri[] = [];
  private generation = 0;
  private lastPublishAt = 0;
  /** Missing sources already shown to the user (each is shown once; the log gets every time). */
  private readonly warned = new Set<string>();
  /** Timings of the last full load (performance.now() ms), for the log and the benchmark. */
  readonly stats = { loadStartedAt: 0, firstPapersAt: 0, loadedAt: 0 };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    this.diagnostics = vscode.languages.createDiagnosticCollection('paperShelf');
  }

  get snapshot(): LibrarySnapshot {
    return this.current;
  }

  /** Resolves once the library is not loading (at once when it is not). */
  whenLoaded(): Promise<LibrarySnapshot> {
    if (!this.current.loading) return Promise.resolve(this.current);
    return new Promise((resolve) => {
      const sub = this.onDidChange((snap) => {
        if (snap.loading) return;
        sub.dispose();
        resolve(snap);
      });
    });
  }

  /** Bibliographies used by open documents; the library includes them when enabled. */
  setDocumentSources(uris: vscode.Uri[]): void {
    const key = (u: vscode.Uri[]) => u.map((x) => x.toString()).sort().join('\n');
    if (key(uris) === key(this.documentSources)) return;
    this.documentSources = uris;
    this.reload({ reread: false }).catch((e) => this.log.showError('Paper Shelf could not read a document\'s bibliography', e));
  }

  /**
   * Work out the source list and read it. `reread: false` reads only sources not read
   * yet (a document named a new .bib, a source was added): the files already read are
   * watched, so their results are current. Reload Library and a new key pattern re-read all.
   */
  async reload({ reread = true }: { reread?: boolean } = {}): Promise<void> {
    const generation = ++this.generation;
    const specs = await this.resolveSpecs();
    if (generation !== this.generation) return;
    this.specs = specs;
    const wanted = new Set(specs.map((s) => s.uri.toString()));
    for (const id of new Set([...this.watchers.keys(), ...this.results.keys()])) {
      if (wanted.has(id)) continue;
      this.watchers.get(id)?.dispose();
      this.watchers.delete(id);
      this.results.delete(id);
      this.diagnostics.delete(vscode.Uri.parse(id));
    }
    this.current = new LibrarySnapshot(this.current.merged, true);
    this.stats.loadStartedAt = performance.now();
    this.stats.firstPapersAt = 0;
    await vscode.window.withProgress(
      { location: { viewId: 'paperShelf.papers' }, title: 'Loading papers' },
      async () => {
        for (const spec of specs) {
          if (generation !== this.generation) return;
          if (!reread && this.results.has(spec.uri.toString())) continue;
          await this.readSource(spec, () => generation === this.generation);
          if (generation !== this.generation) return;
          this.watch(spec);
          // The tree fills as sources arrive, but merging and indexing everything again
          // after each of thirty small files would cost more than reading them.
          if (performance.now() - this.lastPublishAt > PUBLISH_INTERVAL_MS) this.publish(true);
        }
      },
    );
    if (generation !== this.generation) return;
    this.publish(false);
    this.stats.loadedAt = performance.now();
    this.log.info(`Library: ${this.current.papers.length} papers from ${specs.length} sources in ${(this.stats.loadedAt - this.stats.loadStartedAt).toFixed(0)} ms`);
  }

  private async resolveSpecs(): Promise<SourceSpec[]> {
    const specs: SourceSpec[] = [];
    const seen = new Set<string>();
    const add = (s: SourceSpec) => {
      const id = s.uri.toString();
      if (!seen.has(id)) {
        seen.add(id);
        specs.push(s);
      }
    };
    for (const entry of this.config.sources) {
      for (const uri of await this.expandSetting(entry)) add({ uri, kind: inputKind(uri.path), origin: 'setting' });
    }
    if (this.config.includeDocumentBibliographies) {
      for (const uri of this.documentSources) add({ uri, kind: inputKind(uri.path), origin: 'document' });
    }
    if (this.config.includeBundledLibrary) for (const s of await this.bundledSpecs()) add(s);
    return specs;
  }

  /** The listings that ship in `seeds/`, with the capture dates from its manifest. */
  private async bundledSpecs(): Promise<SourceSpec[]> {
    const seeds = vscode.Uri.joinPath(this.extensionUri, 'seeds');
    try {
      const raw = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(seeds, 'manifest.json')));
      const files = (JSON.parse(raw) as { listings?: { file?: unknown }[] }).listings?.map((l) => l.file) ?? [];
      const specs: SourceSpec[] = [];
      for (const file of files) {
        if (typeof file !== 'string') continue;
        const { captured, problem } = capturedFromManifest(raw, file);
        if (problem) this.log.error(`seeds/manifest.json: ${problem}`);
        specs.push({ uri: vscode.Uri.joinPath(seeds, file), kind: 'listing', captured: captured ?? isoDate(Date.now()), origin: 'bundled' });
      }
      return specs;
    } catch (e) {
      this.log.error(`Could not read the bundled library manifest: ${String(e)}`);
      return [];
    }
  }

  /** A `paperShelf.sources` entry: a file, a folder (its .bib/.json files) or a glob, relative to the workspace. */
  private async expandSetting(entry: string): Promise<vscode.Uri[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (/[*?[\]{}]/.test(entry)) {
      const found: vscode.Uri[] = [];
      for (const f of folders) found.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(f, entry))));
      if (found.length === 0) this.log.warn(`paperShelf.sources: "${entry}" matches no file`);
      return found.sort((a, b) => a.toString().localeCompare(b.toString()));
    }
    const isAbsolute = /^([a-zA-Z]:[\\/]|\/|\\\\)/.test(entry);
    const expanded = entry.startsWith('~/') && process.env.HOME ? process.env.HOME + entry.slice(1) : entry;
    const candidates = isAbsolute || expanded !== entry ? [vscode.Uri.file(expanded)] : folders.map((f) => vscode.Uri.joinPath(f.uri, entry));
    for (const uri of candidates) {
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.Directory) {
          const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*.{bib,bibtex,json}'));
          return found.sort((a, b) => a.toString().localeCompare(b.toString()));
        }
        return [uri];
      } catch {
        // try the next workspace folder
      }
    }
    this.log.warn(`paperShelf.sources: "${entry}" was not found`);
    if (!this.warned.has(entry)) {
      this.warned.add(entry);
      void this.log.showWarning(`Paper Shelf: the source "${entry}" in paperShelf.sources was not found.`);
    }
    return [];
  }

  /**
   * Read one source and record its papers and problems; `current()` says whether the
   * read is still wanted when it finishes (a newer reload or re-read supersedes it).
   */
  private async readSource(spec: SourceSpec, current: () => boolean = () => true): Promise<void> {
    const id = spec.uri.toString();
    const label = spec.uri.scheme === 'file' ? spec.uri.fsPath : id;
    const started = Date.now();
    let result: ReadResult;
    try {
      const bytes = await vscode.workspace.fs.readFile(spec.uri);
      const text = new TextDecoder('utf-8').decode(bytes);
      let captured = spec.captured;
      if (spec.kind === 'listing' && !captured) captured = isoDate((await vscode.workspace.fs.stat(spec.uri)).mtime);
      result = parseSource(spec.kind, text, { file: label, captured: captured ?? isoDate(Date.now()), keyPattern: this.config.keyPattern });
    } catch (e) {
      if (!current()) return;
      this.results.delete(id);
      this.diagnostics.delete(spec.uri);
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound' && spec.origin === 'document') {
        // A document may name a .bib it has not created yet: nothing to read, nothing wrong.
        this.log.info(`${label} does not exist (yet); a document names it as its bibliography`);
      } else {
        void this.log.showError(`Paper Shelf could not read ${label}`, e);
      }
      return;
    }
    if (!current()) return;
    this.results.set(id, { file: label, kind: spec.kind, result });
    const shown = result.diagnostics.slice(0, PROBLEMS_PER_FILE);
    const problems = shown.map((d) => {
        const line = Math.max(0, d.line - 1);
        const col = Math.max(0, (d.column ?? 1) - 1);
        const diag = new vscode.Diagnostic(
          new vscode.Range(line, col, line, col + 1000),
          d.message,
          d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
        );
        diag.source = 'Paper Shelf';
        return diag;
      });
    if (result.diagnostics.length > shown.length) {
      // Tens of thousands of entries (a file repeating every key) would swamp the Problems panel.
      const more = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        `${result.diagnostics.length - shown.length} more problems in this file are not listed; the first ${shown.length} are.`,
        vscode.DiagnosticSeverity.Information,
      );
      more.source = 'Paper Shelf';
      problems.push(more);
    }
    this.diagnostics.set(spec.uri, problems);
    // The Problems panel lists the first thousand; the log gets the first few (thousands
    // of log lines would cost more than reading the file).
    for (const d of result.diagnostics.slice(0, LOGGED_PROBLEMS)) this.log.warn(`${label}:${d.line}: ${d.message}`);
    if (result.diagnostics.length > LOGGED_PROBLEMS) {
      this.log.warn(`${label}: ${result.diagnostics.length - LOGGED_PROBLEMS} more problems (see the Problems panel)`);
    }
    this.log.info(`Read ${result.papers.length} papers from ${label} in ${Date.now() - started} ms`);
  }

  private watch(spec: SourceSpec): void {
    const id = spec.uri.toString();
    if (this.watchers.has(id) || spec.origin === 'bundled') return;
    const slash = spec.uri.path.lastIndexOf('/');
    const dir = spec.uri.with({ path: spec.uri.path.slice(0, slash) || '/' });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, spec.uri.path.slice(slash + 1)));
    let sequence = 0;
    const reread = async () => {
      const current = this.specs.find((s) => s.uri.toString() === id);
      if (!current) return;
      // Two changes in a row: only the last read counts.
      const mine = ++sequence;
      await this.readSource(current, () => mine === sequence && this.watchers.has(id));
      if (mine === sequence) this.publish(this.current.loading);
    };
    watcher.onDidChange(reread);
    watcher.onDidCreate(reread);
    watcher.onDidDelete(() => {
      this.results.delete(id);
      this.diagnostics.delete(spec.uri);
      this.log.warn(`${spec.uri.fsPath} was deleted; its papers are gone from the library`);
      this.publish(this.current.loading);
    });
    this.watchers.set(id, watcher);
  }

  private publish(loading: boolean): void {
    const ordered = this.specs.map((s) => this.results.get(s.uri.toString())).filter((r): r is SourceResult => !!r);
    const merged = mergeSources(ordered);
    if (!loading) {
      // Once per load, not at every publish.
      const duplicates = merged.diagnostics.filter((d) => /^Duplicate key/.test(d.message));
      for (const d of duplicates.slice(0, LOGGED_PROBLEMS)) this.log.warn(`${d.file}:${d.line}: ${d.message}`);
      if (duplicates.length > LOGGED_PROBLEMS) this.log.warn(`${duplicates.length - LOGGED_PROBLEMS} more keys are used by two entries`);
    }
    this.current = new LibrarySnapshot(merged, loading);
    this.lastPublishAt = performance.now();
    if (!this.stats.firstPapersAt && merged.papers.length) this.stats.firstPapersAt = performance.now();
    this.emitter.fire(this.current);
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.diagnostics.dispose();
    this.emitter.dispose();
  }
}
