import * as assert from 'assert';
import { asciiSlug, fold, isSpaceCode, stripAccents } from '../../src/core/text';

describe('text: fold', () => {
  it('lower-cases and removes accents', () => {
    assert.strictEqual(fold('Schürholt'), 'schurholt');
    assert.strictEqual(fold('Léo MEYNENT'), 'leo meynent');
    assert.strictEqual(fold('Ångström Façade Ñandú'), 'angstrom facade nandu');
  });

  it('transliterates letters that have no decomposition', () => {
    assert.strictEqual(fold('Straße ẞ'), 'strasse ss');
    assert.strictEqual(fold('Æsir Œuvre'), 'aesir oeuvre');
    assert.strictEqual(fold('Søren Łukasz Đorđe'), 'soren lukasz dorde');
    assert.strictEqual(fold('Işık'), 'isik');
    assert.strictEqual(fold('Þór'), 'thor');
  });

  it('folds compatibility forms and the dotted capital I', () => {
    assert.strictEqual(fold('ﬁne-tuning'), 'fine-tuning');
    assert.strictEqual(fold('İSTANBUL'), 'istanbul');
  });

  it('makes differently written forms of a name compare equal', () => {
    // precomposed é vs e + combining acute
    assert.strictEqual(fold('Le\u0301o'), fold('L\u00e9o'));
  });

  it('keeps digits, punctuation and scripts without case', () => {
    assert.strictEqual(fold('GPT-4: 周一帆?'), 'gpt-4: 周一帆?');
  });
});

describe('text: stripAccents', () => {
  it('removes accents but keeps case', () => {
    assert.strictEqual(stripAccents('Schürholt Łukasz Æsir Þór'), 'Schurholt Lukasz AEsir Thor');
  });
});

describe('text: asciiSlug', () => {
  it('keeps only a-z and 0-9 after folding', () => {
    assert.strictEqual(asciiSlug('Léo Meynent'), 'leomeynent');
    assert.strictEqual(asciiSlug('RL4RLA:'), 'rl4rla');
    assert.strictEqual(asciiSlug("O'Brien-Straße"), 'obrienstrasse');
    assert.strictEqual(asciiSlug('周'), '');
  });
});

describe('text: isSpaceCode', () => {
  it('agrees with \\s on every UTF-16 code unit', () => {
    const disagree: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      if (isSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) disagree.push(c.toString(16));
    }
    assert.deepStrictEqual(disagree, []);
  });
});
