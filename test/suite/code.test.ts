import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CodeRepositories } from '../../src/host/code';
import { Log } from '../../src/host/log';
import { ATTACK_URLS } from '../fixtures/attack-urls';
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

describe('Code links: the attack table through the real open path', () => {
  it(`none of ${ATTACK_URLS.length} attack URLs reaches env.openExternal; unknown hosts only after a yes`, async () => {
    const handed: string[] = [];
    const asked: string[] = [];
    let answer = false;
    const log = new Log();
    const code = new CodeRepositories(log, {
      openExternal: async (uri) => {
        handed.push(uri.toString(true));
        return true;
      },
      confirm: async (url) => {
        asked.push(url);
        return answer;
      },
    });
    try {
      for (const a of ATTACK_URLS) assert.strictEqual(await code.open(a.url), false, a.why);
      const unknown = ATTACK_URLS.filter((a) => a.expect === 'unknownHost');
      assert.deepStrictEqual(handed, [], 'nothing reached openExternal');
      assert.strictEqual(asked.length, unknown.length, 'every unknown host asked first');
      assert.strictEqual(code.refused.length, ATTACK_URLS.length - unknown.length);
      // Saying yes opens exactly the address the confirmation showed, and nothing else.
      answer = true;
      assert.strictEqual(await code.open('https://github.com.evil.example/a'), true);
      assert.deepStrictEqual(handed, ['https://github.com.evil.example/a']);
      assert.strictEqual(asked.at(-1), 'https://github.com.evil.example/a');
      // A known code host opens without asking.
      assert.strictEqual(await code.open('https://github.com/YefanZhou/VerifySteer'), true);
      assert.strictEqual(asked.length, unknown.length + 1);
      console.log(`      ${ATTACK_URLS.length} attack URLs through CodeRepositories.open: ${code.refused.length} refused, ${unknown.length} asked, 0 opened`);
    } finally {
      log.dispose();
    }
  });
});
