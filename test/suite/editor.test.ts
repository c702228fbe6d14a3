import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, removeFolders, renderedText, workspaceDir } from './util';

async function open(dir: string, name: string, text: string): Promise<vscode.TextEditor> {
  const folder = path.join(workspaceDir().fsPath, dir);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, name), text);
  const doc = await vscode.workspace.openTextDocument(path.join(folder, name));
  return vscode.window.showTextDocument(doc);
}

/** The labels of Paper Shelf's items (they carry the title as detail), not VS Code's word-based ones from other open documents. */
function labels(list: vscode.CompletionList): string[] {
  return list.items.filter((i) => i.detail).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

function hoverText(hovers: vscode.Hover[]): string {
  return renderedText(hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n'));
}

describe('Editor: completion, hover, definition, diagnostics', () => {
  before(api);
  afterEach(closeAllEditors);
  after(() => removeFolders('ed-complete', 'ed-hover', 'ed-def', 'ed-diag', 'ed-cited', 'ed-live', 'ed-old', 'ed-setting', 'ed-own-bib'));

  it('completes keys after \\cite{ and after a comma, matching title words too', async () => {
    const ed = await open('ed-complete', 'main.tex', '\\cite{}\n\\citep[see][]{zhou2026hidden, }\n\\cite{prun}\n');
    const at = (line: number, ch: number) =>
      vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', ed.document.uri, new vscode.Position(line, ch));
    const all = labels(await at(0, 6));
    assert.ok(all.includes('zhou2026hidden') && all.includes('zhu2021learn'), all.join(','));
    assert.ok(all.length >= 14, `${all.length} items`);
    // Right after the comma and its space, before the closing brace.
    const afterComma = labels(await at(1, 30));
    assert.ok(afterComma.includes('lu2024sharpness'), afterComma.join(','));
    // After the closing brace there is no key to complete.
    assert.deepStrictEqual(labels(await at(1, 31)), []);
    const byTitle = labels(await at(2, 10));
    assert.ok(byTitle.includes('lu2024alphapruning') && byTitle.includes('zhou2023three'), byTitle.join(','));
  });

  it('completes after @ in Pandoc citations, with authors and year as detail', async () => {
    const ed = await open('ed-complete', 'paper.md', 'As in [@zhou202\n');
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', ed.document.uri, new vscode.Position(0, 15));
    const item = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'zhou2023three');
    assert.ok(item, labels(list).join(','));
    assert.strictEqual(typeof item.label === 'string' ? '' : item.label.description, 'Zhou et al. · 2023');
  });

  it('hovers a key with title, authors, date and code link', async () => {
    const ed = await open('ed-hover', 'main.tex', 'See \\cite{zhou2024md}.\n');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', ed.document.uri, new vscode.Position(0, 12));
    const text = hoverText(hovers);
    assert.match(text, /MD tree: a model-diagnostic tree grown on loss landscape/);
    assert.match(text, /Yefan Zhou, Jianlong Chen, Qinxue Cao, et al\./);
    assert.match(text, /24 June 2024/);
    assert.match(text, /github\.com\/YefanZhou\/ModelDiagnosis/);
  });

  it('goes to the record in its listing', async () => {
    const ed = await open('ed-def', 'main.tex', '\\cite{zhou2023three}\n');
    const locs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', ed.document.uri, new vscode.Position(0, 8));
    assert.strictEqual(locs.length, 1);
    assert.ok(locs[0].uri.path.endsWith('/seeds/yefan-zhou-papers.txt'), locs[0].uri.toString());
    assert.strictEqual(locs[0].range.start.line, 33);
  });

  it('flags unknown keys and offers to add known papers missing from the .bib', async () => {
    const dir = 'ed-diag';
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'refs.bib'), '@misc{own2020,\n  title = {Own},\n}\n');
    const ed = await open(dir, 'main.tex', '\\cite{own2020,nosuchkey2099,lu2024sharpness}\n\\bibliography{refs}\n');
    const diags = await eventually(() => {
      const d = vscode.languages.getDiagnostics(ed.document.uri).filter((x) => x.source === 'Paper Shelf');
      return d.length === 2 && d;
    }, 'two citation diagnostics', 15000);
    const byText = new Map(diags.map((d) => [ed.document.getText(d.range), d]));
    assert.match(byText.get('nosuchkey2099')!.message, /Unknown citation key/);
    const missing = byText.get('lu2024sharpness')!;
    assert.match(missing.message, /not in refs\.bib/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', ed.document.uri, missing.range);
    const fix = actions.find((a) => /Add “lu2024sharpness”/.test(a.title));
    assert.ok(fix?.command, actions.map((a) => a.title).join(','));
    await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    const bib = fs.readFileSync(path.join(workspaceDir().fsPath, dir, 'refs.bib'), 'utf8');
    assert.ok(bib.startsWith('@misc{own2020,\n  title = {Own},\n}\n'));
    assert.match(bib, /\{lu2024sharpness,/);
    await eventually(() => vscode.languages.getDiagnostics(ed.document.uri).filter((x) => x.source === 'Paper Shelf').length === 1, 'the fixed diagnostic to go', 15000);
  });

  it('an old version of a document (the left side of a diff) is neither checked nor read for bibliographies', async () => {
    const a = await api();
    const scheme = 'paper-shelf-old';
    const text = '\\cite{nosuchkey2099}\n\\bibliography{refs}\n';
    const provider = vscode.workspace.registerTextDocumentContentProvider(scheme, { provideTextDocumentContent: () => text });
    try {
      const file = vscode.Uri.joinPath(workspaceDir(), 'ed-old', 'main.tex');
      // As the git extension names it: the file's path, and the version in the query.
      const oldUri = file.with({ scheme, query: JSON.stringify({ path: file.path, ref: '~' }) });
      const old = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(oldUri), 'latex');
      await vscode.window.showTextDocument(old);
      // The same text as a file of its own is checked: once it is, the old version would have been too.
      const own = await open('ed-old', 'main.tex', text);
      await eventually(() => vscode.languages.getDiagnostics(own.document.uri).some((d) => d.source === 'Paper Shelf'), 'the file to be checked', 15000);
      assert.deepStrictEqual(vscode.languages.getDiagnostics(old.uri).filter((d) => d.source === 'Paper Shelf').map((d) => d.message), []);
      const named = a.library.documentBibliographies.map(String);
      assert.ok(named.some((u) => u.endsWith('/ed-old/refs.bib')), named.join(', '));
      assert.deepStrictEqual(named.filter((u) => u.startsWith(`${scheme}:`) || u.includes('?')), []);
    } finally {
      provider.dispose();
    }
  });

  it('follows paperShelf.bibliographyFile as it changes, for a document that names no bibliography', async () => {
    const dir = 'ed-setting';
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'fallback.bib'), '@misc{fallbackOnly2021,\n  title = {Only in the Fallback Bibliography},\n  year = 2021,\n}\n');
    const ed = await open(dir, 'main.tex', 'See \\cite{fallbackOnly2021,lu2024sharpness}.\n');
    const ours = () => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.source === 'Paper Shelf');
    const cfg = vscode.workspace.getConfiguration('paperShelf');
    try {
      await cfg.update('bibliographyFile', `${dir}/fallback.bib`, vscode.ConfigurationTarget.Workspace);
      // Before: fallbackOnly2021 is unknown (no bibliography is read). After: it is known
      // from fallback.bib, and the known paper missing from fallback.bib is flagged.
      const diags = await eventually(() => {
        const d = ours();
        return d.length === 1 && /not in fallback\.bib/.test(d[0].message) && d;
      }, 'only lu2024sharpness to be flagged, as missing from fallback.bib', 15000).catch((e: Error) => {
        throw new Error(`${e.message}; the diagnostics: ${JSON.stringify(ours().map((d) => d.message))}`);
      });
      assert.strictEqual(ed.document.getText(diags[0].range), 'lu2024sharpness');
    } finally {
      await cfg.update('bibliographyFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await eventually(() => !ours().some((d) => /fallback\.bib/.test(d.message)), 'no mention of fallback.bib once the setting is gone', 15000);
  });

  it('a key the document\u2019s own .bib defines is not unknown, even when the library does not read that .bib', async () => {
    const dir = 'ed-own-bib';
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'own.bib'), '@book{knuthOwn1984,\n  title = {The {TeXbook}},\n  year = 1984,\n}\n');
    const cfg = vscode.workspace.getConfiguration('paperShelf');
    await cfg.update('includeDocumentBibliographies', false, vscode.ConfigurationTarget.Workspace);
    try {
      const ed = await open(dir, 'main.tex', '\\cite{knuthOwn1984,nosuchkey2099}\n\\bibliography{own}\n');
      const messages = () => vscode.languages.getDiagnostics(ed.document.uri).filter((d) => d.source === 'Paper Shelf').map((d) => d.message);
      await eventually(() => messages().some((m) => m.includes('nosuchkey2099')), 'the unknown key to be flagged', 15000);
      // The own.bib key: flagged at first at most until its keys are read, never after.
      await eventually(() => !messages().some((m) => m.includes('knuthOwn1984')), 'no warning for the key own.bib defines', 15000);
      assert.deepStrictEqual(messages().map((m) => m.replace(/“([^”]+)”.*/, '$1')), ['Unknown citation key nosuchkey2099']);
    } finally {
      await cfg.update('includeDocumentBibliographies', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('"Cited in This Document" lists the cited papers in order of first citation, unknown keys flagged', async () => {
    const a = await api();
    await open('ed-cited', 'main.tex', '\\cite{zhu2021learn} then \\cite{nosuch2000, zhou2026hidden} and \\cite{zhu2021learn}\n');
    const entries = await eventually(() => a.cited.current.length === 3 && a.cited.current, 'three cited entries');
    assert.deepStrictEqual(entries.map((e) => [e.key, !!e.paper]), [['zhu2021learn', true], ['nosuch2000', false], ['zhou2026hidden', true]]);
    assert.strictEqual(a.cited.getTreeItem(entries[1]).description, 'unknown key');
  });

  it('a .bib named by an open document joins the library, and edits on disk show without reload', async () => {
    const a = await api();
    const dir = 'ed-live';
    const bibPath = path.join(workspaceDir().fsPath, dir, 'live.bib');
    fs.mkdirSync(path.dirname(bibPath), { recursive: true });
    fs.writeFileSync(bibPath, '@article{live2001,\n  title = {A Live Entry},\n  author = {Doe, Jane},\n  year = {2001},\n}\n');
    await open(dir, 'main.tex', '\\cite{live2001}\n\\bibliography{live}\n');
    await eventually(() => a.library.snapshot.get('live2001'), 'live2001 in the library', 15000);
    fs.appendFileSync(bibPath, '\n@book{live2002,\n  title = {Added on Disk},\n  author = {Roe, Richard},\n  year = {2002},\n}\n');
    const p = await eventually(() => a.library.snapshot.get('live2002'), 'live2002 after the file changed', 15000);
    assert.strictEqual(p.title, 'Added on Disk');
    await eventually(() => a.tree.allPapers.some((x) => x.key === 'live2002'), 'the tree to show live2002');
  });
});
