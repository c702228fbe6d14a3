import * as vscode from 'vscode';
import { randomBytes } from 'crypto';
import type { Paper } from '../core/model';
import { formatDate, authorName } from '../core/format';
import { toBibtex } from '../core/bibtex/write';
import {
  HostMessageSchema,
  PanelStateSchema,
  WebviewMessageSchema,
  type HostMessage,
  type PaperView,
  type WebviewMessage,
} from '../protocol/messages';
import type { LibraryService } from './library';
import type { Log } from './log';
import type { Config } from './config';

export const PANEL_VIEW_TYPE = 'paperShelf.details';

/** The http(s) links of a paper besides its code repository: DOI, arXiv, URL. */
export function paperLinks(p: Paper): { label: string; url: string }[] {
  const links: { label: string; url: string }[] = [];
  const doi = p.extra?.doi;
  // Each part escaped on its own: a DOI may hold `#`, `?` or `%` (`…3.0.CO;2-#`), which
  // encodeURI would leave to end the path; its `/` stay, as doi.org expects.
  if (doi) links.push({ label: `DOI ${doi}`, url: `https://doi.org/${doi.split('/').map(encodeURIComponent).join('/')}` });
  const arxiv = p.extra?.arxivId;
  if (arxiv) links.push({ label: `arXiv ${arxiv}`, url: `https://arxiv.org/abs/${encodeURI(arxiv)}` });
  const url = p.extra?.fields?.url;
  if (url && /^https?:\/\//i.test(url) && url !== p.codeUrl && !links.some((l) => l.url === url)) links.push({ label: url, url });
  return links;
}

/** Everything the panel shows, formatted as plain text. */
export function toPaperView(p: Paper): PaperView {
  return {
    key: p.key,
    title: p.title,
    authors: p.authors.map(authorName),
    authorsTruncated: p.authorsTruncated,
    date: formatDate(p),
    category: p.category,
    abstract: p.abstract,
    bibtex: toBibtex(p),
    hasCode: p.hasCode,
    codeUrl: p.codeUrl && /^https?:\/\//i.test(p.codeUrl) ? p.codeUrl : null,
    links: paperLinks(p),
    sourceLabel: `${p.source.file}:${p.source.line}`,
  };
}

/** A nonce for the Content Security Policy, from a cryptographic source. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** Where the actions of the panel go: the extension's commands. */
export interface PanelActions {
  copyKey(key: string): Thenable<unknown>;
  copyBibtex(key: string): Thenable<unknown>;
  insertCitation(key: string): Thenable<unknown>;
  openCode(key: string): Thenable<unknown>;
  searchCode(key: string): Thenable<unknown>;
  revealInSource(key: string): Thenable<unknown>;
  openLink(url: string): Thenable<unknown>;
}

/** What each panel message asks for, in a user's words (for the error when it fails). */
const ACTION_WORDS: Readonly<Record<WebviewMessage['type'], string>> = {
  ready: 'show the paper',
  copyKey: 'copy the citation key',
  copyBibtex: 'copy the BibTeX',
  insertCitation: 'insert the citation',
  openCode: 'open the code repository',
  searchCode: 'search for the code',
  revealInSource: 'show the paper in its source file',
  openLink: 'open the link',
};

/** One open detail panel and the paper it shows. */
class DetailPanel implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidDispose: vscode.Event<void>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public key: string | null,
    private readonly manager: DetailPanelManager,
  ) {
    this.onDidDispose = panel.onDidDispose;
    panel.webview.options = manager.webviewOptions();
    panel.webview.html = manager.html(panel.webview);
    panel.iconPath = vscode.Uri.joinPath(manager.extensionUri, 'media', 'paper.svg');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => manager.receive(this, raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  show(key: string | null): void {
    this.key = key;
    this.refresh(true);
  }

  /** What the webview shows now (the last message posted), to leave it alone when nothing changed. */
  private shown: string | undefined;

  /**
   * Post the current paper (or "missing") to the webview; with `force` false only when it
   * differs from what the panel shows: a library change (saving any source) would
   * otherwise redraw an unchanged panel, dropping the keyboard focus.
   */
  refresh(force = false): void {
    if (this.key === null) return;
    const paper = this.manager.library.snapshot.get(this.key);
    this.panel.title = paper ? truncate(paper.title, 40) : 'Paper Shelf';
    let message: HostMessage | undefined;
    if (paper) message = { type: 'show', paper: toPaperView(paper) };
    else if (!this.manager.library.snapshot.loading) message = { type: 'missing', key: this.key };
    if (!message) return;
    const text = JSON.stringify(message);
    if (!force && text === this.shown) return;
    this.shown = text;
    this.post(message);
  }

  post(message: HostMessage): void {
    // Validate our own messages too: a bug here must show up in the log, not in the panel.
    const checked = HostMessageSchema.safeParse(message);
    if (!checked.success) {
      this.manager.log.error(`Refused to post an invalid message to the panel: ${checked.error.message}`);
      return;
    }
    void this.panel.webview.postMessage(checked.data);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.manager.forget(this);
  }
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s;
}

/**
 * The detail panel: one panel reused as the selection changes (or one per paper when
 * `paperShelf.detailPanel.reuse` is off), restored after a reload by a serializer.
 */
export class DetailPanelManager implements vscode.Disposable, vscode.WebviewPanelSerializer {
  private readonly panels = new Set<DetailPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly extensionUri: vscode.Uri,
    readonly library: LibraryService,
    readonly log: Log,
    private readonly config: Config,
    private readonly actions: PanelActions,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, this),
      library.onDidChange(() => {
        for (const p of this.panels) p.refresh();
      }),
    );
  }

  /** Keys shown by open panels (for tests and the status of the UI). */
  get shownKeys(): (string | null)[] {
    return [...this.panels].map((p) => p.key);
  }

  webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  /** The panel's HTML: a strict CSP with a fresh nonce; content arrives as messages. */
  html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'panel.css')}">
<title>Paper Shelf</title>
</head>
<body>
<main id="root"><p class="placeholder">Loading…</p></main>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  /** Show a paper: in the reused panel, or in its own panel when reuse is off. */
  show(key: string): void {
    const reuse = this.config.reusePanel;
    let target = reuse ? [...this.panels][0] : [...this.panels].find((p) => p.key === key);
    if (!target) {
      const panel = vscode.window.createWebviewPanel(
        PANEL_VIEW_TYPE,
        'Paper Shelf',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        this.webviewOptions(),
      );
      target = new DetailPanel(panel, key, this);
      this.panels.add(target);
    } else {
      target.panel.reveal(undefined, true);
    }
    target.show(key);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = PanelStateSchema.safeParse(state);
    const key = parsed.success ? parsed.data.key : null;
    const restored = new DetailPanel(panel, key, this);
    this.panels.add(restored);
    restored.refresh(true);
  }

  /** Validate a message from a panel's webview; malformed ones are logged and dropped. */
  receive(panel: DetailPanel, raw: unknown): boolean {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`Dropped a malformed message from the detail panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return false;
    }
    this.handle(panel, parsed.data).catch((e) => this.log.showError(`Paper Shelf could not ${ACTION_WORDS[parsed.data.type]}: ${e instanceof Error ? e.message : String(e)}`, e));
    return true;
  }

  private async handle(panel: DetailPanel, msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready':
        if (panel.key === null && msg.key) panel.key = msg.key;
        panel.refresh(true);
        return;
      case 'copyKey':
        await this.actions.copyKey(msg.key);
        panel.post({ type: 'flash', text: `Copied ${msg.key}` });
        return;
      case 'copyBibtex':
        await this.actions.copyBibtex(msg.key);
        panel.post({ type: 'flash', text: 'Copied BibTeX' });
        return;
      case 'insertCitation':
        await this.actions.insertCitation(msg.key);
        return;
      case 'openCode':
        await this.actions.openCode(msg.key);
        return;
      case 'searchCode':
        await this.actions.searchCode(msg.key);
        return;
      case 'revealInSource':
        await this.actions.revealInSource(msg.key);
        return;
      case 'openLink': {
        // Only a link the panel was given for this paper, and only http(s).
        const paper = this.library.snapshot.get(msg.key);
        const allowed = paper ? [paper.codeUrl, ...paperLinks(paper).map((l) => l.url)] : [];
        if (!allowed.includes(msg.url) || !/^https?:\/\//i.test(msg.url)) {
          this.log.warn(`Refused to open a link the panel was not given: ${msg.url.slice(0, 200)}`);
          return;
        }
        // The code link opens as Open Code does (an unknown host is asked about as a code host).
        if (msg.url === paper?.codeUrl) await this.actions.openCode(msg.key);
        else await this.actions.openLink(msg.url);
        return;
      }
    }
  }

  forget(panel: DetailPanel): void {
    this.panels.delete(panel);
  }

  /** Deliver a raw message to the first panel as if its webview had sent it (tests of the protocol). */
  receiveForTest(raw: unknown): boolean {
    const first = [...this.panels][0];
    return first ? this.receive(first, raw) : false;
  }

  dispose(): void {
    for (const p of [...this.panels]) p.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
