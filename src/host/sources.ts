import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { toBibtexFile } from '../core/bibtex/write';
import { toCslJson } from '../core/csl';
import type { Command, PaperResolver } from './commands';
import type { PapersTreeProvider, Node } from './tree';
import { SECTION, settingList } from './config';
import type { Log } from './log';

/** A path as the user would write it in settings: relative to its workspace folder when inside one. */
function settingPath(uri: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder) {
    const rel = vscode.workspace.asRelativePath(uri, false);
    if (rel !== uri.fsPath) return rel;
  }
  return uri.fsPath;
}

/** Add Bibliography File… and Export Papers…. */
export function sourceCommands(d: { tree: PapersTreeProvider; resolver: PaperResolver; log: Log }): Command[] {
  return [
    {
      id: 'paperShelf.addSource',
      async execute(picked?: unknown) {
        const uris =
          picked instanceof vscode.Uri
            ? [picked]
            : await vscode.window.showOpenDialog({
                title: 'Add Bibliography File',
                canSelectMany: true,
                openLabel: 'Add to Paper Shelf',
                filters: { 'Bibliographies and paper lists': ['bib', 'bibtex', 'json', 'txt'], 'All files': ['*'] },
              });
        if (!uris?.length) return undefined;
        const cfg = vscode.workspace.getConfiguration(SECTION);
        const current = cfg.inspect<unknown>('sources');
        // Add to the list in force: a workspace list of its own would hide the user's list
        // (and the papers from it). With no list yet, an open workspace gets one.
        const userList = settingList(current?.globalValue);
        const user = current?.workspaceValue === undefined && (userList.length > 0 || !vscode.workspace.workspaceFolders?.length);
        const target = user ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
        const existing = user ? userList : settingList(current?.workspaceValue);
        // The user's list applies in every workspace: a path relative to this one would not.
        const written = uris.map((u) => (user && u.scheme === 'file' ? u.fsPath : settingPath(u)));
        const added = [...new Set(written)].filter((p) => !existing.includes(p));
        const where = user ? 'your user settings' : 'the workspace settings';
        if (added.length) {
          await cfg.update('sources', [...existing, ...added], target);
          d.log.info(`Added to paperShelf.sources in ${where}: ${added.join(', ')}`);
          void vscode.window.showInformationMessage(`Paper Shelf: added ${added.join(', ')} to paperShelf.sources in ${where}.`);
        } else {
          d.log.info(`Already in paperShelf.sources in ${where}: ${written.join(', ')}`);
          void vscode.window.showInformationMessage(`Paper Shelf: ${written.join(', ')} is already in paperShelf.sources in ${where}.`);
        }
        return added;
      },
    },
    {
      id: 'paperShelf.export',
      async execute(arg?: unknown, selected?: unknown) {
        const papers = await chooseExportScope(d, arg, selected);
        if (!papers?.length) return undefined;
        const format = await vscode.window.showQuickPick(
          [
            { label: 'BibTeX', description: '.bib', value: 'bibtex' as const },
            { label: 'CSL-JSON', description: '.json (Pandoc, Zotero, citeproc)', value: 'csl' as const },
          ],
          { title: `Export ${papers.length} ${papers.length === 1 ? 'paper' : 'papers'} as` },
        );
        if (!format) return undefined;
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const name = format.value === 'bibtex' ? 'papers.bib' : 'papers.json';
        const uri = await vscode.window.showSaveDialog({
          title: 'Export Papers',
          defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
          filters: format.value === 'bibtex' ? { BibTeX: ['bib'] } : { 'CSL-JSON': ['json'] },
        });
        if (!uri) return undefined;
        const text = format.value === 'bibtex' ? toBibtexFile(papers) : toCslJson(papers);
        try {
          await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
        } catch (e) {
          void d.log.showError(`Paper Shelf could not write ${vscode.workspace.asRelativePath(uri)}: ${e instanceof Error ? e.message : String(e)}`, e);
          return undefined;
        }
        void vscode.window.showInformationMessage(`Exported ${papers.length} ${papers.length === 1 ? 'paper' : 'papers'} to ${vscode.workspace.asRelativePath(uri)}.`);
        return uri.toString();
      },
    },
  ];
}

async function chooseExportScope(d: { tree: PapersTreeProvider; resolver: PaperResolver }, arg: unknown, selected: unknown): Promise<Paper[] | undefined> {
  const node = arg as Node | undefined;
  if (node && typeof node === 'object' && 'kind' in node && node.kind !== 'paper') {
    return node.kind === 'groups' ? node.groups.flatMap((g) => g.papers) : node.papers;
  }
  const fromArgs = d.resolver.fromArgs([arg, selected]);
  if (fromArgs?.length) return fromArgs;
  const selection = d.resolver.selection();
  const choices = [
    { label: 'Whole library', value: 'all' as const },
    ...(d.tree.filter ? [{ label: `Papers matching the filter “${d.tree.filter}”`, value: 'filtered' as const }] : []),
    ...(selection.length ? [{ label: `Selected papers (${selection.length})`, value: 'selection' as const }] : []),
    { label: 'Choose papers…', value: 'pick' as const },
  ];
  const scope = await vscode.window.showQuickPick(choices, { title: 'Export which papers?' });
  switch (scope?.value) {
    case 'all':
      return [...d.tree.allPapers];
    case 'filtered':
      return [...d.tree.visiblePapers];
    case 'selection':
      return selection;
    case 'pick':
      return d.resolver.pick({ title: 'Export Papers', canPickMany: true });
    default:
      return undefined;
  }
}
