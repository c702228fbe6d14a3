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

  private readonly openExternal: (url: string) => Thenable<boolean>;
  private readonly confirm: (url: string, host: string, purpose: LinkPurpose) => Thenable<boolean>;

  constructor(
    private readonly log: Log,
    seams: {
      /** Hands an address (already checked) to the browser; the default is `openBrowser`. */
      openExternal?: (url: string) => Thenable<boolean>;
      /** Asked before an unknown host opens; the default is a modal showing the address. */
      confirm?: (url: string, host: string, purpose: LinkPurpose) => Thenable<boolean>;
    } = {},
  ) {
    this.openExternal = seams.openExternal ?? openBrowser;
    this.confirm = seams.confirm ?? confirmUnknownHost;
  }

  /**
   * Open a URL after the safety checks; returns whether it was handed to the browser.
   * `purpose` only words the question asked before an unknown host: a link of a paper
   * (doi.org, a publisher) is not expected to be a code host.
   */
  async open(url: string, purpose: LinkPurpose = 'link'): Promise<boolean> {
    const verdict = classifyCodeUrl(url);
    if (verdict.kind === 'refused') {
      const shown = JSON.stringify(url.slice(0, 80));
      this.refused.push(url);
      this.log.warn(`Refused to open ${JSON.stringify(url.slice(0, 200))}: ${verdict.reason}`);
      void vscode.window.showWarningMessage(`Paper Shelf did not open ${shown}: ${verdict.reason}. It only opens plain http(s) links.`);
      return false;
    }
    if (verdict.kind === 'unknownHost' && !(await this.confirm(verdict.url, verdict.host, purpose))) {
      this.log.info(`Not opening ${verdict.url}: the user did not confirm`);
      return false;
    }
    this.log.info(`Opening ${verdict.url}`);
    this.opened.push(verdict.url);
    return this.openExternal(verdict.url);
  }

  /** Open a paper's repository, or offer a GitHub search when it has a Code badge but no URL. */
  async openFor(p: Paper): Promise<boolean> {
    if (p.codeUrl) return this.open(p.codeUrl, 'code');
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
    return this.open(githubSearchUrl(p.title), 'code');
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
      return this.open(verdict.url, 'code');
    }
    await vscode.commands.executeCommand('git.clone', verdict.url);
    return true;
  }
}

/** What a link is for: a paper's code, or any other link of a paper (DOI, arXiv, its URL). */
export type LinkPurpose = 'code' | 'link';

/**
 * Hand a checked http(s) address to the browser as a string. Given a `Uri`, VS Code
 * opens `encodeURI(uri.toString(true))`, which decodes the query's escapes: `%26` becomes
 * a literal `&` (ending the parameter) and `%2B` a `+` (a space), so a search for
 * "Pruning & Quantization" would search for "Pruning ". Given a string, VS Code opens the
 * string as it is when it parses to the same URI (extHostWindow.openUri and
 * OpenerService._doOpenExternal; microsoft/vscode#85930, #173239). Should a VS Code refuse
 * the string, the `Uri` still opens the address, only with those escapes undone.
 */
function openBrowser(url: string): Thenable<boolean> {
  // openExternal is typed for a Uri only; its implementation takes a string too.
  return vscode.env.openExternal(url as unknown as vscode.Uri).then(undefined, () => vscode.env.openExternal(vscode.Uri.parse(url, true)));
}

/** The words of the question asked before an unknown host opens; the whole (normalised) address is shown. */
export function unknownHostQuestion(url: string, host: string, purpose: LinkPurpose): { message: string; detail: string } {
  return purpose === 'code'
    ? { message: `Open ${url} ?`, detail: `${host} is not a code host Paper Shelf knows. Check the full address before opening it.` }
    : { message: `Open ${host}?`, detail: `The link goes to ${url}\n\nCheck the full address before opening it.` };
}

/** A modal that shows the whole (normalised) address and its host before it opens. */
async function confirmUnknownHost(url: string, host: string, purpose: LinkPurpose): Promise<boolean> {
  const { message, detail } = unknownHostQuestion(url, host, purpose);
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Open');
  return choice === 'Open';
}
