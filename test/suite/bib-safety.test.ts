/**
 * A user's .bib is never damaged (issue #7, item 5): appending keeps the old content as an
 * exact byte prefix, one undo gives back the exact previous text, unsaved edits are not
 * saved behind the user's back, a file changed on disk is not overwritten, and keys that
 * would break a citation never reach the editor.
 */
import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, removeFolders, workspaceDir } from './util';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function folder(dir: string): string {
  const f = path.join(workspaceDir().fsPath, dir);
  fs.mkdirSync(f, { recursive: true });
  return f;
}

async function openTex(dir: string, bibName: string): Promise<vscode.TextEditor> {
  const file = path.join(folder(dir), 'main.tex');
  fs.writeFileSync(file, `\\documentclass{article}\n\\begin{document}\nSee .\n\\bibliography{${bibName}}\n\\end{document}\n`);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
  const at = editor.document.getText().indexOf('See ') + 4;
  editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at));
  return editor;
}

function bibDocument(file: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
}

/** Undo in the .bib's own editor, as a user would. */
async function undoIn(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('undo');
}

const VARIANTS: { name: string; bytes: Buffer }[] = [
  { name: 'UTF-8, LF', bytes: Buffer.from('% Mine\n@misc{mine2020,\n  title = {Über Ärger},\n}\n') },
  { name: 'UTF-8 with BOM', bytes: Buffer.concat([BOM, Buffer.from('@misc{mine2020,\n  title = {Über},\n}\n')]) },
  { name: 'CRLF', bytes: Buffer.from('@misc{mine2020,\r\n  title = {Mine},\r\n}\r\n') },
  { name: 'no final newline', bytes: Buffer.from('@misc{mine2020,\n  title = {Mine},\n}') },
  { name: 'BOM, CRLF, no final newline', bytes: Buffer.concat([BOM, Buffer.from('@misc{mine2020,\r\n  title = {Ünïcode},\r\n}')]) },
];

describe('A user’s .bib is never damaged', () => {
  const dirs = VARIANTS.map((_, i) => `bib-safe-${i}`).concat(['bib-safe-dirty', 'bib-safe-race', 'bib-safe-keys', 'bib-safe-flash']);
  before(api);
  afterEach(async () => {
    // Unsaved buffers would make closing the editors ask; give them back their disk text.
    for (const d of vscode.workspace.textDocuments.filter((x) => x.isDirty)) {
      await vscode.window.showTextDocument(d);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await closeAllEditors();
  });
  after(() => removeFolders(...dirs));

  VARIANTS.forEach(({ name, bytes }, i) => {
    it(`${name}: the old bytes stay an exact prefix, and one undo restores them`, async () => {
      const dir = `bib-safe-${i}`;
      const bibFile = path.join(folder(dir), 'refs.bib');
      fs.writeFileSync(bibFile, bytes);
      await openTex(dir, 'refs');
      const r = await vscode.commands.executeCommand<{ added: string[] }>('paperShelf.insertCitation', ['zhou2026hidden']);
      assert.deepStrictEqual(r?.added, ['zhou2026hidden']);
      const after = await eventually(() => {
        const b = fs.readFileSync(bibFile);
        return b.length > bytes.length && b;
      }, 'refs.bib saved with the entry');
      assert.strictEqual(sha256(after.subarray(0, bytes.length)), sha256(bytes), 'the old content is an exact byte prefix');
      const appended = after.subarray(bytes.length).toString('utf8');
      assert.match(appended, /@\w+\{zhou2026hidden,/);
      const crlf = bytes.includes('\r\n');
      assert.strictEqual(/(^|[^\r])\n/.test(appended), !crlf, crlf ? 'CRLF kept' : 'LF kept');

      const doc = bibDocument(bibFile);
      assert.ok(doc, 'the .bib is open as a document');
      await undoIn(doc);
      const oldText = bytes.subarray(bytes.subarray(0, 3).equals(BOM) ? 3 : 0).toString('utf8');
      assert.strictEqual(doc.getText(), oldText, 'one undo gives back the exact previous text');
      await doc.save();
      assert.strictEqual(sha256(fs.readFileSync(bibFile)), sha256(bytes), 'saved after the undo: the file is byte for byte what it was');
    });
  });

  it('a .bib with unsaved edits gets the entry in its buffer, is not saved, and one undo gives back the user’s text', async () => {
    const dir = 'bib-safe-dirty';
    const original = Buffer.from('@misc{mine2020,\n  title = {Mine},\n}\n');
    const bibFile = path.join(folder(dir), 'refs.bib');
    fs.writeFileSync(bibFile, original);
    const bibEditor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(bibFile));
    await bibEditor.edit((b) => b.insert(bibEditor.document.positionAt(original.length), '% a note I have not saved\n'));
    const edited = bibEditor.document.getText();
    assert.ok(bibEditor.document.isDirty);

    await openTex(dir, 'refs');
    const r = await vscode.commands.executeCommand<{ added: string[] }>('paperShelf.insertCitation', ['zhou2026hidden']);
    assert.deepStrictEqual(r?.added, ['zhou2026hidden']);
    const doc = bibEditor.document;
    assert.ok(doc.getText().startsWith(edited), 'the user’s unsaved text comes first, unchanged');
    assert.match(doc.getText().slice(edited.length), /@\w+\{zhou2026hidden,/);
    await new Promise((res) => setTimeout(res, 500));
    assert.ok(doc.isDirty, 'not saved for the user');
    assert.strictEqual(sha256(fs.readFileSync(bibFile)), sha256(original), 'nothing written to disk');
    await undoIn(doc);
    assert.strictEqual(doc.getText(), edited, 'one undo gives back the user’s unsaved text');
  });

  it('a .bib changed on disk between read and write is not overwritten', async () => {
    const a = await api();
    const dir = 'bib-safe-race';
    const original = '@misc{mine2020,\n  title = {Mine},\n}\n';
    const bibFile = path.join(folder(dir), 'refs.bib');
    fs.writeFileSync(bibFile, original);
    const tex = await openTex(dir, 'refs');
    const paper = a.library.snapshot.get('zhou2026hidden');
    assert.ok(paper);
    const change = await a.cite.prepareBibChange(tex.document, [paper], false);
    assert.ok(change?.insertText, 'an append was planned');
    // Another program (a reference manager's auto-export) rewrites the file meanwhile.
    const external = `${original}@misc{zotero2021,\n  title = {Written by another program},\n}\n`;
    fs.writeFileSync(bibFile, external);
    const applied = await a.cite.applyBibChange(change);
    await new Promise((res) => setTimeout(res, 1000));
    const disk = fs.readFileSync(bibFile, 'utf8');
    assert.ok(disk.startsWith(external), `the other program's text survives as the file's start; the file is now:\n${disk}`);
    if (applied) assert.match(disk.slice(external.length), /@\w+\{zhou2026hidden,/, 'appended after it');
    else assert.strictEqual(disk, external, 'refused: nothing written');
  });

  it('keys with characters unsafe in \\cite{} or [@…] are refused by the reader and never cited', async () => {
    const a = await api();
    const dir = 'bib-safe-keys';
    const unsafe = ['a%b2020', 'a~b2020', 'a&b2020', 'a$b2020', 'a\\b2020', 'a@b2020', 'a;b2020', 'ü2020'];
    const entries = unsafe.map((k) => `@article{${k},\n  title = {Unsafe ${k.length}},\n  author = {Doe, Jane},\n  year = 2020\n}\n`);
    const good = '@article{safe2020key,\n  title = {A Safe Key},\n  author = {Doe, Jane},\n  year = 2020\n}\n';
    const bibFile = path.join(folder(dir), 'keys.bib');
    fs.writeFileSync(bibFile, entries.join('') + good);
    const tex = await openTex(dir, 'keys');
    await eventually(() => a.library.snapshot.get('safe2020key'), 'the safe entry to load', 15000);
    const keys = a.library.snapshot.papers.map((p) => p.key);
    for (const k of unsafe) assert.ok(!keys.includes(k), `${k} is not in the library`);
    const problems = vscode.languages.getDiagnostics(vscode.Uri.file(bibFile));
    assert.deepStrictEqual(
      problems.map((d) => d.range.start.line + 1).sort((x, y) => x - y),
      unsafe.map((_, i) => i * 5 + 1),
      'one problem on the first line of each unsafe entry',
    );
    for (const d of problems) assert.match(d.message, /unsafe in \\cite\{\} or \[@…\]/);
    const before = tex.document.getText();
    for (const k of unsafe) {
      const r = await vscode.commands.executeCommand('paperShelf.insertCitation', [k]);
      assert.strictEqual(r, undefined, `${k} was not cited`);
    }
    assert.strictEqual(tex.document.getText(), before);
  });

  it('right after Insert Citation, the new key is never flagged as missing from the .bib', async () => {
    const dir = 'bib-safe-flash';
    fs.writeFileSync(path.join(folder(dir), 'refs.bib'), '@misc{mine2020,\n  title = {Mine},\n}\n');
    const tex = await openTex(dir, 'refs');
    await vscode.commands.executeCommand('paperShelf.insertCitation', ['zhou2026hidden']);
    const seen: string[] = [];
    for (const end = Date.now() + 2000; Date.now() < end; ) {
      for (const d of vscode.languages.getDiagnostics(tex.document.uri)) seen.push(d.message);
      await new Promise((res) => setTimeout(res, 25));
    }
    assert.deepStrictEqual([...new Set(seen)], [], 'no warning on the key just cited');
  });
});
