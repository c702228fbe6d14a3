import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, removeFolders, workspaceDir } from './util';

interface InsertResult {
  keys: string[];
  bibliography?: string;
  added: string[];
  renamed: { from: string; to: string }[];
}

/** Write a file into a fresh folder of the workspace and open it with the cursor at `|`. */
async function openWithCursor(dir: string, name: string, textWithCursors: string): Promise<vscode.TextEditor> {
  const folder = path.join(workspaceDir().fsPath, dir);
  fs.mkdirSync(folder, { recursive: true });
  const parts = textWithCursors.split('|');
  const cursors: number[] = [];
  let text = '';
  parts.forEach((part, i) => {
    text += part;
    if (i < parts.length - 1) cursors.push(text.length);
  });
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(doc);
  editor.selections = cursors.map((o) => new vscode.Selection(doc.positionAt(o), doc.positionAt(o)));
  return editor;
}

function readDisk(dir: string, name: string): string {
  return fs.readFileSync(path.join(workspaceDir().fsPath, dir, name), 'utf8');
}

async function insert(...keys: string[]): Promise<InsertResult> {
  const r = await vscode.commands.executeCommand<InsertResult>('paperShelf.insertCitation', keys);
  assert.ok(r, 'the command returned no result');
  return r;
}

describe('Cite: Insert Citation in the real editor', () => {
  before(api);
  afterEach(closeAllEditors);
  // The .bib files these tests write join the library while in use: remove them so the
  // suites after this one see the bundled papers under their own keys again.
  after(() => removeFolders('cite-latex', 'cite-merge', 'cite-multi', 'cite-md', 'cite-clash', 'cite-two-bibs', 'cite-target'));

  it('LaTeX: inserts \\cite{} and appends exactly the new entries to the .bib, keeping its bytes', async () => {
    const dir = 'cite-latex';
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    const original = '% my references\r\n@misc{mine2020,\r\n  title = {Mine},\r\n}\r\n';
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'references.bib'), original);
    const editor = await openWithCursor(dir, 'main.tex', '\\documentclass{article}\n\\begin{document}\nAs shown |.\n\\bibliography{references}\n\\end{document}\n');
    const r = await insert('zhou2026hidden');
    assert.deepStrictEqual(r.added, ['zhou2026hidden']);
    assert.match(editor.document.getText(), /As shown \\cite\{zhou2026hidden\}\./);
    const bib = await eventually(() => {
      const t = readDisk(dir, 'references.bib');
      return t !== original && t;
    }, 'references.bib saved');
    assert.ok(bib.startsWith(original), 'every existing byte stays as it was');
    const appended = bib.slice(original.length);
    assert.match(appended, /^\r\n@\w+\{zhou2026hidden,\r\n/, 'a blank line, then the entry, with the file\'s CRLF line endings');
    assert.ok(!/[^\r]\n/.test(appended), 'no bare LF in a CRLF file');
    assert.strictEqual((bib.match(/@\w+\{/g) ?? []).length, 2);

    // The same paper again: cited, but not added twice.
    editor.selection = new vscode.Selection(editor.document.positionAt(0), editor.document.positionAt(0));
    const again = await insert('zhou2026hidden');
    assert.deepStrictEqual(again.added, []);
    await editor.document.save();
    assert.strictEqual(readDisk(dir, 'references.bib'), bib);
  });

  it('LaTeX: merges into the citation under the cursor, and one undo removes the insertion', async () => {
    const dir = 'cite-merge';
    const editor = await openWithCursor(dir, 'main.tex', 'See \\citep[see][p.~3]{lu2024sharpness, |} and more.\n\\bibliography{refs}\n');
    const before = editor.document.getText();
    await insert('zhou2023three', 'lu2024sharpness');
    assert.strictEqual(editor.document.lineAt(0).text, 'See \\citep[see][p.~3]{lu2024sharpness, zhou2023three} and more.');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), before);
    const bib = readDisk(dir, 'refs.bib');
    assert.match(bib, /\{zhou2023three,/);
    assert.match(bib, /\{lu2024sharpness,/);
  });

  it('LaTeX: every cursor gets the citation; uses the command from the setting', async () => {
    const cfg = vscode.workspace.getConfiguration('paperShelf');
    await cfg.update('latex.citeCommand', 'citep', vscode.ConfigurationTarget.Global);
    try {
      const editor = await openWithCursor('cite-multi', 'main.tex', 'One |.\nTwo |.\n\\addbibresource{lib.bib}\n');
      await insert('zhou2021dataset', 'zhu2021learn');
      assert.strictEqual(editor.document.lineAt(0).text, 'One \\citep{zhou2021dataset,zhu2021learn}.');
      assert.strictEqual(editor.document.lineAt(1).text, 'Two \\citep{zhou2021dataset,zhu2021learn}.');
    } finally {
      await cfg.update('latex.citeCommand', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Markdown: Pandoc citations, merged across a line break, entries in the YAML bibliography', async () => {
    const dir = 'cite-md';
    const editor = await openWithCursor(dir, 'paper.md', '---\ntitle: Draft\nbibliography: [refs.bib]\n---\n\nWe build on [@li2025diffusion;\n|] and |.\n');
    await insert('qing2024alphalora');
    const text = editor.document.getText();
    assert.match(text, /\[@li2025diffusion;\n ?@qing2024alphalora\]/);
    assert.match(text, /and \[@qing2024alphalora\]\./);
    await editor.document.save();
    const bib = readDisk(dir, 'refs.bib');
    assert.strictEqual((bib.match(/@\w+\{qing2024alphalora,/g) ?? []).length, 1);
  });

  it('with two bibliographies: a paper in the second is cited from there, not added to the first again', async () => {
    const dir = 'cite-two-bibs';
    const folder = path.join(workspaceDir().fsPath, dir);
    fs.mkdirSync(folder, { recursive: true });
    const refs = '@misc{mine2020, title = {Mine}, year = 2020}\n';
    const extra = '@misc{zhou2026hidden,\n  author = {Zhou, Yefan and others},\n  title = {The Hidden Signal of Verifier Strictness: Controlling and Improving Step-Wise Verification via Selective Latent Steering},\n  year = {2026},\n}\n@misc{zhou2024md, title = {Another Paper Under That Key}, year = 2024}\n';
    fs.writeFileSync(path.join(folder, 'refs.bib'), refs);
    fs.writeFileSync(path.join(folder, 'extra.bib'), extra);
    const editor = await openWithCursor(dir, 'main.tex', 'Text |.\n\\bibliography{refs,extra}\n');
    const r = await insert('zhou2026hidden', 'zhou2024md');
    assert.deepStrictEqual(r.keys, ['zhou2026hidden', 'zhou2024mda']);
    assert.deepStrictEqual(r.added, ['zhou2024mda'], 'the paper extra.bib holds is not added to refs.bib');
    assert.match(editor.document.getText(), /\\cite\{zhou2026hidden,zhou2024mda\}/);
    const written = await eventually(() => {
      const t = readDisk(dir, 'refs.bib');
      return t !== refs && t;
    }, 'refs.bib saved');
    assert.ok(written.startsWith(refs));
    assert.deepStrictEqual([...written.slice(refs.length).matchAll(/@\w+\{([^,]+),/g)].map((m) => m[1]), ['zhou2024mda']);
    assert.strictEqual(readDisk(dir, 'extra.bib'), extra, 'the other bibliography is not touched');
  });

  it('with a .bib in front (as Reveal in Source leaves it): cites into the last document, at every cursor, and only appends to the .bib', async () => {
    const dir = 'cite-target';
    const folder = path.join(workspaceDir().fsPath, dir);
    fs.mkdirSync(folder, { recursive: true });
    const bibOriginal = '@misc{mine2020, title = {Mine}, year = 2020}\n';
    fs.writeFileSync(path.join(folder, 'refs.bib'), bibOriginal);
    const editor = await openWithCursor(dir, 'main.tex', 'One |.\nTwo |.\n\\bibliography{refs}\n');
    const texUri = editor.document.uri.toString();
    const bibDoc = await vscode.workspace.openTextDocument(path.join(folder, 'refs.bib'));
    await vscode.window.showTextDocument(bibDoc);
    await insert('zhou2026hidden');
    const tex = vscode.workspace.textDocuments.find((d) => d.uri.toString() === texUri)!;
    assert.deepStrictEqual([tex.lineAt(0).text, tex.lineAt(1).text], ['One \\cite{zhou2026hidden}.', 'Two \\cite{zhou2026hidden}.']);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), texUri, 'the document is brought back to the front');
    const bibText = bibDoc.getText();
    assert.ok(bibText.startsWith(bibOriginal), 'nothing typed into the .bib');
    assert.match(bibText.slice(bibOriginal.length), /^\n@\w+\{zhou2026hidden,\n[^]*\}\n$/);
  });

  it('uses a suffixed key when the .bib has a different entry under the same key, and says so', async () => {
    const dir = 'cite-clash';
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    const original = '@article{zhou2024md,\n  title = {Some Other Paper Entirely},\n  year = {2024},\n}\n';
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'refs.bib'), original);
    const editor = await openWithCursor(dir, 'main.tex', 'Text |.\n\\bibliography{refs}\n');
    const r = await insert('zhou2024md');
    assert.deepStrictEqual(r.renamed, [{ from: 'zhou2024md', to: 'zhou2024mda', reason: 'taken' }]);
    assert.match(editor.document.getText(), /\\cite\{zhou2024mda\}/);
    const bib = readDisk(dir, 'refs.bib');
    assert.ok(bib.startsWith(original));
    assert.match(bib.slice(original.length), /@\w+\{zhou2024mda,/);
  });
});
