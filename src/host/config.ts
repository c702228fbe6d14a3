import * as vscode from 'vscode';
import { GROUP_BY_VALUES, type GroupBy } from '../core/search';
import { latexCommandProblem } from '../core/cite';

export const SECTION = 'paperShelf';

/** A setting that should be a list, as a list: a lone value (a string written by hand) is a list of one; no value, or an object, is an empty list. */
export function settingList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null || typeof value === 'object' ? [] : [value];
}

/** Typed access to the `paperShelf.*` settings. */
export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get groupBy(): GroupBy {
    const v = this.cfg.get<string>('groupBy', 'year');
    return (GROUP_BY_VALUES as readonly string[]).includes(v) ? (v as GroupBy) : 'year';
  }

  /**
   * Written where the value in force comes from: a value in the workspace's settings
   * overrides the user's, so writing the user's would change nothing. (The setting is
   * read without a resource, so a folder's value in a multi-root workspace is not in force.)
   */
  setGroupBy(value: GroupBy): Thenable<void> {
    const defined = this.cfg.inspect<string>('groupBy');
    const target = defined?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    return this.cfg.update('groupBy', value, target);
  }

  /** The LaTeX cite command; an invalid setting falls back to `cite` (see `latexCiteCommandProblem`). */
  get latexCiteCommand(): string {
    const v = this.cfg.get<string>('latex.citeCommand', 'cite');
    return latexCommandProblem(v) ? 'cite' : v.replace(/^\\/, '');
  }

  /** Why the cite command setting is unusable, or undefined when it is fine. */
  get latexCiteCommandProblem(): string | undefined {
    return latexCommandProblem(this.cfg.get<string>('latex.citeCommand', 'cite'));
  }

  get pandocBare(): boolean {
    return this.cfg.get<boolean>('markdown.bareCitations', false);
  }

  get keyPattern(): string {
    return this.cfg.get<string>('keyPattern', '[auth:lower][year][veryshorttitle:lower]');
  }

  /**
   * The `paperShelf.sources` entries. A settings.json written by hand may hold one path as
   * a string instead of a list: it counts as one entry; anything but a non-empty string is ignored.
   */
  get sources(): string[] {
    return settingList(this.cfg.get<unknown>('sources', [])).filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  }

  get includeBundledLibrary(): boolean {
    return this.cfg.get<boolean>('includeBundledLibrary', true);
  }

  get includeDocumentBibliographies(): boolean {
    return this.cfg.get<boolean>('includeDocumentBibliographies', true);
  }

  /**
   * The fallback bibliography. In Restricted Mode only the user's own value counts: a
   * workspace must not point writes at other files (package.json also lists the setting
   * under `restrictedConfigurations`, so VS Code ignores the workspace value too).
   */
  get bibliographyFile(): string {
    const value = vscode.workspace.isTrusted ? this.cfg.get<string>('bibliographyFile', '') : this.cfg.inspect<string>('bibliographyFile')?.globalValue;
    return typeof value === 'string' ? value.trim() : '';
  }

  get reusePanel(): boolean {
    return this.cfg.get<boolean>('detailPanel.reuse', true);
  }

  /** Fires when any `paperShelf.*` setting changes. */
  onDidChange(listener: (e: vscode.ConfigurationChangeEvent) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) listener(e);
    });
  }
}
