import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { api, eventually, removeFolders, workspaceDir } from './util';

const settings = () => vscode.workspace.getConfiguration('paperShelf');

function write(dir: string, name: string, text: string): string {
  const file = path.join(workspaceDir().fsPath, dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const entry = (key: string, title: string) => `@article{${key},\n  title = {${title}},\n  author = {Doe, Jane},\n  year = 2021,\n}\n`;

describe('Settings: paperShelf.sources written by hand', () => {
  const dir = 'settings-string';
  before(async () => {
    await api();
    write(dir, 'one.bib', entry('bareString2021', 'Named by a Bare String'));
    write(dir, 'two.bib', entry('mixedList2021', 'Named in a List with a Number'));
  });
  after(async () => {
    await settings().update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('a single path instead of a list is read, and the library does not stay "Loading…"', async () => {
    const a = await api();
    await settings().update('sources', `${dir}/one.bib`, vscode.ConfigurationTarget.Workspace);
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('bareString2021'), 'the file named by the string to load', 15000);
    // What pickers and commands wait for.
    const waited = await Promise.race([a.library.whenLoaded().then(() => 'loaded'), new Promise((r) => setTimeout(() => r('still loading after 5 s'), 5000))]);
    assert.strictEqual(waited, 'loaded');
  });

  it('a list holding a number and null: the paths in it are read, the rest ignored', async () => {
    const a = await api();
    await settings().update('sources', [42, null, `${dir}/two.bib`], vscode.ConfigurationTarget.Workspace);
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('mixedList2021'), 'the path in the list to load', 15000);
    assert.strictEqual(a.library.snapshot.get('bareString2021'), undefined, 'one.bib is no longer a source');
  });
});

describe('Settings: Group By… in a workspace that sets paperShelf.groupBy', () => {
  afterEach(async () => {
    await settings().update('groupBy', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('changes the grouping, writing the workspace value (the one in force)', async () => {
    const a = await api();
    const user = settings().inspect<string>('groupBy')?.globalValue;
    await settings().update('groupBy', 'category', vscode.ConfigurationTarget.Workspace);
    const icon = async () => {
      const [first] = await a.tree.rootNodes();
      return first && (a.tree.getTreeItem(first).iconPath as vscode.ThemeIcon | undefined)?.id;
    };
    await eventually(async () => (await icon()) === 'tag', 'the tree to group by category');
    await vscode.commands.executeCommand('paperShelf.setGrouping', 'author');
    await eventually(async () => (await icon()) === 'person', 'the tree to group by author');
    const after = settings().inspect<string>('groupBy');
    assert.strictEqual(after?.workspaceValue, 'author');
    assert.strictEqual(after?.globalValue, user, 'the user settings are left alone');
  });
});

describe('Settings: Add Bibliography File… when the user settings list the sources', () => {
  const dir = 'settings-add';
  let mine: string;
  let added: string;
  before(async () => {
    await api();
    mine = write(dir, 'mine.bib', entry('userLibrary2021', 'Listed in the User Settings'));
    added = write(dir, 'project.bib', entry('projectLibrary2021', 'Added to the Project'));
  });
  after(async () => {
    await settings().update('sources', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFolders(dir);
  });

  it('adds the file to the user list, so the papers the user had stay', async () => {
    const a = await api();
    await settings().update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('sources', [mine], vscode.ConfigurationTarget.Global);
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('userLibrary2021'), 'the user library to load', 15000);

    await vscode.commands.executeCommand('paperShelf.addSource', vscode.Uri.file(added));
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('projectLibrary2021'), 'the added file to load', 15000);
    assert.ok(a.library.snapshot.get('userLibrary2021'), 'the user library is still read');
    const sources = settings().inspect<string[]>('sources');
    assert.deepStrictEqual(sources?.globalValue, [mine, added], 'added to the user list, as an absolute path');
    assert.strictEqual(sources?.workspaceValue, undefined, 'no workspace list hides the user list');
  });
});

describe('Settings: an absolute glob in paperShelf.sources', () => {
  let outside: string;
  before(async () => {
    await api();
    // Outside the workspace, where VS Code's findFiles does not look.
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-glob-'));
    fs.mkdirSync(path.join(outside, 'group', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'top.bib'), entry('globTop2021', 'At the Top of the Folder'));
    fs.writeFileSync(path.join(outside, 'group', 'deep', 'nested.bib'), entry('globNested2021', 'Two Folders Down'));
    fs.writeFileSync(path.join(outside, 'group', 'notes.txt'), 'not a bibliography');
  });
  after(async () => {
    await settings().update('sources', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reads the files it matches outside the workspace, at any depth with **', async () => {
    const a = await api();
    await settings().update('sources', [`${outside.replace(/\\/g, '/')}/**/*.bib`], vscode.ConfigurationTarget.Workspace);
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('globNested2021'), 'the nested file to load', 15000);
    assert.ok(a.library.snapshot.get('globTop2021'), 'the file at the top matches **/*.bib too');
    const files = new Set(a.library.snapshot.papers.map((p) => p.source.file));
    assert.ok(![...files].some((f) => f.endsWith('notes.txt')), 'notes.txt does not match *.bib');
  });

  it('without ** it stays at the depth it names', async () => {
    const a = await api();
    await settings().update('sources', [`${outside.replace(/\\/g, '/')}/*.bib`], vscode.ConfigurationTarget.Workspace);
    await eventually(() => !a.library.snapshot.loading && a.library.snapshot.get('globTop2021') && !a.library.snapshot.get('globNested2021'), 'only the top file', 15000);
  });
});
