import * as assert from 'assert';
import { findBibliographies, resolveBibPath, texRootMagic, type BibRef } from '../../src/core/bibfind';

/**
 * The paths found, checking that each offset/length covers the name as written: the name
 * itself (`.bib` aside), or everything between its quotes (where escapes may differ).
 */
function paths(text: string, style: 'latex' | 'pandoc'): string[] {
  const refs = findBibliographies(text, style);
  for (const r of refs) {
    const written = text.slice(r.offset, r.offset + r.length);
    const quote = text[r.offset - 1];
    const quoted = (quote === '"' || quote === "'") && text[r.offset + r.length] === quote;
    assert.ok(quoted || r.path.startsWith(written), `${JSON.stringify(r)} points at ${JSON.stringify(written)}`);
  }
  return refs.map((r) => r.path);
}

describe('findBibliographies: LaTeX', () => {
  const rows: [string, string[]][] = [
    ['\\bibliography{refs}', ['refs.bib']],
    ['\\bibliography{refs.bib}', ['refs.bib']],
    ['\\bibliography{a, ../shared/b ,c.BIB}', ['a.bib', '../shared/b.bib', 'c.BIB']],
    ['\\bibliography{a,% old: b,\n  c}', ['a.bib', 'c.bib']],
    ['\\addbibresource{refs.bib}', ['refs.bib']],
    ['\\addbibresource[label=x,datatype=bibtex]{my refs.bib}', ['my refs.bib']],
    ['\\addbibresource[location=remote]{http://example.org/refs.bib}', []],
    ['\\addglobalbib{g.bib}\n\\addsectionbib{s.bib}', ['g.bib', 's.bib']],
    ['\\bibliographystyle{plainnat}\n\\bibliography{refs}', ['refs.bib']],
    ['% \\bibliography{old}\n\\bibliography{new}', ['new.bib']],
    ['text % \\addbibresource{old.bib}', []],
    ['\\begin{verbatim}\\bibliography{shown}\\end{verbatim}', []],
    ['\\bibliography{\\jobname}', []],
    ['\\addbibresource{a.bib}\n\\addbibresource{a.bib}', ['a.bib']],
    ['No bibliography here.', []],
  ];
  for (const [text, expected] of rows) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => assert.deepStrictEqual(paths(text, 'latex'), expected));
  }

  it('tells the commands apart', () => {
    const refs = findBibliographies('\\bibliography{a}\\addbibresource{b.bib}', 'latex');
    assert.deepStrictEqual(refs.map((r: BibRef) => r.kind), ['bibliography', 'addbibresource']);
  });

  it('finds nothing in plain text', () => assert.deepStrictEqual(findBibliographies('\\bibliography{a}', 'plain'), []));
});

describe('findBibliographies: YAML front matter', () => {
  const rows: [string, string[]][] = [
    ['---\nbibliography: refs.bib\n---\nText', ['refs.bib']],
    ['---\ntitle: X\nbibliography: "my refs.bib"\n...\nText', ['my refs.bib']],
    ["---\nbibliography: 'it''s.bib'\n---\n", ["it's.bib"]],
    ['---\nbibliography: "C:\\\\refs\\\\a.bib"\n---\n', ['C:\\refs\\a.bib']],
    ['---\nbibliography: refs.bib # the main one\n---\n', ['refs.bib']],
    ['---\nbibliography:\n  - a.bib\n  - "b.bib"\n\n  - c.bib # last\ntitle: X\n---\n', ['a.bib', 'b.bib', 'c.bib']],
    ['---\nbibliography:\n- a.bib\n- b.bib\n---\n', ['a.bib', 'b.bib']],
    ['---\nbibliography: [a.bib, "b.bib"]\n---\n', ['a.bib', 'b.bib']],
    ['---\nbibliography: [a.bib,\n  b.bib]\n---\n', ['a.bib', 'b.bib']],
    ['---\r\nbibliography: refs.bib\r\n---\r\n', ['refs.bib']],
    ['---\r\nbibliography:\r\n  - a.bib\r\n  - b.bib\r\n---\r\n', ['a.bib', 'b.bib']],
    ['\uFEFF---\nbibliography: refs.bib\n---\n', ['refs.bib']],
    ['---\nrefs:\n  bibliography: nested.bib\n---\n', []],
    ['---\nbibliography: refs.bib\n', []],
    ['Text\n---\nbibliography: refs.bib\n---\n', []],
    ['---\ntitle: X\n---\nbibliography: refs.bib\n', []],
    ['---\nbibliography: https://example.org/r.bib\n---\n', []],
  ];
  for (const [text, expected] of rows) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => assert.deepStrictEqual(paths(text, 'pandoc'), expected));
  }

  it('points at the name inside the quotes', () => {
    const text = '---\nbibliography: "refs.bib"\n---\n';
    const [ref] = findBibliographies(text, 'pandoc');
    assert.strictEqual(text.slice(ref.offset, ref.offset + ref.length), 'refs.bib');
    assert.strictEqual(ref.kind, 'yaml');
  });
});

describe('texRootMagic', () => {
  const rows: [string, string | undefined][] = [
    ['% !TEX root = main.tex\n\\section{A}', 'main.tex'],
    ['%!TeX root=../main.tex\n', '../main.tex'],
    ['  % !tex   ROOT =  "thesis main.tex"  \r\n', 'thesis main.tex'],
    ['% chapter 2\n%\n% !TEX root = ../thesis.tex\n', '../thesis.tex'],
    ['% !TEX program = xelatex\n', undefined],
    ['% !TEX root =\n', undefined],
    ['Text % !TEX root = main.tex\n', undefined],
    [`${'\n'.repeat(25)}% !TEX root = main.tex\n`, undefined],
    ['\\section{A}', undefined],
  ];
  for (const [text, expected] of rows) {
    it(`${JSON.stringify(text.slice(0, 40))} → ${expected}`, () => assert.strictEqual(texRootMagic(text), expected));
  }
});

describe('resolveBibPath', () => {
  const rows: [string, string, string][] = [
    ['/home/me/paper/main.tex', 'refs.bib', '/home/me/paper/refs.bib'],
    ['/home/me/paper/chapters/one.md', '../refs.bib', '/home/me/paper/refs.bib'],
    ['/home/me/paper/main.tex', './bib/./a.bib', '/home/me/paper/bib/a.bib'],
    ['/home/me/paper/main.tex', '/srv/shared/refs.bib', '/srv/shared/refs.bib'],
    ['C:\\Users\\me\\paper\\main.tex', 'refs.bib', 'C:\\Users\\me\\paper\\refs.bib'],
    ['C:\\Users\\me\\paper\\main.tex', '../bib/refs.bib', 'C:\\Users\\me\\bib\\refs.bib'],
    ['C:\\Users\\me\\paper\\main.tex', 'D:/bib/refs.bib', 'D:\\bib\\refs.bib'],
    ['C:\\Users\\me\\paper\\main.tex', '\\\\server\\share\\refs.bib', '\\\\server\\share\\refs.bib'],
  ];
  for (const [docPath, ref, expected] of rows) {
    it(`${docPath} + ${ref} → ${expected}`, () => assert.strictEqual(resolveBibPath(docPath, ref), expected));
  }
});
