import * as assert from 'assert';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, renderedText } from './util';

/** Label and count of every top-level group, as the tree shows them. */
async function groupRows(): Promise<[string, string][]> {
  const a = await api();
  const roots = await a.tree.rootNodes();
  return roots.map((n) => {
    const item = a.tree.getTreeItem(n);
    return [String(item.label), String(item.description)];
  });
}

describe('Browse: the Papers tree', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('paperShelf.clearFilter');
    await vscode.commands.executeCommand('paperShelf.setGrouping', 'year');
  });

  it('loads the 14 bundled papers', async () => {
    const a = await api();
    assert.strictEqual(a.library.snapshot.papers.length, 14);
    assert.strictEqual(a.library.snapshot.loading, false);
  });

  it('groups by year by default, newest first, with counts', async () => {
    assert.deepStrictEqual(await groupRows(), [['2026', '2'], ['2025', '4'], ['2024', '5'], ['2023', '1'], ['2021', '2']]);
  });

  it('switches grouping through the command and the setting, and remembers it', async () => {
    await vscode.commands.executeCommand('paperShelf.setGrouping', 'code');
    await eventually(async () => (await groupRows())[0]?.[0] === 'With code', 'the tree to group by code');
    assert.deepStrictEqual(await groupRows(), [['With code', '7'], ['Without code', '7']]);
    assert.strictEqual(vscode.workspace.getConfiguration('paperShelf').get('groupBy'), 'code');
    await vscode.commands.executeCommand('paperShelf.setGrouping', 'category');
    await eventually(async () => (await groupRows()).length === 5, 'five category groups');
    const rows = await groupRows();
    assert.ok(rows.some(([label, desc]) => label === 'Machine Learning' && desc.startsWith('6 ')), JSON.stringify(rows));
  });

  it('paper rows show title, attribution, a code icon and a tooltip', async () => {
    const a = await api();
    const [y2026] = await a.tree.rootNodes();
    const children = a.tree.getChildren(y2026);
    const items = children.map((c) => a.tree.getTreeItem(c));
    assert.deepStrictEqual(items.map((i) => i.description), ['Zhou et al. · 2026', 'Xiong et al. · 2026']);
    assert.ok(String(items[0].label).startsWith('The Hidden Signal of Verifier Strictness'));
    assert.strictEqual((items[0].iconPath as vscode.ThemeIcon).id, 'file-code');
    assert.strictEqual(items[0].contextValue, 'paper.code');
    const tip = renderedText((items[0].tooltip as vscode.MarkdownString).value);
    assert.match(tip, /Yefan Zhou, Yilun Zhou, Austin Xu, et al\./);
    assert.match(tip, /20 May 2026/);
    assert.match(tip, /github\.com\/YefanZhou\/VerifySteer/);
  });

  it('filters by every word, accent-insensitively, and says so in the view', async () => {
    const a = await api();
    const shown = await vscode.commands.executeCommand<number>('paperShelf.filter', 'pruning ZHOU');
    assert.strictEqual(shown, 2);
    assert.deepStrictEqual(a.tree.visiblePapers.map((p) => p.key).sort(), ['lu2024alphapruning', 'zhou2023three']);
    assert.strictEqual(await vscode.commands.executeCommand<number>('paperShelf.filter', 'Schurholt'), 1);
    assert.strictEqual(await vscode.commands.executeCommand<number>('paperShelf.filter', 'no-such-word-anywhere'), 0);
    assert.deepStrictEqual(await a.tree.rootNodes(), [], 'an empty tree lets the "no match" welcome view show');
    await vscode.commands.executeCommand('paperShelf.clearFilter');
    assert.strictEqual(a.tree.visiblePapers.length, 14);
  });

  it('copies the key and the BibTeX of a paper', async () => {
    await vscode.commands.executeCommand('paperShelf.copyKey', 'lu2024sharpness');
    assert.strictEqual(await vscode.env.clipboard.readText(), 'lu2024sharpness');
    await vscode.commands.executeCommand('paperShelf.copyBibtex', 'lu2024sharpness');
    const bib = await vscode.env.clipboard.readText();
    assert.match(bib, /^@\w+\{lu2024sharpness,/);
    assert.match(bib, /Sharpness-diversity tradeoff/);
  });

  it('reveals a record in its source listing at its line', async () => {
    const where = await vscode.commands.executeCommand<string>('paperShelf.revealInSource', 'zhu2021learn');
    assert.ok(where?.endsWith('yefan-zhou-papers.txt:40'), where);
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.selection.active.line, 39);
    assert.match(editor.document.lineAt(39).text, /^ROAug 10, 2021$/);
    await closeAllEditors();
  });
});

describe('Browse: the detail panel', () => {
  afterEach(closeAllEditors);

  it('opens one panel and reuses it as the selection changes', async () => {
    const a = await api();
    await vscode.commands.executeCommand('paperShelf.showDetails', 'zhou2026hidden');
    await vscode.commands.executeCommand('paperShelf.showDetails', 'zhu2021learn');
    const tabs = await eventually(() => {
      const t = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((x) => x.input instanceof vscode.TabInputWebview);
      return t.length ? t : undefined;
    }, 'a webview tab');
    assert.strictEqual(tabs.length, 1);
    assert.deepStrictEqual(a.panels.shownKeys, ['zhu2021learn']);
    assert.match(tabs[0].label, /^Learn to Grasp/);
  });

  it('drops malformed panel messages and accepts valid ones', async () => {
    const a = await api();
    await vscode.commands.executeCommand('paperShelf.showDetails', 'lu2024sharpness');
    assert.strictEqual(a.panels.receiveForTest({ type: 'copyKey' }), false, 'missing key');
    assert.strictEqual(a.panels.receiveForTest({ type: 'runCommand', command: 'workbench.action.quit' }), false, 'unknown type');
    assert.strictEqual(a.panels.receiveForTest('copyKey'), false, 'not an object');
    assert.strictEqual(a.panels.receiveForTest({ type: 'copyKey', key: 'lu2024sharpness' }), true);
    await eventually(async () => (await vscode.env.clipboard.readText()) === 'lu2024sharpness', 'the key on the clipboard');
  });
});
