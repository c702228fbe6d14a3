import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { classifyCodeUrl, githubSearchUrl } from '../core/links';
import type { Log } from './log';

/**
 * Opening code repositories. Only http(s) URLs are ever opened; known code hosts open
 * directly, any other host asks first and shows the full URL.
 */
export class CodeRepositories {
  /** Every address handed to the browser in this session, in order (for the log and tests). */
  readonly opened: string[] = [];

  /** Addresses refused in this session (never shown to the browser), for the log and tests. */
  readonly refused: string[] = [];

  private readonly openExternal: (uri: vscode.Uri) => Thenable<boolean>;
  private readonly confirm: (url: string, host: string) => Thenable<boolean>;

  constructor(
    private readonly log: Log,
    seams: {
      openExternal?: (uri: vscode.Uri) => Thenable<boolean>;
      /** Asked before an unknown host opens; the default is a modal showing the address. */
      confirm?: (url: string, host: string) => Thenable<boolean>;
    } = {},
  ) {
    this.openExternal = seams.openExternal ?? ((uri) => vscode.env.openExternal(uri));
    this.confirm = seams.confirm ?? confirmUnknownHost;
  }

  /** Open a URL after the safety checks; returns whether it was handed to the browser. */
  async open(url: string): Promise<boolean> {
    const verdict = classifyCodeUrl(url);
    if (verdict.kind === 'refused') {
      const shown = JSON.stringify(url.slice(0, 80));
      this.refused.push(url);
      this.log.warn(`Refused to open ${JSON.stringify(url.slice(0, 200))}: ${verdict.reason}`);
      void vscode.window.showWarningMessage(`Paper Shelf did not open ${shown}: ${verdict.reason}. It only opens plain http(s) links.`);
      return false;
    }
    if (verdict.kind === 'unknownHost' && !(await this.confirm(verdict.url, verdict.host))) {
      this.log.info(`Not opening ${verdict.url}: the user did not confirm`);
      return false;
    }
    this.log.info(`Opening ${verdict.url}`);
    this.opened.push(verdict.url);
    return this.openExternal(vscode.Uri.parse(verdict.url, true));
  }

  /** Open a paper's repository, or offer a GitHub search when it has a Code badge but no URL. */
  async openFor(p: Paper): Promise<boolean> {
    if (p.codeUrl) return this.open(p.codeUrl);
    if (p.hasCode) {
      const choice = await vscode.window.showInformationMessage(
        `“${p.title}” has code, but the record gives no address.`,
        'Search on GitHub',
      );
      return choice === 'Search on GitHub' ? this.searchFor(p) : false;
    }
    void vscode.window.showInformationMessage(`“${p.title}” has no code repository on record.`);
    return false;
  }

  /** Search GitHub repositories for the paper's title. */
  searchFor(p: Paper): Promise<boolean> {
    return this.open(githubSearchUrl(p.title));
  }

  /** Hand the repository to VS Code's Git clone command. */
  async clone(p: Paper): Promise<boolean> {
    if (!p.codeUrl) return this.openFor(p);
    const verdict = classifyCodeUrl(p.codeUrl);
    if (verdict.kind !== 'codeHost') {
      void vscode.window.showWarningMessage(`Paper Shelf only clones from known code hosts; ${p.codeUrl} is not one.`);
      return false;
    }
    const git = vscode.extensions.getExtension('vscode.git');
    const commands = await vscode.commands.getCommands(true);
    if (!git || !commands.includes('git.clone')) {
      void vscode.window.showWarningMessage('Git is not available in this VS Code, so Paper Shelf cannot clone. Opening the repository instead.');
      return this.open(verdict.url);
    }
    await vscode.commands.executeCommand('git.clone', verdict.url);
    return true;
  }
}

/** A modal that shows the whole (normalised) address and its host before it opens. */
async function confirmUnknownHost(url: string, host: string): Promise<boolean> {
  const choice = await vscode.window.showWarningMessage(
    `Open ${url} ?`,
    { modal: true, detail: `${host} is not a code host Paper Shelf knows. Check the full address before opening it.` },
    'Open',
  );
  return choice === 'Open';
}
