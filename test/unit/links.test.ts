import * as assert from 'assert';
import { classifyCodeUrl, githubSearchUrl } from '../../src/core/links';

describe('links: which URLs may be opened', () => {
  it('opens known code hosts directly', () => {
    for (const url of ['https://github.com/YefanZhou/VerifySteer', 'http://gitlab.com/a/b', 'https://huggingface.co/x', 'https://www.github.com/a']) {
      assert.strictEqual(classifyCodeUrl(url).kind, 'codeHost', url);
    }
  });

  it('asks first for other http(s) hosts, and names the host', () => {
    const v = classifyCodeUrl('https://github.com.evil.example/x');
    assert.deepStrictEqual(v, { kind: 'unknownHost', url: 'https://github.com.evil.example/x', host: 'github.com.evil.example' });
  });

  it('refuses every other scheme and credentials in the authority', () => {
    for (const url of ['javascript:alert(1)', 'command:workbench.action.quit', 'file:///etc/passwd', 'vscode://x', 'data:text/html,hi', 'https://user:pw@github.com/a', 'github.com/a', '']) {
      assert.strictEqual(classifyCodeUrl(url).kind, 'refused', url);
    }
  });

  it('searches GitHub for a title, encoded', () => {
    assert.strictEqual(githubSearchUrl('MD tree: a model & more'), 'https://github.com/search?q=MD%20tree%3A%20a%20model%20%26%20more&type=repositories');
  });
});
