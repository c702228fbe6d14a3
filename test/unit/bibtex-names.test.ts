import * as assert from 'assert';
import { parseNameList, type NameParts } from '../../src/core/bibtex/names';

function parts(first: string, von: string, last: string, jr = ''): NameParts {
  return { first, von, last, jr };
}

describe('parseNameList', () => {
  const single: [string, NameParts][] = [
    ['Donald E. Knuth', parts('Donald E.', '', 'Knuth')],
    ['Knuth, Donald E.', parts('Donald E.', '', 'Knuth')],
    ['Ludwig van Beethoven', parts('Ludwig', 'van', 'Beethoven')],
    ['van Beethoven, Ludwig', parts('Ludwig', 'van', 'Beethoven')],
    ['Jean de La Fontaine', parts('Jean', 'de', 'La Fontaine')],
    ['de La Fontaine, Jean', parts('Jean', 'de', 'La Fontaine')],
    ['Charles Louis Xavier Joseph de la Vallee Poussin', parts('Charles Louis Xavier Joseph', 'de la', 'Vallee Poussin')],
    ['Ford, Jr., Henry', parts('Henry', '', 'Ford', 'Jr.')],
    ['von Last, Jr, First', parts('First', 'von', 'Last', 'Jr')],
    ['{Barnes and Noble, Inc.}', parts('', '', '{Barnes and Noble, Inc.}')],
    ['{World Health Organization}', parts('', '', '{World Health Organization}')],
    ['Aristotle', parts('', '', 'Aristotle')],
    // case decided by the letter after a special character's command
    ['Kurt G{\\"o}del', parts('Kurt', '', 'G{\\"o}del')],
    ['Wolfgang {\\"u}ber Stein', parts('Wolfgang', '{\\"u}ber', 'Stein')],
    ['{\\v S}t{\\v e}p{\\\'a}n Nov{\\\'a}k', parts('{\\v S}t{\\v e}p{\\\'a}n', '', 'Nov{\\\'a}k')],
    // braces protect a lower-case word from being `von`
    ['Maria {de} Souza', parts('Maria {de}', '', 'Souza')],
    ['D.~E. Knuth', parts('D. E.', '', 'Knuth')],
    ['Léo Meynent', parts('Léo', '', 'Meynent')],
  ];
  for (const [input, expected] of single) {
    it(`splits ${JSON.stringify(input)}`, () => {
      const list = parseNameList(input);
      assert.deepStrictEqual(list.names, [expected]);
      assert.strictEqual(list.others, false);
    });
  }

  it('splits on "and" in any case, but not inside braces or words', () => {
    const list = parseNameList('Alice Anderson AND Bob Sand and {Barnes and Noble} and\nCarol Andrews');
    assert.deepStrictEqual(
      list.names.map((n) => n.last),
      ['Anderson', 'Sand', '{Barnes and Noble}', 'Andrews'],
    );
  });

  it('marks a list ending in "and others" as truncated and drops the pseudo-name', () => {
    const list = parseNameList('Yefan Zhou and Yilun Zhou and others');
    assert.deepStrictEqual(list.names.map((n) => n.last), ['Zhou', 'Zhou']);
    assert.strictEqual(list.others, true);
  });

  it('ignores empty names from doubled "and"', () => {
    assert.deepStrictEqual(parseNameList('A B and  and C D').names.map((n) => n.last), ['B', 'D']);
    assert.deepStrictEqual(parseNameList('').names, []);
  });
});
