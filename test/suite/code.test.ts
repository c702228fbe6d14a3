import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, eventually, removeFolders, workspaceDir } from './util';

const HOSTILE_LISTING = [
  'LGMay 2, 2025Code',
  'Hostile Links in an AbstractAlice Example, Bob Example',
  'Code at javascript:alert(document.cookie) and command:workbench.action.quit and vscode://file/etc/passwd.',
  'CLMay 3, 2025Code',
  'A Paper Hosted ElsewhereCarol Example',
  'Code: https://example.org/carol/repo.',
  '',
].join('\n');

describe('Code links: only http(s) is ever opened', () => {
  const dir = 'code-links';
  before(async () => {
    fs.mkdirSync(path.join(workspaceDir().fsPath, dir), { recursive: true });
    fs.writeFileSync(path.join(workspaceDir().fsPath, dir, 'hostile.txt'), HOSTILE_LISTING);
    await vscode.workspace.getConfiguration('paperShelf').update('sources', [`${dir}/hostile.txt`], vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('paperShelf').update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('a listing with javascript:, command: and vscode: addresses gives no code link', async () => {
    const a = await api();
    const p = await eventually(() => a.library.snapshot.papers.find((x) => x.title === 'Hostile Links in an Abstract'), 'the hostile listing to load', 15000);
    assert.strictEqual(p.hasCode, true, 'the Code badge is kept');
    assert.strictEqual(p.codeUrl, null);
    const other = a.library.snapshot.papers.find((x) => x.title === 'A Paper Hosted Elsewhere');
    assert.strictEqual(other?.codeUrl, 'https://example.org/carol/repo');
  });

  it('refuses non-http(s) addresses, also when the panel asks for them', async () => {
    const a = await api();
    const before = a.code.opened.length;
    assert.strictEqual(await a.code.open('javascript:alert(1)'), false);
    assert.strictEqual(await a.code.open('command:workbench.action.quit'), false);
    await vscode.commands.executeCommand('paperShelf.showDetails', 'zhou2026hidden');
    await eventually(() => a.panels.shownKeys.includes('zhou2026hidden'), 'the panel');
    assert.strictEqual(a.panels.receiveForTest({ type: 'openLink', key: 'zhou2026hidden', url: 'command:workbench.action.quit' }), true);
    assert.strictEqual(a.panels.receiveForTest({ type: 'openLink', key: 'zhou2026hidden', url: 'https://github.com/not/its/link' }), true);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepStrictEqual(a.code.opened.slice(before), [], 'nothing was handed to the browser');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
