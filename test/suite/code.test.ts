import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseBibtex } from '../../src/core/bibtex/parse';
import { CodeRepositories, unknownHostQuestion, type LinkPurpose } from '../../src/host/code';
import { Log } from '../../src/host/log';
import { paperLinks } from '../../src/host/panel';
import { ATTACK_URLS } from '../fixtures/attack-urls';
import { api, EXTENSION_ID, eventually, removeFolders, workspaceDir } from './util';

/** Whether the Papers view's context menu of a row with this context value offers the command (its `when` clauses read as VS Code does for these two forms). */
function menuOffers(command: string, viewItem: string): boolean {
  const menus: { command: string; when: string }[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus['view/item/context'];
  return menus
    .filter((m) => m.command === command && m.when.startsWith('view == paperShelf.papers && '))
    .some((m) => {
      const is = /viewItem == (\S+)$/.exec(m.when);
      const like = /viewItem =~ \/(.+)\/$/.exec(m.when);
      return is ? is[1] === viewItem : !!like && new RegExp(like[1]).test(viewItem);
    });
}

/**
 * One log channel for the tests that build their own CodeRepositories: VS Code closes a
 * channel's name with the first one disposed, and a second `Paper Shelf` channel made after
 * that fails with "Channel has been closed".
 */
let testLog: Log | undefined;
after(() => testLog?.dispose());

/** A CodeRepositories whose browser and confirmation are recorded; `yes` answers the confirmation. */
function recordedCode(yes = true) {
  const handed: string[] = [];
  const asked: { url: string; host: string; purpose: LinkPurpose }[] = [];
  const log = (testLog ??= new Log());
  const code = new CodeRepositories(log, {
    openExternal: async (url) => {
      handed.push(url);
      return true;
    },
    confirm: async (url, host, purpose) => {
      asked.push({ url, host, purpose });
      return yes;
    },
  });
  return { code, handed, asked };
}

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

  it('offers Clone Code Repository only for code on a known code host, Open Code Repository for any code link', async () => {
    const a = await api();
    const elsewhere = await eventually(() => a.library.snapshot.papers.find((x) => x.title === 'A Paper Hosted Elsewhere'), 'the listing to load', 15000);
    await a.tree.rootNodes();
    const row = (key: string) => {
      const node = a.tree.findPaperNode(key);
      assert.ok(node, `a row for ${key}`);
      return String(a.tree.getTreeItem(node).contextValue);
    };
    const onGithub = row('zhou2026hidden');
    const onOtherHost = row(elsewhere.key);
    assert.strictEqual(menuOffers('paperShelf.cloneRepository', onGithub), true, 'a GitHub repository can be cloned');
    assert.strictEqual(menuOffers('paperShelf.openCode', onGithub), true);
    assert.strictEqual(menuOffers('paperShelf.cloneRepository', onOtherHost), false, 'example.org: the clone would refuse, so the menu does not offer it');
    assert.strictEqual(menuOffers('paperShelf.openCode', onOtherHost), true, 'example.org still opens (after asking)');
  });
});

describe('Code links: what reaches the browser', () => {
  it('Search Code on GitHub searches for the whole title, "&" and "+" included', async () => {
    const { code, handed } = recordedCode();
    const [p] = parseBibtex('@article{amp2024,\n  title = {Pruning \\& Quantization of C++ Kernels},\n  year = 2024,\n}\n', { file: 'amp.bib' }).papers;
    assert.strictEqual(p.title, 'Pruning & Quantization of C++ Kernels');
    assert.strictEqual(await code.searchFor(p), true);
    // What the browser is given is this address, unchanged (openExternal receives a string).
    const url = new URL(handed[0]);
    assert.strictEqual(url.host, 'github.com');
    assert.strictEqual(url.searchParams.get('q'), p.title);
    assert.strictEqual(url.searchParams.get('type'), 'repositories');
  });

  it('a DOI holding "#", "?" and "<…>" opens doi.org at the whole DOI', async () => {
    const { code, handed } = recordedCode();
    const dois = ['10.1002/(SICI)1521-3773(20000103)39:1<165::AID-ANIE165>3.0.CO;2-#', '10.1000/what?not#this/either'];
    for (const doi of dois) {
      const [p] = parseBibtex(`@article{doi2000,\n  title = {A Wiley Paper},\n  year = 2000,\n  doi = {${doi}},\n}\n`, { file: 'doi.bib' }).papers;
      const link = paperLinks(p).find((l) => l.label.startsWith('DOI'));
      assert.ok(link, `a DOI link for ${doi}`);
      assert.strictEqual(await code.open(link.url), true);
      const url = new URL(handed.at(-1)!);
      assert.deepStrictEqual([url.host, decodeURIComponent(url.pathname), url.search, url.hash], ['doi.org', `/${doi}`, '', ''], handed.at(-1));
    }
  });

  it('asks before a paper link opens in words that fit it; a code link still hears that its host is unknown', async () => {
    const { code, asked } = recordedCode(false);
    assert.strictEqual(await code.open('https://doi.org/10.1000/xyz'), false);
    const [p] = parseBibtex('@article{carol2025,\n  title = {Hosted Elsewhere},\n  year = 2025,\n  url = {https://example.org/carol/repo},\n}\n', { file: 'c.bib' }).papers;
    const withCode = { ...p, hasCode: true, codeUrl: 'https://example.org/carol/repo' };
    assert.strictEqual(await code.openFor(withCode), false);
    assert.deepStrictEqual(asked.map((q) => [q.host, q.purpose]), [['doi.org', 'link'], ['example.org', 'code']]);

    const link = unknownHostQuestion('https://doi.org/10.1000/xyz', 'doi.org', 'link');
    assert.strictEqual(link.message, 'Open doi.org?');
    assert.ok(link.detail.includes('https://doi.org/10.1000/xyz'), link.detail);
    assert.doesNotMatch(`${link.message} ${link.detail}`, /code host/);
    const repo = unknownHostQuestion('https://example.org/carol/repo', 'example.org', 'code');
    assert.ok(repo.message.includes('https://example.org/carol/repo'), repo.message);
    assert.match(repo.detail, /example\.org is not a code host Paper Shelf knows/);
  });
});

describe('Code links: the attack table through the real open path', () => {
  it(`none of ${ATTACK_URLS.length} attack URLs reaches env.openExternal; unknown hosts only after a yes`, async () => {
    const handed: string[] = [];
    const asked: string[] = [];
    let answer = false;
    const log = (testLog ??= new Log());
    const code = new CodeRepositories(log, {
      openExternal: async (url) => {
        handed.push(url);
        return true;
      },
      confirm: async (url) => {
        asked.push(url);
        return answer;
      },
    });
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
  });
});
