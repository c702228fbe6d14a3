import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, closeAllEditors, eventually, removeFolders, workspaceDir } from './util';

/** The hostile fixtures of the repository (this file runs from out/test/suite/). */
const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'hostile');
const DIR = 'hostile-host';
const SOURCES = ['hostile.txt', 'hostile.bib'];

interface Payload {
  id: string;
  text: string;
}

function payloads(): string[] {
  const file = path.join(FIXTURES, 'payloads.json');
  if (!fs.existsSync(file)) throw new Error(`The hostile fixtures are missing: ${file}`);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { payloads: Payload[] }).payloads.map((p) => p.text);
}

/** The commands our own Markdown may link to: the hover's "Show details". */
const OWN_COMMAND = 'paperShelf.showDetails';
/** Theme icons our own Markdown uses; a payload's `$(…)` must arrive escaped. */
const OWN_ICONS = ['file-code', 'info'];

/**
 * What a reader sees of a Markdown source that holds only text, bold and links: backslash
 * escapes and the character references the extension writes (`&nbsp;`, `&lt;`, `&amp;`)
 * undone in one pass, then escaped theme icons (`\$(zap)`) shown as their text.
 */
function shownText(md: string): string {
  const refs: Record<string, string> = { nbsp: ' ', lt: '<', amp: '&' };
  return md
    .replace(/\\([!-/:-@[-`{-~])|&(nbsp|lt|amp);/g, (_m, escaped: string | undefined, ref: string | undefined) => escaped ?? refs[ref!])
    .replace(/\\(\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\))/g, '$1');
}

/**
 * Problems of a MarkdownString built from hostile data: trust, raw HTML, links and icons
 * the data could have created.
 */
function markdownProblems(md: vscode.MarkdownString, opts: { commandLink: boolean }): string[] {
  const problems: string[] = [];
  // Untrusted; the hover may enable exactly one command, its own "Show details".
  const allowed = opts.commandLink ? JSON.stringify({ enabledCommands: [OWN_COMMAND] }) : undefined;
  if (md.isTrusted && JSON.stringify(md.isTrusted) !== allowed) problems.push(`isTrusted is ${JSON.stringify(md.isTrusted)}`);
  if (md.supportHtml) problems.push('supportHtml is on');
  // No `<` at all: no tag, comment or autolink can start.
  if (md.value.includes('<')) problems.push('a raw "<" in the Markdown');
  // Every link destination: `](` not preceded by a backslash.
  for (const m of md.value.matchAll(/(?<!\\)\]\(([^)\s]*)/g)) {
    const target = m[1];
    const ok = /^https?:\/\//i.test(target) || (opts.commandLink && target.startsWith(`command:${OWN_COMMAND}?`));
    if (!ok) problems.push(`a link to ${target}`);
  }
  for (const m of md.value.matchAll(/(?<!\\)\$\(([A-Za-z0-9-]+)(?:~[A-Za-z]+)?\)/g)) {
    if (!OWN_ICONS.includes(m[1])) problems.push(`an unescaped icon $(${m[1]})`);
  }
  return problems;
}

function markdownOf(content: vscode.MarkdownString | vscode.MarkedString | string | undefined): vscode.MarkdownString {
  assert.ok(content instanceof vscode.MarkdownString, `expected a MarkdownString, got ${JSON.stringify(content)}`);
  return content;
}

describe('Hostile text stays text (tooltips, hover, completion)', () => {
  let texts: string[];
  let hostile: (p: { source: { file: string } }) => boolean;

  before(async () => {
    texts = payloads();
    const a = await api();
    const dir = path.join(workspaceDir().fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    for (const f of [...SOURCES, 'hostile.tex']) fs.copyFileSync(path.join(FIXTURES, f), path.join(dir, f));
    await vscode.workspace.getConfiguration('paperShelf').update('sources', SOURCES.map((f) => `${DIR}/${f}`), vscode.ConfigurationTarget.Workspace);
    hostile = (p) => p.source.file.startsWith(dir + path.sep);
    await eventually(() => a.library.snapshot.papers.filter(hostile).length === texts.length * SOURCES.length, 'the hostile papers to load', 20000);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('paperShelf').update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(DIR);
  });

  afterEach(closeAllEditors);

  it('loads every payload as the title of a listing record and of a .bib entry', async () => {
    const titles = (await api()).library.snapshot.papers.filter(hostile).map((p) => p.title);
    for (const t of texts) assert.strictEqual(titles.filter((x) => x === t).length, SOURCES.length, `papers titled ${JSON.stringify(t)}`);
  });

  it('tree rows: the title is the plain label, the tooltip is untrusted Markdown showing the payloads as text', async () => {
    const a = await api();
    const items = a.library.snapshot.papers.filter(hostile).map((p) => {
      const node = a.tree.findPaperNode(p.key);
      assert.ok(node, `no tree row for ${p.key}`);
      return { paper: p, item: a.tree.getTreeItem(node) };
    });
    assert.strictEqual(items.length, texts.length * SOURCES.length);
    for (const { paper, item } of items) {
      assert.strictEqual(item.label, paper.title, 'the label is the title as a plain string');
      assert.strictEqual(typeof item.description, 'string');
      const md = markdownOf(item.tooltip);
      assert.deepStrictEqual(markdownProblems(md, { commandLink: false }), [], `tooltip of ${JSON.stringify(paper.title)}:\n${md.value}`);
      assert.ok(shownText(md.value).includes(`**${paper.title}**`), `the tooltip shows the title as text:\n${md.value}`);
    }
  });

  it('hover and completion on the keys of a .tex file: the payloads as text, only our own command link', async () => {
    const texts2 = new Set(texts);
    const doc = await vscode.workspace.openTextDocument(path.join(workspaceDir().fsPath, DIR, 'hostile.tex'));
    await vscode.window.showTextDocument(doc);
    const lines = doc.getText().split('\n');
    let hovers = 0;
    for (const [i, line] of lines.entries()) {
      const m = /^Cited: \\cite\{([^}]+)\}/.exec(line);
      if (!m) continue;
      const at = new vscode.Position(i, line.indexOf('{') + 2);
      const result = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const ours = result.flatMap((h) => h.contents).map(markdownOf).filter((md) => md.value.includes('Show details'));
      assert.strictEqual(ours.length, 1, `one Paper Shelf hover on ${m[1]}`);
      const md = ours[0];
      assert.deepStrictEqual(markdownProblems(md, { commandLink: true }), [], `hover of ${m[1]}:\n${md.value}`);
      const shown = shownText(md.value);
      assert.ok([...texts2].some((t) => shown.includes(`**${t}**`)), `the hover of ${m[1]} shows a payload title as text:\n${md.value}`);
      hovers++;
    }
    assert.strictEqual(hovers, texts.length, 'one hover per .bib key cited in hostile.tex');

    const row = lines.findIndex((l) => l.startsWith('Complete here: \\cite{}'));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(row, 'Complete here: \\cite{'.length), undefined, 1000,
    );
    const keys = new Set((await api()).library.snapshot.papers.filter(hostile).map((p) => p.key));
    const items = list.items.filter((i) => keys.has(typeof i.label === 'string' ? i.label : i.label.label));
    assert.strictEqual(items.length, keys.size, 'a completion item for each hostile paper');
    for (const item of items) {
      assert.ok(typeof item.detail === 'string' && texts2.has(item.detail), `the detail is the title as plain text: ${item.detail}`);
      const md = markdownOf(item.documentation);
      assert.deepStrictEqual(markdownProblems(md, { commandLink: false }), [], `documentation of ${item.detail}:\n${md.value}`);
      assert.ok(shownText(md.value).includes(`**${item.detail}**`), `the documentation shows the title as text:\n${md.value}`);
    }
    console.log(`      hostile text (in-host): ${texts.length} payloads; ${keys.size} tooltips, ${hovers} hovers, ${items.length} completion documentations checked`);
  });
});
