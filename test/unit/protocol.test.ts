import * as assert from 'assert';
import { HostMessageSchema, WebviewMessageSchema, PanelStateSchema } from '../../src/protocol/messages';
import { PaperSchema, describeZodError } from '../../src/core/model';
import { paper } from './helpers';

describe('protocol: messages between the panel and the host', () => {
  it('accepts every well-formed webview message', () => {
    for (const m of [
      { type: 'ready', key: null },
      { type: 'ready', key: 'zhou2026hidden' },
      { type: 'copyKey', key: 'k' },
      { type: 'copyBibtex', key: 'k' },
      { type: 'insertCitation', key: 'k' },
      { type: 'openCode', key: 'k' },
      { type: 'searchCode', key: 'k' },
      { type: 'revealInSource', key: 'k' },
      { type: 'openLink', key: 'k', url: 'https://github.com/a/b' },
    ]) {
      assert.ok(WebviewMessageSchema.safeParse(m).success, JSON.stringify(m));
    }
  });

  it('rejects unknown types, missing or wrong fields, and non-objects', () => {
    for (const m of [
      { type: 'runCommand', command: 'workbench.action.quit' },
      { type: 'copyKey' },
      { type: 'copyKey', key: '' },
      { type: 'copyKey', key: 42 },
      { type: 'openLink', key: 'k' },
      { type: 'openLink', key: 'k', url: 'x'.repeat(5000) },
      'copyKey',
      null,
      [],
    ]) {
      assert.strictEqual(WebviewMessageSchema.safeParse(m).success, false, JSON.stringify(m));
    }
  });

  it('checks host messages and the saved panel state', () => {
    assert.strictEqual(HostMessageSchema.safeParse({ type: 'show', paper: { key: 'k' } }).success, false);
    assert.ok(HostMessageSchema.safeParse({ type: 'flash', text: 'Copied' }).success);
    assert.ok(PanelStateSchema.safeParse({ key: null }).success);
    assert.strictEqual(PanelStateSchema.safeParse(undefined).success, false);
  });
});

describe('model: readable validation messages', () => {
  it('names the field and the problem', () => {
    const bad = { ...paper({ key: 'a b', title: '' }), codeUrl: 'javascript:alert(1)', month: 13 };
    const r = PaperSchema.safeParse(bad);
    assert.strictEqual(r.success, false);
    const text = describeZodError(r.error!);
    assert.match(text, /key: citation key contains characters unsafe/);
    assert.match(text, /title: title is empty/);
    assert.match(text, /month: month must be 1–12/);
    assert.match(text, /codeUrl: must be an http\(s\) URL/);
  });

  it('describes a wrong type without a locale', () => {
    const r = PaperSchema.safeParse({ ...paper({ key: 'k', title: 't' }), year: 'twenty' });
    assert.match(describeZodError(r.error!), /^year: expected int|^year: expected number/);
  });
});
