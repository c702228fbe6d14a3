/**
 * Regression guard (issue #7, item 8): fails if a security declaration or setting of the
 * extension loosens. The in-host half (test/suite/guard.test.ts) checks the live panel's
 * HTML and options; this half checks the manifest and the sources for what cannot be
 * seen from outside (where a nonce's randomness comes from).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: unknown; description?: unknown }; virtualWorkspaces?: unknown };
  contributes: { configuration: { properties: Record<string, unknown> } };
};

function sources(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(root, dir, f), 'utf8') }));
}

describe('Security regression guard', () => {
  it('declares limited support for untrusted workspaces, restricting the setting that points writes elsewhere', () => {
    const u = manifest.capabilities?.untrustedWorkspaces;
    assert.strictEqual(u?.supported, 'limited');
    assert.ok(typeof u?.description === 'string' && u.description.length > 20, 'a description of what Restricted Mode limits');
    assert.ok(Array.isArray(u?.restrictedConfigurations) && u.restrictedConfigurations.includes('paperShelf.bibliographyFile'));
    for (const key of u.restrictedConfigurations as string[]) assert.ok(key in manifest.contributes.configuration.properties, `${key} is a real setting`);
  });

  it('declares virtual workspace support', () => {
    assert.strictEqual(manifest.capabilities?.virtualWorkspaces, true);
  });

  it('takes randomness only from crypto (nonces), never Math.random', () => {
    const offenders = sources('src').filter((s) => /Math\.random\s*\(/.test(s.text)).map((s) => s.file);
    assert.deepStrictEqual(offenders, []);
    const panel = fs.readFileSync(path.join(root, 'src', 'host', 'panel.ts'), 'utf8');
    const makeNonce = /export function makeNonce\(\)[^{]*\{([^}]*)\}/.exec(panel)?.[1] ?? '';
    assert.match(makeNonce, /randomBytes\((1[6-9]|[2-9]\d)\)/, 'the nonce comes from crypto.randomBytes, at least 128 bits');
  });

  it('never enables command URIs, HTML in Markdown or full trust anywhere in the sources', () => {
    const bad: string[] = [];
    for (const s of sources('src')) {
      if (/enableCommandUris\s*:\s*true/.test(s.text)) bad.push(`${s.file}: enableCommandUris: true`);
      if (/supportHtml\s*=\s*true/.test(s.text)) bad.push(`${s.file}: supportHtml = true`);
      if (/isTrusted\s*=\s*true/.test(s.text) || /new vscode\.MarkdownString\([^)]*,\s*true\s*,\s*true/.test(s.text)) bad.push(`${s.file}: a fully trusted MarkdownString`);
      if (/unsafe-(inline|eval)/.test(s.text.replace(/style-src[^;`"]*/g, ''))) bad.push(`${s.file}: 'unsafe-inline'/'unsafe-eval' outside style-src`);
      if (/\.innerHTML\s*=|insertAdjacentHTML|document\.write|outerHTML\s*=/.test(s.text)) bad.push(`${s.file}: HTML from strings`);
    }
    assert.deepStrictEqual(bad, []);
  });
});
