/** Helpers for the tests that run inside the real extension host. */
import * as vscode from 'vscode';
import type { PaperShelfApi } from '../../src/extension';

export const EXTENSION_ID = 'paper-shelf.paper-shelf';

/** Activate the extension and wait for the first full load of the library. */
export async function api(): Promise<PaperShelfApi> {
  const ext = vscode.extensions.getExtension<PaperShelfApi>(EXTENSION_ID);
  if (!ext) throw new Error(`Extension ${EXTENSION_ID} is not installed`);
  const exported = await ext.activate();
  await exported.ready;
  return exported;
}

/** Poll until `check` returns a truthy value or the time runs out. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Truthy<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The workspace folder the suite runs in. */
export function workspaceDir(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('The in-host suite needs a workspace folder');
  return f.uri;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The text a user reads in a rendered MarkdownString: `&nbsp;` and backslash escapes undone. */
export function renderedText(md: string): string {
  return md.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

/** Remove folders a test made in the workspace, and wait until the library forgets their files. */
export async function removeFolders(...dirs: string[]): Promise<void> {
  const fs = await import('fs');
  const path = await import('path');
  const a = await api();
  await closeAllEditors();
  for (const d of dirs) fs.rmSync(path.join(workspaceDir().fsPath, d), { recursive: true, force: true });
  // A deleted folder does not always reach a file watcher; Reload Library is what a user
  // would do, and it drops files that are gone.
  await vscode.commands.executeCommand('paperShelf.refresh');
  const prefixes = dirs.map((d) => path.join(workspaceDir().fsPath, d) + path.sep);
  await eventually(
    () => !a.library.snapshot.papers.some((p) => prefixes.some((pre) => p.source.file.startsWith(pre))),
    `the library to drop papers from ${dirs.join(', ')}`,
    15000,
  );
}
