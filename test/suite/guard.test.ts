/**
 * Regression guard, in the real editor (issue #7, item 8): the detail panel's live
 * options and HTML keep a strict Content Security Policy with a fresh nonce on every
 * script, command URIs off, and local resources limited to our own folders.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { paperMarkdown } from '../../src/host/markdown';
import { api } from './util';

function csp(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, 'the panel has a CSP meta tag');
  return new Map(content.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('Security regression guard (live panel)', () => {
  it('keeps a strict CSP with a fresh crypto nonce on every script', async () => {
    const a = await api();
    const panel = vscode.window.createWebviewPanel('paperShelf.guardTest', 'guard', vscode.ViewColumn.Active, a.panels.webviewOptions());
    try {
      const html = a.panels.html(panel.webview);
      const policy = csp(html);
      assert.deepStrictEqual(policy.get('default-src'), ["'none'"]);
      const script = policy.get('script-src') ?? [];
      assert.strictEqual(script.length, 1, `script-src allows exactly one thing: ${script.join(' ')}`);
      const nonce = /^'nonce-([A-Za-z0-9_-]+)'$/.exec(script[0])?.[1];
      assert.ok(nonce && nonce.length >= 22, 'a nonce of at least 128 bits');
      for (const [name, values] of policy) {
        for (const v of values) assert.ok(!/^'unsafe-|^\*$|^(https?|data|blob):$/.test(v), `${name} allows ${v}`);
      }
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      assert.ok(scripts.length >= 1);
      for (const attrs of scripts) assert.match(attrs, new RegExp(`nonce="${nonce}"`), 'every script carries the nonce');
      assert.ok(!/\son\w+\s*=/i.test(html), 'no inline event handlers');
      const again = csp(a.panels.html(panel.webview)).get('script-src')?.[0];
      assert.notStrictEqual(again, script[0], 'a fresh nonce for every render');
    } finally {
      panel.dispose();
    }
  });

  it('never enables command URIs and only loads our dist/ and media/ folders', async () => {
    const a = await api();
    const o = a.panels.webviewOptions();
    assert.strictEqual(o.enableCommandUris, false);
    const ext = vscode.extensions.getExtension('paper-shelf.paper-shelf');
    assert.ok(ext);
    assert.deepStrictEqual(
      (o.localResourceRoots ?? []).map((u) => u.toString()).sort(),
      [vscode.Uri.joinPath(ext.extensionUri, 'dist').toString(), vscode.Uri.joinPath(ext.extensionUri, 'media').toString()].sort(),
    );
  });

  it('hovers and tooltips run no HTML and at most our own Show Details command', async () => {
    const a = await api();
    const p = a.library.snapshot.papers[0];
    for (const opts of [{}, { detailsLink: true }]) {
      const md = paperMarkdown(p, opts);
      assert.strictEqual(md.supportHtml, false);
      if (typeof md.isTrusted === 'object') assert.deepStrictEqual(md.isTrusted.enabledCommands, ['paperShelf.showDetails']);
      else assert.ok(!md.isTrusted);
    }
  });
});
