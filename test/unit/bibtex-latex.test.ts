import * as assert from 'assert';
import { isPlainText, latexToUnicode } from '../../src/core/bibtex/latex';

describe('latexToUnicode', () => {
  const cases: [string, string][] = [
    // accents in every spelling BibTeX files use
    ['Sch{\\"u}rholt', 'Schürholt'],
    ['Sch\\"urholt', 'Schürholt'],
    ['L{\\\'e}o', 'Léo'],
    ["\\'{e}cole", 'école'],
    ['\\c{c}a', 'ça'],
    ['\\c c', 'ç'],
    ['{\\v S}koda', 'Škoda'],
    ['\\v{s}', 'š'],
    ['\\u{a}', 'ă'],
    ['Erd\\H{o}s', 'Erdős'],
    ['\\k{a}', 'ą'],
    ['\\={o}', 'ō'],
    ['\\.{z}', 'ż'],
    ['\\r{u}', 'ů'],
    ['\\~{n}', 'ñ'],
    ['\\^{o}', 'ô'],
    ["\\'\\i", 'í'],
    ["\\'{\\i}", 'í'],
    ['\\`a', 'à'],
    ['\\d{s}', 'ṣ'],
    ["H{\\`a}n Th{\\'{\\^e}} Th{\\`a}nh", 'Hàn Thế Thành'],
    // special letters
    ['Stra\\ss e', 'Straße'],
    ['{\\o}ystein', 'øystein'],
    ['{\\O}', 'Ø'],
    ['{\\ae}', 'æ'],
    ['{\\AE}', 'Æ'],
    ['{\\oe}uvre', 'œuvre'],
    ['{\\L}ukasz', 'Łukasz'],
    ['{\\l}', 'ł'],
    ['{\\aa}', 'å'],
    ['{\\AA}ngstr{\\"o}m', 'Ångström'],
    ['\\j', 'ȷ'],
    // dashes, ties, quotes, escapes
    ['133--139', '133–139'],
    ['yes---no', 'yes—no'],
    ['a-b', 'a-b'],
    ['D.~E. Knuth', 'D. E. Knuth'],
    ['``quoted\'\'', '“quoted”'],
    ["`single' and don't", '‘single\' and don\'t'],
    ["Fackin'{}'' (braces split a ligature)", 'Fackin\'” (braces split a ligature)'],
    ['Barnes \\& Noble', 'Barnes & Noble'],
    ['50\\% off', '50% off'],
    ['\\$5', '$5'],
    ['snake\\_case', 'snake_case'],
    ['\\#1', '#1'],
    ['\\{braces\\}', '{braces}'],
    // formatting commands keep their text, braces go
    ['\\textit{Deep} {LLM}s', 'Deep LLMs'],
    ['\\emph{very} \\textbf{bold}', 'very bold'],
    ['{\\em emphasis}', 'emphasis'],
    ['\\url{https://example.org/a_b}', 'https://example.org/a_b'],
    ['\\path|beebe@math.utah.edu|', 'beebe@math.utah.edu'],
    ['The {\\TeX}book', 'The TeXbook'],
    ['The {\\TeX book}', 'The TeXbook'],
    ['\\LaTeX{} is', 'LaTeX is'],
    ['\\TUB{} issue', 'TUGboat issue'],
    ['\\noopsort{1973b}1973', '1973'],
    ['a\\kern-.1em b', 'ab'],
    // math stays readable
    ['$\\alpha$-stable', 'α-stable'],
    ['$O(n^2)$ time', 'O(n^2) time'],
    ['$x \\leq y$', 'x ≤ y'],
    // unknown commands keep their argument, or their name without one
    ['\\unknowncmd{kept}', 'kept'],
    ['\\Foo bar', 'Foobar'],
    // whitespace
    ['  many\n   lines\t here ', 'many lines here'],
    ['plain text stays', 'plain text stays'],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.strictEqual(latexToUnicode(input), expected);
    });
  }

  it('returns NFC text, so accented results compare equal to typed text', () => {
    const out = latexToUnicode('Sch{\\"u}rholt');
    assert.strictEqual(out, out.normalize('NFC'));
    assert.strictEqual(out.length, 'Schürholt'.length);
  });

  it('survives unbalanced braces and a trailing backslash', () => {
    assert.strictEqual(latexToUnicode('Taylor {{\\&} Francis'), 'Taylor & Francis');
    assert.strictEqual(latexToUnicode('ends with \\'), 'ends with');
    assert.strictEqual(latexToUnicode('\\"{'), '¨');
  });
});

describe('isPlainText', () => {
  it('is true exactly for text the converter returns unchanged', () => {
    const samples = [
      '', 'Plain title', 'Mizoroki-Heck reactions', "O'Brien", 'Ünïcödé ok', '1984', 'pp. 1--10', 'a---b', "''quoted''",
      '`tick', 'two  spaces', ' leading', 'trailing ', 'tab\there', 'line\nbreak', 'no\u00a0break', '{Braced}', 'x\\y',
      'tilde~space', '$x$', 'close}', 'a - b', "it's", 'ends -', '-', "'",
    ];
    for (const s of samples) assert.strictEqual(isPlainText(s), latexToUnicode(s) === s, JSON.stringify(s));
  });
});
