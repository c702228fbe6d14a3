/**
 * Virtual workspaces and Restricted Mode (issue #7, item 7). The manifest declares
 * `virtualWorkspaces: true` and limited support in untrusted workspaces; these tests make
 * the behaviour behind those declarations true in the real editor: a document and its
 * .bib on a non-`file` file system are read and written through `workspace.fs`, and in
 * Restricted Mode nothing is appended outside the workspace.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { bibTargetRefusal } from '../../src/host/cite';
import { api, closeAllEditors, eventually, workspaceDir } from './util';

const SCHEME = 'papershelf-memfs';

/** A minimal in-memory file system, standing in for a virtual workspace's provider. */
class MemFs implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: 0, mtime: f.mtime, size: f.data.length };
    if ([...this.files.keys()].some((k) => k.startsWith(`${uri.path.replace(/\/$/, '')}/`))) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }

  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = `${uri.path.replace(/\/$/, '')}/`;
    return [...this.files.keys()].filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).map((k) => [k.slice(prefix.length), vscode.FileType.File]);
  }

  createDirectory(): void {}

  readFile(uri: vscode.Uri): Uint8Array {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    return f.data;
  }

  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    const existed = this.files.has(uri.path);
    this.files.set(uri.path, { data: content, mtime: Date.now() });
    this.emitter.fire([{ type: existed ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.path);
    this.emitter.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('rename');
  }

  text(p: string): string {
    return new TextDecoder().decode(this.readFile(vscode.Uri.from({ scheme: SCHEME, path: p })));
  }
}

describe('Virtual workspaces and Restricted Mode', () => {
  const memfs = new MemFs();
  let registration: vscode.Disposable | undefined;
  before(async () => {
    await api();
    registration = vscode.workspace.registerFileSystemProvider(SCHEME, memfs, { isCaseSensitive: true });
  });
  after(async () => {
    await closeAllEditors();
    registration?.dispose();
  });

  it('reads a .bib and appends to it on a non-file file system', async () => {
    const a = await api();
    const bib = '@article{virtual2024paper,\n  title = {Papers on a Virtual File System},\n  author = {Doe, Jane},\n  year = 2024\n}\n';
    memfs.writeFile(vscode.Uri.from({ scheme: SCHEME, path: '/proj/refs.bib' }), new TextEncoder().encode(bib));
    memfs.writeFile(vscode.Uri.from({ scheme: SCHEME, path: '/proj/main.tex' }), new TextEncoder().encode('See .\n\\bibliography{refs}\n'));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path: '/proj/main.tex' }));
    const editor = await vscode.window.showTextDocument(doc);
    await eventually(() => a.library.snapshot.get('virtual2024paper'), 'the virtual .bib’s entry to load', 15000);

    editor.selection = new vscode.Selection(0, 4, 0, 4);
    const r = await vscode.commands.executeCommand<{ added: string[]; bibliography?: string }>('paperShelf.insertCitation', ['zhou2026hidden']);
    assert.deepStrictEqual(r?.added, ['zhou2026hidden']);
    assert.strictEqual(r?.bibliography, `${SCHEME}:/proj/refs.bib`);
    assert.strictEqual(doc.lineAt(0).text, 'See \\cite{zhou2026hidden}.');
    const written = await eventually(() => {
      const t = memfs.text('/proj/refs.bib');
      return t.length > bib.length && t;
    }, 'the entry saved to the virtual .bib');
    assert.ok(written.startsWith(bib), 'the old content stays as it was');
    assert.match(written.slice(bib.length), /@\w+\{zhou2026hidden,/);
    assert.ok(await doc.save(), 'the document saves through the provider too');
    assert.match(memfs.text('/proj/main.tex'), /\\cite\{zhou2026hidden\}/);
  });

  it('in Restricted Mode appends only to .bib files inside the workspace', () => {
    const inside = vscode.Uri.joinPath(workspaceDir(), 'refs.bib');
    const outside = vscode.Uri.file(path.join(path.dirname(workspaceDir().fsPath), 'elsewhere', 'refs.bib'));
    assert.strictEqual(bibTargetRefusal(inside, false), undefined);
    assert.match(bibTargetRefusal(outside, false) ?? '', /outside the workspace.*Restricted Mode/);
    assert.strictEqual(bibTargetRefusal(outside, true), undefined, 'a trusted workspace may use a shared .bib elsewhere');
    assert.match(bibTargetRefusal(vscode.Uri.joinPath(workspaceDir(), '.bashrc'), true) ?? '', /not a \.bib file/);
  });

  it('never appends to a file that is not a .bib, whatever the document names', async () => {
    const dir = path.join(workspaceDir().fsPath, 'virtual-notbib');
    fs.mkdirSync(dir, { recursive: true });
    const target = path.join(dir, 'notes.txt');
    fs.writeFileSync(target, 'my notes\n');
    fs.writeFileSync(path.join(dir, 'main.tex'), 'See .\n\\addbibresource{notes.txt}\n');
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(dir, 'main.tex')));
      editor.selection = new vscode.Selection(0, 4, 0, 4);
      const r = await vscode.commands.executeCommand<{ added: string[]; bibliography?: string }>('paperShelf.insertCitation', ['zhou2026hidden']);
      assert.deepStrictEqual(r?.added, []);
      assert.strictEqual(r?.bibliography, undefined);
      assert.strictEqual(editor.document.lineAt(0).text, 'See \\cite{zhou2026hidden}.', 'the citation itself is inserted');
      assert.strictEqual(fs.readFileSync(target, 'utf8'), 'my notes\n', 'the other file is untouched');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
