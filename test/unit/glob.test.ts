import * as assert from 'assert';
import { globDepth, globToRegExp, isGlob, splitGlob } from '../../src/core/glob';

describe('globs for sources outside the workspace', () => {
  it('splits a glob into the directory it starts from and the pattern below it', () => {
    assert.deepStrictEqual(splitGlob('/home/me/papers/**/*.bib'), { base: '/home/me/papers', pattern: '**/*.bib' });
    assert.deepStrictEqual(splitGlob('/refs/*.bib'), { base: '/refs', pattern: '*.bib' });
    assert.deepStrictEqual(splitGlob('/*.bib'), { base: '/', pattern: '*.bib' });
    assert.deepStrictEqual(splitGlob('C:\\Users\\me\\lib\\{a,b}.bib'), { base: 'C:/Users/me/lib', pattern: '{a,b}.bib' });
    assert.strictEqual(isGlob('/home/me/lib.bib'), false);
    assert.strictEqual(isGlob('/home/me/*.bib'), true);
  });

  it('matches whole relative paths as VS Code globs do', () => {
    const rows: [string, string, boolean][] = [
      ['*.bib', 'refs.bib', true],
      ['*.bib', 'sub/refs.bib', false],
      ['*.bib', 'refs.bibx', false],
      ['**/*.bib', 'refs.bib', true],
      ['**/*.bib', 'a/b/c/refs.bib', true],
      ['**/*.{bib,json}', 'a/lib.json', true],
      ['**/*.{bib,json}', 'a/lib.txt', false],
      ['group/**', 'group/a/b.bib', true],
      ['paper?.bib', 'paper1.bib', true],
      ['paper?.bib', 'paper10.bib', false],
      ['[ab]*.bib', 'alpha.bib', true],
      ['[!ab]*.bib', 'alpha.bib', false],
      ['[!ab]*.bib', 'gamma.bib', true],
      ['my (old) lib+.bib', 'my (old) lib+.bib', true],
      ['a.b', 'axb', false],
    ];
    for (const [pattern, path, expected] of rows) assert.strictEqual(globToRegExp(pattern).test(path), expected, `${pattern} ~ ${path}`);
  });

  it('says what is wrong with a malformed glob, and how deep a glob reaches', () => {
    assert.throws(() => globToRegExp('*.{bib,json'), /"\*\.\{bib,json" has a "\{" that is not closed/);
    assert.strictEqual(globDepth('*.bib'), 1);
    assert.strictEqual(globDepth('*/refs/*.bib'), 3);
    assert.strictEqual(globDepth('**/*.bib'), Infinity);
  });
});
