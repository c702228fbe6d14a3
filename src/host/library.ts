import * as os from 'os';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { mergeSteps, type MergedLibrary, type SourceKind, type SourceResult } from '../core/library';
import { SearchIndex } from '../core/search';
import { capturedFromManifest, inputKind } from '../core/sources';
import { globDepth, globToRegExp, isGlob, splitGlob } from '../core/glob';
import type { Config } from './config';
import type { Log } from './log';
import { SourceParser, type ParseOutcome } from './parser';

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
  /** `index`: the search index of `merged`, when one exists already. */
  constructor(
    readonly merged: MergedLibrary,
    readonly loading: boolean,
    readonly index = new SearchIndex(merged.papers),
  ) {}
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
/** While loading, the library is published at most this often (and once at the end)… */
const PUBLISH_INTERVAL_MS = 250;
/** …and, for a big library, after waiting this many times what the last publish cost the host's thread. */
const PUBLISH_COST_FACTOR = 4;
/** Work spread over the host's event loop (merging, building the search index) runs in turns of about this long. */
const SLICE_MS = 8;
/** Reads kept in `stats.reads`. */
const READS_KEPT = 200;
/** An absolute glob's walk looks at no more files and folders than this. */
const MAX_GLOB_ENTRIES = 20_000;

/** One read of a source, as `stats.reads` records it. */
export interface SourceReadStats {
  file: string;
  /** Where the file was parsed. */
  thread: 'worker' | 'host';
  bytes: number;
  papers: number;
  /** Decoding and parsing, on whichever thread did it. */
  parseMs: number;
}

/** Run a generator's steps in turns of the event loop of about SLICE_MS; `undefined` once `wanted()` turns false. */
async function inSlices<T>(steps: Generator<void, T, void>, wanted: () => boolean, busy: { ms: number }): Promise<T | undefined> {
  for (;;) {
    const start = performance.now();
    let step = steps.next();
    while (!step.done && performance.now() - start < SLICE_MS) step = steps.next();
    busy.ms += performance.now() - start;
    if (step.done) return step.value;
    await nextTurn();
    if (!wanted()) return undefined;
  }
}

/** Let the event loop run whatever is waiting. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function baseName(label: string): string {
  return label.slice(Math.max(label.lastIndexOf('/'), label.lastIndexOf('\\')) + 1);
}

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
  /** Results of first reads still arriving: the papers so far. */
  private readonly partial = new Set<SourceResult>();
  private specs: SourceSpec[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly diagnostics: vscode.DiagnosticCollection;
  private readonly parser: SourceParser;
  private current = new LibrarySnapshot(EMPTY, true);
  private documentSources: vscode.Uri[] = [];
  private generation = 0;
  /**
   * A re-read of every source was asked for and no load has finished one since. A newer
   * reload supersedes an older one, so a partial reload (a document named a new .bib)
   * started while a full one runs must carry the re-read on.
   */
  private rereadPending = false;
  private loading = true;
  private progress: vscode.Progress<{ message?: string }> | undefined;
  /** Files that could not be read during the current load: shown in one message at its end. */
  private loadFailures: string[] | undefined;
  private publishTicket = 0;
  private publishing = false;
  private lastPublishAt = 0;
  private lastPublishCostMs = 0;
  /** Missing sources already shown to the user (each is shown once; the log gets every time). */
  private readonly warned = new Set<string>();
  /** Unreadable files already shown outside a load, until they read again. */
  private readonly shownFailures = new Set<string>();
  /** Timings of the last full load (performance.now() ms) and of reads, for the log, the benchmark and the tests. */
  readonly stats = {
    loadStartedAt: 0,
    firstPapersAt: 0,
    loadedAt: 0,
    /** Longest the extension host's thread was busy at a stretch during the last load (ms; measured with 10 ms resolution, whoever kept it busy). */
    longestBlockMs: 0,
    /** The latest reads of sources, oldest first. */
    reads: [] as SourceReadStats[],
    /** Error messages shown to the user, oldest first. */
    errorMessages: [] as string[],
  };

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
    private readonly log: Log,
  ) {
    this.diagnostics = vscode.languages.createDiagnosticCollection('paperShelf');
    const worker = extensionUri.scheme === 'file' ? vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath : undefined;
    this.parser = new SourceParser(worker, log);
  }

  get snapshot(): LibrarySnapshot {
    return this.current;
  }

  /** Whether the file is one the library reads (a configured source or a document's bibliography). */
  isSource(uri: vscode.Uri): boolean {
    const id = uri.toString();
    return this.specs.some((s) => s.uri.toString() === id);
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

  /** The bibliographies of open documents, as last set. */
  get documentBibliographies(): readonly vscode.Uri[] {
    return this.documentSources;
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
   * Big files are parsed off the extension host's thread, and the tree fills as papers arrive.
   * A reload that fails ends the load all the same (with what was read) and says why, so
   * that nothing waits for the library for ever.
   */
  async reload({ reread = true }: { reread?: boolean } = {}): Promise<void> {
    const generation = ++this.generation;
    const wanted = () => generation === this.generation;
    if (reread) this.rereadPending = true;
    const rereadAll = this.rereadPending;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    let resolved = false;
    try {
      const specs = await this.resolveSpecs();
      resolved = true;
      if (!wanted()) return;
      this.specs = specs;
      this.forgetUnwanted(new Set(specs.map((s) => s.uri.toString())));
      this.loading = true;
      this.current = new LibrarySnapshot(this.current.merged, true, this.current.index);
      this.stats.loadStartedAt = performance.now();
      this.stats.firstPapersAt = 0;
      const failures: string[] = [];
      this.loadFailures = failures;
      await vscode.window.withProgress({ location: { viewId: 'paperShelf.papers' } }, () =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Paper Shelf' }, async (progress) => {
          this.progress = progress;
          for (const spec of specs) {
            if (!wanted()) return;
            const known = this.results.get(spec.uri.toString());
            if (!rereadAll && known && !this.partial.has(known)) continue;
            await this.readSource(spec, wanted);
            if (!wanted()) return;
            this.watch(spec);
            // The tree fills as sources arrive, but merging and indexing everything again
            // after each of thirty small files would cost more than reading them.
            this.publishProgress();
          }
        }),
      );
      if (!wanted()) return;
      if (rereadAll) this.rereadPending = false;
      this.progress = undefined;
      this.loadFailures = undefined;
      this.loading = false;
      await this.publish();
      if (!wanted()) return;
      this.stats.loadedAt = performance.now();
      this.stats.longestBlockMs = lag.max / 1e6;
      this.log.info(
        `Library: ${this.current.papers.length} papers from ${specs.length} sources in ${(this.stats.loadedAt - this.stats.loadStartedAt).toFixed(0)} ms ` +
          `(the extension host was busy at most ${this.stats.longestBlockMs.toFixed(0)} ms at a stretch)`,
      );
      if (failures.length) this.showError(failures.length === 1 ? failures[0] : `${failures[0]} (and ${failures.length - 1} more: see the log)`);
    } catch (e) {
      const what = resolved ? 'could not load the library' : 'could not work out the files to read from the paperShelf.sources setting';
      this.log.error(`Paper Shelf ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      // A newer reload owns the state (and says what went wrong with it).
      if (!wanted()) return;
      this.progress = undefined;
      this.loadFailures = undefined;
      this.loading = false;
      await this.publish();
      this.showError(`Paper Shelf ${what}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      lag.disable();
    }
  }

  /** Drop what belongs to sources no longer in the list, and what superseded reads left half done. */
  private forgetUnwanted(wanted: Set<string>): void {
    for (const [id, result] of this.results) if (this.partial.has(result)) this.results.delete(id);
    this.partial.clear();
    for (const id of new Set([...this.watchers.keys(), ...this.results.keys()])) {
      if (wanted.has(id)) continue;
      this.watchers.get(id)?.dispose();
      this.watchers.delete(id);
      this.results.delete(id);
      this.diagnostics.delete(vscode.Uri.parse(id));
    }
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

  /**
   * A `paperShelf.sources` entry: a file, a folder (its .bib/.json files) or a glob,
   * relative to the workspace folders, or absolute (`~/` for the home folder).
   */
  private async expandSetting(entry: string): Promise<vscode.Uri[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const isAbsolute = /^([a-zA-Z]:[\\/]|\/|\\\\)/.test(entry);
    const expanded = /^~[\\/]/.test(entry) ? os.homedir() + entry.slice(1) : entry;
    if (isGlob(entry)) {
      let found: vscode.Uri[] = [];
      try {
        if (isAbsolute || expanded !== entry) {
          found = await this.matchGlob(expanded);
        } else {
          for (const f of folders) found.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(f, entry))));
        }
      } catch (e) {
        this.warnSource(entry, `is not a glob Paper Shelf can read: ${e instanceof Error ? e.message : String(e)}`);
        return [];
      }
      if (found.length === 0) this.warnSource(entry, 'matches no file');
      return found.sort((a, b) => a.toString().localeCompare(b.toString()));
    }
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
    this.warnSource(entry, 'was not found');
    return [];
  }

  /** Logs a `paperShelf.sources` entry that gives no file, and shows it once. */
  private warnSource(entry: string, problem: string): void {
    this.log.warn(`paperShelf.sources: "${entry}" ${problem}`);
    if (!this.warned.has(entry)) {
      this.warned.add(entry);
      void this.log.showWarning(`Paper Shelf: the source "${entry}" in paperShelf.sources ${problem}.`);
    }
  }

  /**
   * The files an absolute glob matches, found by walking from the folder it starts in
   * (`findFiles` searches workspace folders only). Hidden folders, `node_modules` and
   * symbolic links to folders are not entered, and the walk stops after MAX_GLOB_ENTRIES.
   */
  private async matchGlob(glob: string): Promise<vscode.Uri[]> {
    const { base, pattern } = splitGlob(glob);
    const matcher = globToRegExp(pattern);
    const depth = globDepth(pattern);
    const found: vscode.Uri[] = [];
    let seen = 0;
    const walk = async (dir: vscode.Uri, rel: string, level: number): Promise<void> => {
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch {
        return;
      }
      for (const [name, type] of entries) {
        if (++seen > MAX_GLOB_ENTRIES) return;
        const path = rel ? `${rel}/${name}` : name;
        if (type & vscode.FileType.Directory) {
          const enter = level + 1 < depth && !(type & vscode.FileType.SymbolicLink) && !name.startsWith('.') && name !== 'node_modules';
          if (enter) await walk(vscode.Uri.joinPath(dir, name), path, level + 1);
        } else if (matcher.test(path)) {
          found.push(vscode.Uri.joinPath(dir, name));
        }
      }
    };
    await walk(vscode.Uri.file(base), '', 0);
    if (seen > MAX_GLOB_ENTRIES) this.log.warn(`paperShelf.sources: "${glob}": stopped looking after ${MAX_GLOB_ENTRIES} files and folders`);
    return found;
  }

  /**
   * Read one source and record its papers and problems; `wanted()` says whether the read
   * is still wanted (a newer reload or re-read supersedes it). A source read for the first
   * time joins the library chunk by chunk; a re-read replaces the old papers when complete.
   */
  private async readSource(spec: SourceSpec, wanted: () => boolean = () => true): Promise<void> {
    const id = spec.uri.toString();
    const label = spec.uri.scheme === 'file' ? spec.uri.fsPath : id;
    const name = baseName(label);
    const started = performance.now();
    const known = this.results.get(id);
    const first = !known || this.partial.has(known);
    let partial: SourceResult | undefined;
    let arrived = 0;
    this.progress?.report({ message: `reading ${name}…` });
    let outcome: ParseOutcome | undefined;
    try {
      let captured = spec.captured;
      const local = spec.uri.scheme === 'file';
      const stat = local || (spec.kind === 'listing' && !captured) ? await vscode.workspace.fs.stat(spec.uri) : undefined;
      if (spec.kind === 'listing' && !captured && stat) captured = isoDate(stat.mtime);
      const request = { kind: spec.kind, file: label, captured: captured ?? isoDate(Date.now()), keyPattern: this.config.keyPattern };
      outcome = await this.parser.parse(() => vscode.workspace.fs.readFile(spec.uri), request, {
        wanted,
        local: local && stat ? { path: spec.uri.fsPath, size: stat.size } : undefined,
        onPapers: (papers) => {
          arrived += papers.length;
          this.progress?.report({ message: `${name}: ${arrived.toLocaleString('en-US')} papers` });
          if (!first) return;
          if (!partial) {
            partial = { file: label, kind: spec.kind, result: { papers: [], diagnostics: [] } };
            this.results.set(id, partial);
            this.partial.add(partial);
          }
          for (const p of papers) partial.result.papers.push(p);
          this.publishProgress();
        },
      });
    } catch (e) {
      if (!wanted()) return;
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound' && spec.origin === 'document') {
        // A document may name a .bib it has not created yet: nothing to read, nothing wrong.
        this.forget(id, spec.uri);
        this.log.info(`${label} does not exist (yet); a document names it as its bibliography`);
      } else {
        this.failed(spec, label, e instanceof Error ? e.message : String(e));
      }
      return;
    } finally {
      // What a superseded first read showed goes; a finished one is replaced below.
      if (partial && this.partial.delete(partial) && this.results.get(id) === partial && !wanted()) this.results.delete(id);
    }
    if (!outcome || !wanted()) return;
    this.recordRead({ file: label, thread: outcome.thread, bytes: outcome.bytes, papers: outcome.ok ? outcome.result.papers.length : 0, parseMs: outcome.ok ? outcome.parseMs : 0 });
    if (!outcome.ok) {
      this.failed(spec, label, outcome.problem);
      return;
    }
    this.shownFailures.delete(label);
    const { result } = outcome;
    this.results.set(id, { file: label, kind: spec.kind, result });
    this.diagnostics.set(spec.uri, this.problems(result.diagnostics));
    // The Problems panel lists the first thousand; the log gets the first few (thousands
    // of log lines would cost more than reading the file).
    for (const d of result.diagnostics.slice(0, LOGGED_PROBLEMS)) this.log.warn(`${label}:${d.line}: ${d.message}`);
    if (result.diagnostics.length > LOGGED_PROBLEMS) {
      this.log.warn(`${label}: ${result.diagnostics.length - LOGGED_PROBLEMS} more problems (see the Problems panel)`);
    }
    if (outcome.empty) this.log.info(`${label} is empty: no papers in it yet`);
    else {
      const where = outcome.thread === 'worker' ? 'parsed in a worker' : 'parsed on the extension host';
      this.log.info(`Read ${result.papers.length} papers from ${label} in ${(performance.now() - started).toFixed(0)} ms (${where} in ${outcome.parseMs.toFixed(0)} ms)`);
    }
  }

  /** A source's diagnostics for the Problems panel: the first thousand, and a line saying how many more. */
  private problems(diagnostics: readonly { line: number; column?: number; message: string; severity?: 'error' | 'warning' }[]): vscode.Diagnostic[] {
    const shown = diagnostics.slice(0, PROBLEMS_PER_FILE);
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
    if (diagnostics.length > shown.length) {
      // Tens of thousands of entries (a file repeating every key) would swamp the Problems panel.
      const more = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        `${diagnostics.length - shown.length} more problems in this file are not listed; the first ${shown.length} are.`,
        vscode.DiagnosticSeverity.Information,
      );
      more.source = 'Paper Shelf';
      problems.push(more);
    }
    return problems;
  }

  private forget(id: string, uri: vscode.Uri): void {
    this.results.delete(id);
    this.diagnostics.delete(uri);
  }

  private recordRead(read: SourceReadStats): void {
    this.stats.reads.push(read);
    if (this.stats.reads.length > READS_KEPT) this.stats.reads.splice(0, this.stats.reads.length - READS_KEPT);
  }

  /**
   * A file that could not be read: no papers from it and an error in the Problems panel,
   * until it changes or the library is reloaded; logged, and shown in one message at the
   * end of a load, or at once outside a load (once per file until it reads again).
   */
  private failed(spec: SourceSpec, label: string, problem: string): void {
    this.results.set(spec.uri.toString(), { file: label, kind: spec.kind, result: { papers: [], diagnostics: [] } });
    const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `Paper Shelf read nothing from this file: ${problem}`, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Paper Shelf';
    this.diagnostics.set(spec.uri, [diagnostic]);
    const message = `Paper Shelf could not read ${label}: ${problem}`;
    if (this.loadFailures) {
      this.log.error(message);
      this.loadFailures.push(message);
    } else if (!this.shownFailures.has(label)) {
      this.shownFailures.add(label);
      this.showError(message);
    } else {
      this.log.error(message);
    }
  }

  private showError(message: string): void {
    this.stats.errorMessages.push(message);
    void this.log.showError(message);
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
      if (mine === sequence) await this.publish();
    };
    watcher.onDidChange(reread);
    watcher.onDidCreate(reread);
    watcher.onDidDelete(() => {
      this.forget(id, spec.uri);
      this.log.warn(`${spec.uri.fsPath} was deleted; its papers are gone from the library`);
      void this.publish();
    });
    this.watchers.set(id, watcher);
  }

  /** Publish while loading, unless a publish is running or the last one was too recent for what it cost. */
  private publishProgress(): void {
    const wait = Math.max(PUBLISH_INTERVAL_MS, PUBLISH_COST_FACTOR * this.lastPublishCostMs);
    if (this.publishing || performance.now() - this.lastPublishAt < wait) return;
    void this.publish();
  }

  /**
   * Merge the results into a new snapshot and announce it. The merge runs in slices on
   * the event loop; a newer publish supersedes one still running.
   */
  private async publish(): Promise<void> {
    const ticket = ++this.publishTicket;
    const wanted = () => ticket === this.publishTicket;
    const loading = this.loading;
    this.publishing = true;
    try {
      // Copies of the paper lists: a source still arriving grows its list meanwhile.
      const ordered = this.specs
        .map((s) => this.results.get(s.uri.toString()))
        .filter((r): r is SourceResult => !!r)
        .map((r) => ({ ...r, result: { papers: r.result.papers.slice(), diagnostics: r.result.diagnostics } }));
      const busy = { ms: 0 };
      const merged = await inSlices(mergeSteps(ordered), wanted, busy);
      if (!merged) return;
      let start = performance.now();
      const snapshot = new LibrarySnapshot(merged, loading);
      busy.ms += performance.now() - start;
      await nextTurn();
      if (!wanted()) return;
      start = performance.now();
      if (!loading) this.logDuplicates(merged);
      this.current = snapshot;
      if (!this.stats.firstPapersAt && merged.papers.length) this.stats.firstPapersAt = performance.now();
      this.emitter.fire(snapshot);
      busy.ms += performance.now() - start;
      this.lastPublishCostMs = busy.ms;
      this.lastPublishAt = performance.now();
      if (!loading) void this.prepareSearch(snapshot);
    } finally {
      if (wanted()) this.publishing = false;
    }
  }

  /**
   * Build the search index of a loaded library in slices on the event loop, so that the
   * first filter or completion does not build it all at once. Stops when the snapshot is
   * replaced.
   */
  private async prepareSearch(snapshot: LibrarySnapshot): Promise<void> {
    while (this.current === snapshot && !snapshot.index.prepare(SLICE_MS)) await nextTurn();
  }

  /** Keys used by two entries, once per load (not at every publish). */
  private logDuplicates(merged: MergedLibrary): void {
    const duplicates = merged.diagnostics.filter((d) => /^Duplicate key/.test(d.message));
    for (const d of duplicates.slice(0, LOGGED_PROBLEMS)) this.log.warn(`${d.file}:${d.line}: ${d.message}`);
    if (duplicates.length > LOGGED_PROBLEMS) this.log.warn(`${duplicates.length - LOGGED_PROBLEMS} more keys are used by two entries`);
  }

  dispose(): void {
    this.generation++;
    this.publishTicket++;
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.diagnostics.dispose();
    this.emitter.dispose();
  }
}
