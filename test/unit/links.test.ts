import * as assert from 'assert';
import { classifyCodeUrl, githubSearchUrl, httpHost } from '../../src/core/links';
import { ATTACK_URLS } from '../fixtures/attack-urls';


describe('links: which URLs may be opened', () => {
  it('opens known code hosts directly, normalised', () => {
    const cases: [string, string][] = [
      ['https://github.com/YefanZhou/VerifySteer', 'https://github.com/YefanZhou/VerifySteer'],
      ['http://gitlab.com/a/b', 'http://gitlab.com/a/b'],
      ['https://huggingface.co/x', 'https://huggingface.co/x'],
      ['https://www.github.com/a', 'https://www.github.com/a'],
      ['HTTPS://GitHub.COM/a/b', 'https://github.com/a/b'],
      ['https://github.com', 'https://github.com/'],
      ['  https://github.com/a/b  ', 'https://github.com/a/b'],
      ['https://github.com./a', 'https://github.com./a'],
      ['https://github.com:443/a', 'https://github.com/a'],
    ];
    for (const [url, opened] of cases) {
      const v = classifyCodeUrl(url);
      assert.strictEqual(v.kind, 'codeHost', url);
      assert.strictEqual(v.kind === 'codeHost' && v.url, opened, url);
    }
  });

  it(`never opens any of ${ATTACK_URLS.length} attack URLs without confirmation`, () => {
    assert.ok(ATTACK_URLS.length >= 40);
    const wrong = ATTACK_URLS.filter((a) => classifyCodeUrl(a.url).kind !== a.expect).map((a) => `${JSON.stringify(a.url.slice(0, 80))} (${a.why}): ${JSON.stringify(classifyCodeUrl(a.url))}`);
    assert.deepStrictEqual(wrong, []);
    const refused = ATTACK_URLS.filter((a) => a.expect === 'refused').length;
    console.log(`      ${ATTACK_URLS.length} attack URLs: ${refused} refused, ${ATTACK_URLS.length - refused} only after confirmation`);
  });

  it('shows look-alike hosts in their xn-- form, so the confirmation gives them away', () => {
    const v = classifyCodeUrl('https://g\u0456thub.com/a');
    assert.ok(v.kind === 'unknownHost');
    assert.match(v.host, /^xn--/);
    assert.strictEqual(v.url, `https://${v.host}/a`);
  });

  it('says why it refuses', () => {
    const reason = (url: string) => {
      const v = classifyCodeUrl(url);
      return v.kind === 'refused' ? v.reason : '';
    };
    assert.match(reason('javascript:alert(1)'), /javascript: scheme is not http\(s\)/);
    assert.match(reason('https://github.com@evil.example'), /user name before "@"/);
    assert.match(reason('https://git\thub.com'), /control, space or invisible/);
    assert.match(reason('github.com/a'), /not an http\(s\) URL/);
  });

  it('httpHost gives the host only for addresses we would open', () => {
    assert.strictEqual(httpHost('https://GitHub.com/a'), 'github.com');
    assert.strictEqual(httpHost('https://github.com@evil.example/'), undefined);
    assert.strictEqual(httpHost('https://git\nhub.com/'), undefined);
  });

  it('searches GitHub for a title, encoded', () => {
    assert.strictEqual(githubSearchUrl('MD tree: a model & more'), 'https://github.com/search?q=MD%20tree%3A%20a%20model%20%26%20more&type=repositories');
  });
});
