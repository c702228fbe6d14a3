import * as assert from 'assert';
import {
  citationContextAt,
  citationStyleFor,
  citedKeys,
  findCitationAt,
  formatCitation,
  latexCommandProblem,
  mergeIntoCitation,
  planCitationInsert,
  type CitationStyle,
  type TextEdit,
} from '../../src/core/cite';

/**
 * A document written with cursor markers (`|` unless the row needs that character, then
 * `¦`): the text without them, and the offset of each marker.
 */
function doc(written: string, marker = written.includes('¦') ? '¦' : '|'): { text: string; offsets: number[] } {
  const parts = written.split(marker);
  const offsets: number[] = [];
  let text = parts[0];
  for (const part of parts.slice(1)) {
    offsets.push(text.length);
    text += part;
  }
  return { text, offsets };
}

/** The text after applying edits given as offsets into the original (checks they do not overlap). */
function apply(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  let limit = Infinity;
  for (const e of [...edits].reverse()) {
    assert.ok(e.offset + e.deleteLength <= limit, `edits overlap: ${JSON.stringify(edits)}`);
    out = out.slice(0, e.offset) + e.insert + out.slice(e.offset + e.deleteLength);
    limit = e.offset;
  }
  return out;
}

/** The keys of the citation under the (single) cursor, or undefined when there is none. */
function keysAt(written: string, style: CitationStyle): string[] | undefined {
  const { text, offsets } = doc(written);
  assert.strictEqual(offsets.length, 1, `one cursor expected in ${JSON.stringify(written)}`);
  return findCitationAt(text, offsets[0], style)?.keys.map((k) => k.key);
}

/** The document after citing `keys` at every cursor. */
function cite(written: string, keys: string[], style: CitationStyle, opts = {}): string {
  const { text, offsets } = doc(written);
  return apply(text, planCitationInsert(text, offsets, keys, style, opts));
}

describe('citationStyleFor', () => {
  const rows: [string, string, CitationStyle][] = [
    ['latex', '/p/paper.tex', 'latex'],
    ['tex', '/p/x.tex', 'latex'],
    ['latex-expl3', '/p/x.sty', 'latex'],
    ['doctex', '/p/x.dtx', 'latex'],
    ['rsweave', '/p/x.Rnw', 'latex'],
    ['plaintext', '/p/chapter.tex', 'latex'],
    ['plaintext', 'C:\\thesis\\intro.TEX', 'latex'],
    ['markdown', '/p/notes.txt', 'pandoc'],
    ['quarto', '/p/a.qmd', 'pandoc'],
    ['rmd', '/p/a.Rmd', 'pandoc'],
    ['rmarkdown', '/p/a.Rmd', 'pandoc'],
    ['plaintext', '/p/README.md', 'pandoc'],
    ['plaintext', '/p/a.qmd', 'pandoc'],
    ['plaintext', '/p/a.Rmd', 'pandoc'],
    ['markdown', '/p/odd.tex', 'pandoc'],
    ['context', '/p/x.mkiv', 'plain'],
    ['python', '/p/x.py', 'plain'],
    ['plaintext', '/p/notes.txt', 'plain'],
  ];
  for (const [language, file, style] of rows) {
    it(`${language} ${file} → ${style}`, () => assert.strictEqual(citationStyleFor(language, file), style));
  }
});

describe('formatCitation', () => {
  const rows: [string[], CitationStyle, Parameters<typeof formatCitation>[2], string][] = [
    [['a'], 'latex', {}, '\\cite{a}'],
    [['a', 'b'], 'latex', {}, '\\cite{a,b}'],
    [['a', 'b'], 'latex', { latexCommand: 'citep' }, '\\citep{a,b}'],
    [['a'], 'latex', { latexCommand: 'parencite*' }, '\\parencite*{a}'],
    [['a'], 'latex', { latexCommand: '\\textcite' }, '\\textcite{a}'],
    [['a'], 'latex', { latexCommand: ' autocite ' }, '\\autocite{a}'],
    [['a', 'b'], 'latex', { latexCommand: 'textcites' }, '\\textcites{a}{b}'],
    [['a'], 'latex', { latexCommand: 'cite{' }, '\\cite{a}'],
    [['a'], 'latex', { latexCommand: '' }, '\\cite{a}'],
    [['a', 'a', 'b'], 'latex', {}, '\\cite{a,b}'],
    [['a'], 'pandoc', {}, '[@a]'],
    [['a', 'b'], 'pandoc', {}, '[@a; @b]'],
    [['a'], 'pandoc', { pandocBare: true }, '@a'],
    [['a', 'b'], 'pandoc', { pandocBare: true }, '[@a; @b]'],
    [['smith:2020/x'], 'pandoc', {}, '[@smith:2020/x]'],
    [['ends.'], 'pandoc', {}, '[@{ends.}]'],
    [['a', 'b'], 'plain', {}, 'a, b'],
    [[], 'latex', {}, ''],
  ];
  for (const [keys, style, opts, expected] of rows) {
    it(`${JSON.stringify(keys)} ${style} ${JSON.stringify(opts)} → ${expected}`, () =>
      assert.strictEqual(formatCitation(keys, style, opts), expected));
  }

  it('explains a command name that cannot be used', () => {
    assert.strictEqual(latexCommandProblem('citep'), undefined);
    assert.strictEqual(latexCommandProblem('\\footcite*'), undefined);
    assert.match(latexCommandProblem('cite{') ?? '', /"cite\{" is not a LaTeX command name/);
    assert.match(latexCommandProblem('my cite') ?? '', /not a LaTeX command name/);
  });
});

describe('findCitationAt: LaTeX', () => {
  const rows: [string, string[] | undefined][] = [
    ['See \\cite{|a} here.', ['a']],
    ['See \\cite{a|} here.', ['a']],
    ['See \\cite{a,|b} here.', ['a', 'b']],
    ['See \\cite{a, b,|} here.', ['a', 'b']],
    ['See \\cite{ a ,\n   b|\n } here.', ['a', 'b']],
    ['See \\ci|te{a} here.', ['a']],
    ['See \\citep[se|e][p.~3]{a} here.', ['a']],
    ['See \\citep[see]\n  [p.~3] {a|}.', ['a']],
    ['See \\citep*{a|}.', ['a']],
    ['See \\Citep{a|}.', ['a']],
    ['See \\parencite*[{p. [3]}]{a|}.', ['a']],
    ['See \\citeauthor{a|}.', ['a']],
    ['See \\nocite{|*}.', ['*']],
    ['See \\textcites(all)[p.~1]{a}[p.~2]{b|}.', ['a', 'b']],
    ['See \\cite{a,% first\n b|}.', ['a', 'b']],
    ['See \\cite{a, % a } in a comment\n b|}.', ['a', 'b']],
    ['See |\\cite{a} here.', undefined],
    ['See \\cite{a}| here.', undefined],
    ['See| \\cite{a} here.', undefined],
    ['% \\cite{|a}', undefined],
    ['text % \\cite{|a}', undefined],
    ['50\\% of \\cite{|a}', ['a']],
    ['line\\\\% \\cite{|a}', undefined],
    ['\\verb+\\cite{x}+ and \\cite{|a}', ['a']],
    ['\\verb|\\cite{¦x}| and \\cite{a}', undefined],
    ['\\begin{verbatim}\n\\cite{|x}\n\\end{verbatim}', undefined],
    ['\\begin{verbatim}\n\\cite{x}\n\\end{verbatim} \\cite{a|}', ['a']],
    ['\\cite{a,\n\n b|}', undefined],
    ['\\citestyle{|plain}', undefined],
    ['\\DeclareCiteCommand{|\\foo}', undefined],
    ['\\section{|Intro}', undefined],
  ];
  for (const [written, keys] of rows) {
    it(`${JSON.stringify(written)} → ${keys ? keys.join(',') : 'none'}`, () => assert.deepStrictEqual(keysAt(written, 'latex'), keys));
  }

  it('reports where the keys are written and the command', () => {
    const { text, offsets } = doc('x \\citet[p.~3]{ab, cd|}');
    const site = findCitationAt(text, offsets[0], 'latex')!;
    assert.strictEqual(site.command, 'citet');
    assert.deepStrictEqual(site.keys.map((k) => text.slice(k.offset, k.offset + k.length)), ['ab', 'cd']);
    assert.strictEqual(text.slice(site.start, site.end), '\\citet[p.~3]{ab, cd}');
    assert.strictEqual(text.slice(site.listStart, site.listEnd), 'ab, cd');
  });

  it('picks the key group under the cursor in a multi-cite command, else the last', () => {
    const { text, offsets } = doc('\\cites[x]{a|}{b} \\cites{c}[|y]{d}');
    const first = findCitationAt(text, offsets[0], 'latex')!;
    assert.strictEqual(text.slice(first.listStart, first.listEnd), 'a');
    const other = findCitationAt(text, offsets[1], 'latex')!;
    assert.strictEqual(text.slice(other.listStart, other.listEnd), 'd');
  });
});

describe('findCitationAt: Pandoc', () => {
  const rows: [string, string[] | undefined][] = [
    ['As shown [|@x; @y].', ['x', 'y']],
    ['As shown [@x; @y|].', ['x', 'y']],
    ['As shown [see @x, p.| 3; @y].', ['x', 'y']],
    ['As shown [|see @x,\n  p. 3;\n  @y].', ['x', 'y']],
    ['Smith says [-@smith:2020|].', ['smith:2020']],
    ['@smith| says so.', ['smith']],
    ['@smi|th says so.', ['smith']],
    ['|@smith says so.', undefined],
    ['See @smith.|', undefined],
    ['See @smith|.', ['smith']],
    ['See @{weird key|}.', ['weird key']],
    ['Mail me@exam|ple.com.', undefined],
    ['Mail <me@exam|ple.com>.', undefined],
    ['Use `@fo|o` here.', undefined],
    ['Use `` a ` @fo|o `` here.', undefined],
    ['```\n[@x|]\n```', undefined],
    ['~~~~ md\n@x|\n~~~~\n', undefined],
    ['```\ncode\n```\n[@x|]', ['x']],
    ['<!-- [@x|] -->', undefined],
    ['A [link @x|](http://a.org).', undefined],
    ['A [[@x|]](http://a.org).', undefined],
    ['![figure @x|](f.png)', undefined],
    ['Text\\@x| here', undefined],
    ['A note.^[As @x| says.]', ['x']],
    ['[unclosed @x|\n\nnext]', ['x']],
    ['No [brackets| here].', undefined],
  ];
  for (const [written, keys] of rows) {
    it(`${JSON.stringify(written)} → ${keys ? keys.join(',') : 'none'}`, () => assert.deepStrictEqual(keysAt(written, 'pandoc'), keys));
  }

  it('reports a bare citation as bare', () => {
    const { text, offsets } = doc('As @a| says.');
    assert.strictEqual(findCitationAt(text, offsets[0], 'pandoc')?.bare, true);
  });

  it('finds nothing in plain text', () => {
    assert.strictEqual(findCitationAt('\\cite{a}', 7, 'plain'), undefined);
  });
});

describe('planCitationInsert: adding to the citation under the cursor', () => {
  const rows: [string, CitationStyle, string[], string][] = [
    // LaTeX: at the end unless the cursor is between keys; the separator style is kept.
    ['\\cite{a|}', 'latex', ['n'], '\\cite{a,n}'],
    ['\\cite{a, b|}', 'latex', ['n'], '\\cite{a, b, n}'],
    ['\\cite{a,b|}', 'latex', ['n', 'm'], '\\cite{a,b,n,m}'],
    ['\\cite{a,|b}', 'latex', ['n'], '\\cite{a,n,b}'],
    ['\\cite{a, |b}', 'latex', ['n'], '\\cite{a, n, b}'],
    ['\\cite{|a}', 'latex', ['n'], '\\cite{n,a}'],
    ['\\cite{a|b}', 'latex', ['n'], '\\cite{ab,n}'],
    ['\\ci|te{a}', 'latex', ['n'], '\\cite{a,n}'],
    ['\\citep[se|e]{a}', 'latex', ['n'], '\\citep[see]{a,n}'],
    ['\\cite{|}', 'latex', ['n'], '\\cite{n}'],
    ['\\cite{a,|}', 'latex', ['n'], '\\cite{a,n}'],
    ['\\cite{a, b, |}', 'latex', ['n'], '\\cite{a, b, n}'],
    ['\\cite{a, b,|}', 'latex', ['n'], '\\cite{a, b, n}'],
    ['\\cite{a,\n  b|\n}', 'latex', ['n'], '\\cite{a,\n  b, n\n}'],
    ['\\cite{a % note\n|}', 'latex', ['n'], '\\cite{a,n % note\n}'],
    ['\\cite{a, b|}', 'latex', ['b', 'a'], '\\cite{a, b}'],
    ['\\cite{a, b|}', 'latex', ['b', 'n', 'n'], '\\cite{a, b, n}'],
    ['\\textcites{a|}{b}', 'latex', ['n'], '\\textcites{a,n}{b}'],
    ['\\textcites{a}{b|}', 'latex', ['a'], '\\textcites{a}{b}'],
    // Pandoc: `; @key` items; a bare citation becomes a bracketed one.
    ['[@a|]', 'pandoc', ['n'], '[@a; @n]'],
    ['[see @a, p. 3|; @b]', 'pandoc', ['n'], '[see @a, p. 3; @n; @b]'],
    ['[see @a, p. 3; @b|]', 'pandoc', ['n'], '[see @a, p. 3; @b; @n]'],
    ['[@a;| @b]', 'pandoc', ['n'], '[@a; @n; @b]'],
    ['[|@a]', 'pandoc', ['n'], '[@n; @a]'],
    ['[@a; @b|]', 'pandoc', ['b'], '[@a; @b]'],
    ['[@a|]', 'pandoc', ['odd.'], '[@a; @{odd.}]'],
    ['As @a| says', 'pandoc', ['n'], 'As [@a; @n] says'],
    ['As @a| says', 'pandoc', ['a'], 'As @a says'],
    // A trailing semicolon is filled, never left dangling (Pandoc reads no citation then).
    ['[@a;|]', 'pandoc', ['n'], '[@a; @n]'],
    ['[@a; |]', 'pandoc', ['n'], '[@a; @n]'],
    ['[@a;\n|]', 'pandoc', ['n'], '[@a;\n@n]'],
    // Brackets without a key (VS Code auto-closes `[`) take the keys, after a prefix.
    ['As shown [|].', 'pandoc', ['n'], 'As shown [@n].'],
    ['As shown [see |].', 'pandoc', ['n', 'm'], 'As shown [see @n; @m].'],
    ['As shown [see|].', 'pandoc', ['n'], 'As shown [see @n].'],
    // A cite command without its key group gets one, not a second command.
    ['As shown \\citep|.', 'latex', ['n'], 'As shown \\citep{n}.'],
    ['As shown \\citep[p.~3]|.', 'latex', ['n', 'm'], 'As shown \\citep[p.~3]{n,m}.'],
    ['As shown \\citep* |.', 'latex', ['n'], 'As shown \\citep* {n}.'],
    ['As \\textcites(see)|', 'latex', ['n', 'm'], 'As \\textcites(see){n}{m}'],
    // apacite's <prefix>.
    ['\\cite<see>{a|}', 'latex', ['n'], '\\cite<see>{a,n}'],
  ];
  for (const [written, style, keys, expected] of rows) {
    it(`${JSON.stringify(written)} + ${keys.join(',')} → ${JSON.stringify(expected)}`, () =>
      assert.strictEqual(cite(written, keys, style), expected));
  }

  it('returns a zero-length edit from mergeIntoCitation when every key is there', () => {
    const { text, offsets } = doc('\\cite{a,b|}');
    const site = findCitationAt(text, offsets[0], 'latex')!;
    const edit = mergeIntoCitation(text, site, ['b', 'a']);
    assert.strictEqual(edit.insert, '');
    assert.strictEqual(edit.deleteLength, 0);
    assert.deepStrictEqual(planCitationInsert(text, offsets, ['a'], 'latex'), []);
  });

  it('appends at the end of the list when mergeIntoCitation gets no cursor', () => {
    const { text, offsets } = doc('\\cite{|a, b}');
    const site = findCitationAt(text, offsets[0], 'latex')!;
    assert.strictEqual(apply(text, [mergeIntoCitation(text, site, ['n'])]), '\\cite{a, b, n}');
  });
});

describe('planCitationInsert: new citations', () => {
  const rows: [string, CitationStyle, string[], object, string][] = [
    ['As shown |.', 'latex', ['a', 'b'], {}, 'As shown \\cite{a,b}.'],
    ['As shown~|.', 'latex', ['a'], { latexCommand: 'citep' }, 'As shown~\\citep{a}.'],
    ['As shown|.', 'latex', ['a'], {}, 'As shown\\cite{a}.'],
    ['|\\cite{x}', 'latex', ['a'], {}, '\\cite{a}\\cite{x}'],
    ['% \\cite{|x}', 'latex', ['a'], {}, '% \\cite{\\cite{a}x}'],
    ['As shown |.', 'pandoc', ['a', 'b'], {}, 'As shown [@a; @b].'],
    ['As shown|.', 'pandoc', ['a'], {}, 'As shown[@a].'],
    ['|says', 'pandoc', ['a'], { pandocBare: true }, '@a says'],
    ['As|says', 'pandoc', ['a'], { pandocBare: true }, 'As @a says'],
    ['As |, shown', 'pandoc', ['a'], { pandocBare: true }, 'As @a, shown'],
    ['Mail me@x.org| now', 'pandoc', ['a'], {}, 'Mail me@x.org[@a] now'],
    // Not merged into cross-references; not read as their locator either.
    ['As @fig-loss| shows', 'pandoc', ['a'], {}, 'As @fig-loss [@a] shows'],
    // Math is not a citation: a `[` in `$[0, 1)$` pairs with nothing.
    ['On $[0, 1)$ it is convex (see |). See @s on $(1, 2]$.', 'pandoc', ['a'], {}, 'On $[0, 1)$ it is convex (see [@a]). See @s on $(1, 2]$.'],
    // Nor is a URL (`%` is no comment there), nor a command's free text.
    ['See \\url{https://x.org/a%20b} and \\cite{a|}.', 'latex', ['n'], {}, 'See \\url{https://x.org/a%20b} and \\cite{a,n}.'],
    ['\\citep|{a}', 'latex', ['n'], {}, '\\citep{a,n}'],
    ['Keys: |', 'plain', ['a', 'b'], {}, 'Keys: a, b'],
  ];
  for (const [written, style, keys, opts, expected] of rows) {
    it(`${JSON.stringify(written)} ${style} ${JSON.stringify(opts)} → ${JSON.stringify(expected)}`, () =>
      assert.strictEqual(cite(written, keys, style, opts), expected));
  }
});

describe('planCitationInsert: several cursors', () => {
  it('gives every cursor its own citation, as one sorted list of edits', () => {
    const { text, offsets } = doc('One |. Two |. Three |.');
    const edits = planCitationInsert(text, [offsets[2], offsets[0], offsets[1]], ['a'], 'latex');
    assert.deepStrictEqual(edits.map((e) => e.offset), [...offsets]);
    assert.strictEqual(apply(text, edits), 'One \\cite{a}. Two \\cite{a}. Three \\cite{a}.');
  });

  it('adds the keys once when two cursors are in the same citation; the first cursor decides where', () => {
    const { text, offsets } = doc('\\cite{a,| b|}');
    assert.strictEqual(apply(text, planCitationInsert(text, offsets, ['n'], 'latex')), '\\cite{a, n, b}');
    assert.strictEqual(apply(text, planCitationInsert(text, [offsets[1], offsets[0]], ['n'], 'latex')), '\\cite{a, b, n}');
  });

  it('inserts once for two cursors at the same place', () => {
    const { text, offsets } = doc('x |y');
    assert.strictEqual(apply(text, planCitationInsert(text, [offsets[0], offsets[0]], ['a'], 'pandoc')), 'x [@a]y');
  });

  it('mixes merges and new citations', () => {
    assert.strictEqual(cite('[@a|] and | and @b|', ['n'], 'pandoc'), '[@a; @n] and [@n] and [@b; @n]');
    assert.strictEqual(cite('\\cite{a|} and |, \\citep{b|}', ['n'], 'latex'), '\\cite{a,n} and \\cite{n}, \\citep{b,n}');
  });

  it('does nothing without keys', () => {
    assert.deepStrictEqual(planCitationInsert('x', [0], [], 'latex'), []);
  });
});

describe('citedKeys', () => {
  it('lists LaTeX keys in order, skipping comments and nocite{*}', () => {
    const text = [
      '\\nocite{*}',
      'First \\cite{b, a}, then \\citep[p.~2]{c}.',
      '% \\cite{commented}',
      '\\textcites{d}[e]{e}  \\cite{a}',
      '\\begin{lstlisting}\\cite{code}\\end{lstlisting}',
    ].join('\n');
    const keys = citedKeys(text, 'latex');
    assert.deepStrictEqual(keys.map((k) => k.key), ['b', 'a', 'c', 'd', 'e', 'a']);
    for (const k of keys) assert.strictEqual(text.slice(k.offset, k.offset + k.length), k.key);
  });

  it('lists Pandoc keys in order, skipping code, e-mail addresses and link text', () => {
    const text = [
      '@first says [see @b, p. 3; -@a].',
      'Write to me@example.org or `@code`.',
      '```',
      '[@fenced]',
      '```',
      'A [link to @c](https://x.org/@d) and @{odd key}.',
      '[unclosed @e',
    ].join('\n');
    const keys = citedKeys(text, 'pandoc');
    assert.deepStrictEqual(keys.map((k) => k.key), ['first', 'b', 'a', 'odd key', 'e']);
    for (const k of keys) assert.strictEqual(text.slice(k.offset, k.offset + k.length), k.key);
  });

  it('leaves out what only looks like a LaTeX citation: URLs, macro parameters, free text, \\iffalse blocks', () => {
    const text = [
      'See \\url{https://x.org/a%20b} and \\href{https://x.org/%7Eme}{home} \\cite{a}.',
      '\\newcommand{\\mycite}[1]{\\cite{#1}} \\citetext{see also} \\cite<e.g.,>[p.~2]{b}',
      '\\iffalse \\cite{hidden} \\ifx\\a\\b \\cite{nested}\\fi \\ifthenelse{x}{y}{z} \\cite{still}\\fi \\cite{c}',
      '\\path[draw] (0,0) -- (1,1); \\cite{d}',
    ].join('\n');
    assert.deepStrictEqual(citedKeys(text, 'latex').map((k) => k.key), ['a', 'b', 'c', 'd']);
  });

  it('leaves out Quarto and pandoc-crossref cross-references and anything in TeX math', () => {
    const text = [
      'As @fig-loss shows, see @sec-method, @eq-energy and @fig:old; also [@smith2020; @tbl-x].',
      'On $[0, 1)$ and $$\\text{[@inmath]}$$ it costs $5 and @price or $6.',
    ].join('\n');
    assert.deepStrictEqual(citedKeys(text, 'pandoc').map((k) => k.key), ['smith2020', 'price']);
  });

  it('ends a Pandoc key before trailing punctuation', () => {
    assert.deepStrictEqual(citedKeys('See @a.b:c. And @d-e--f, @g/h?', 'pandoc').map((k) => k.key), ['a.b:c', 'd-e', 'g/h']);
  });

  it('finds nothing in plain text', () => assert.deepStrictEqual(citedKeys('\\cite{a} [@b]', 'plain'), []));
});

describe('citationContextAt', () => {
  const rows: [string, CitationStyle, { prefix: string; replaced: string } | undefined][] = [
    ['\\cite{|', 'latex', { prefix: '', replaced: '' }],
    ['\\cite{sm|', 'latex', { prefix: 'sm', replaced: 'sm' }],
    ['\\cite{sm|}', 'latex', { prefix: 'sm', replaced: 'sm' }],
    ['\\cite{sm|ith}', 'latex', { prefix: 'sm', replaced: 'smith' }],
    ['\\cite{a,|}', 'latex', { prefix: '', replaced: '' }],
    ['\\cite{a, jo|, b}', 'latex', { prefix: 'jo', replaced: 'jo' }],
    ['\\citep[see][p.~3]{|', 'latex', { prefix: '', replaced: '' }],
    ['\\parencite*{a,\n  x|', 'latex', { prefix: 'x', replaced: 'x' }],
    ['\\textcites{a}[p]{b|', 'latex', { prefix: 'b', replaced: 'b' }],
    ['\\citep[se|', 'latex', undefined],
    ['\\ci|te{a}', 'latex', undefined],
    ['\\cite{a}|', 'latex', undefined],
    ['\\cite{a, % no|', 'latex', undefined],
    ['% \\cite{|', 'latex', undefined],
    ['\\section{|', 'latex', undefined],
    ['[@|', 'pandoc', { prefix: '', replaced: '' }],
    ['[see @sm|', 'pandoc', { prefix: 'sm', replaced: 'sm' }],
    ['[@a; -@sm|ith]', 'pandoc', { prefix: 'sm', replaced: 'smith' }],
    ['As @smith:20|20. Next', 'pandoc', { prefix: 'smith:20', replaced: 'smith:2020' }],
    ['As @|', 'pandoc', { prefix: '', replaced: '' }],
    ['me@ex|', 'pandoc', undefined],
    ['`@co|`', 'pandoc', undefined],
    ['```\n@co|\n```', 'pandoc', undefined],
    ['\\@x|', 'pandoc', undefined],
    ['As @-|', 'pandoc', undefined],
    ['\\cite{|', 'plain', undefined],
  ];
  for (const [written, style, expected] of rows) {
    it(`${JSON.stringify(written)} ${style} → ${expected ? JSON.stringify(expected) : 'none'}`, () => {
      const { text, offsets } = doc(written);
      const ctx = citationContextAt(text, offsets[0], style);
      assert.deepStrictEqual(ctx && { prefix: ctx.prefix, replaced: text.slice(ctx.replaceStart, ctx.replaceEnd) }, expected);
      if (ctx) assert.strictEqual(ctx.replaceStart + ctx.prefix.length, offsets[0]);
    });
  }
});
