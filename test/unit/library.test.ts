import * as assert from 'assert';
import { mergeSources, mergeSteps, identities, type SourceResult } from '../../src/core/library';
import { paper } from './helpers';
import { UNTITLED } from '../../src/core/bibtex/parse';

const zhou = { given: 'Yefan', family: 'Zhou' };

describe('library: merging sources', () => {
  it('shows the same paper once, keeps the .bib key, and lists both sources', () => {
    const fromBib = paper({ key: 'Zhou:MDTree', title: 'MD tree: a model-diagnostic tree grown on loss landscape', authors: [zhou], year: 2024, source: { file: 'refs.bib', line: 3 } });
    const fromListing = paper({
      key: 'zhou2024md', title: 'MD Tree: A Model-Diagnostic Tree Grown on Loss Landscape', authors: [zhou], year: 2024, month: 6, day: 24,
      hasCode: true, codeUrl: 'https://github.com/YefanZhou/ModelDiagnosis', abstract: 'This paper…', source: { file: 'seed.txt', line: 22 },
    });
    const lib = mergeSources([
      { file: 'refs.bib', kind: 'bibtex', result: { papers: [fromBib], diagnostics: [] } },
      { file: 'seed.txt', kind: 'listing', result: { papers: [fromListing], diagnostics: [] } },
    ]);
    assert.strictEqual(lib.papers.length, 1);
    const p = lib.papers[0];
    assert.strictEqual(p.key, 'Zhou:MDTree');
    assert.strictEqual(p.codeUrl, 'https://github.com/YefanZhou/ModelDiagnosis', 'the listing contributes the code link the .bib lacks');
    assert.deepStrictEqual([p.month, p.day], [6, 24]);
    assert.deepStrictEqual(p.extra?.alsoIn, [{ file: 'seed.txt', line: 22 }]);
    assert.strictEqual(lib.byKey.get('Zhou:MDTree'), p);
    assert.strictEqual(lib.byKey.has('zhou2024md'), false);
  });

  it('recognises the same paper by DOI and by arXiv id even when titles differ', () => {
    const a = paper({ key: 'a', title: 'Title one', extra: { doi: '10.48550/arXiv.2405.12345' } });
    const b = paper({ key: 'b', title: 'Another title entirely', extra: { arxivId: '2405.12345v2' } });
    const c = paper({ key: 'c', title: 'Third', extra: { doi: '10.1000/XYZ' } });
    const d = paper({ key: 'd', title: 'Fourth', extra: { doi: '10.1000/xyz' } });
    const lib = mergeSources([
      { file: 'x.bib', kind: 'bibtex', result: { papers: [a, c], diagnostics: [] } },
      { file: 'y.bib', kind: 'bibtex', result: { papers: [b, d], diagnostics: [] } },
    ]);
    assert.deepStrictEqual(lib.papers.map((p) => p.key), ['a', 'c']);
  });

  it('merging the same reads again follows a read whose papers grew or were replaced', () => {
    const a = paper({ key: 'a', title: 'Title one', extra: { doi: '10.1000/one' } });
    const x = { file: 'x.bib', kind: 'bibtex' as const, result: { papers: [a], diagnostics: [] } };
    const y = { file: 'y.bib', kind: 'bibtex' as const, result: { papers: [] as ReturnType<typeof paper>[], diagnostics: [] } };
    assert.deepStrictEqual(mergeSources([x, y]).papers.map((p) => p.key), ['a']);
    y.result.papers.push(paper({ key: 'b', title: 'Other', extra: { doi: '10.1000/ONE' } }));
    assert.deepStrictEqual(mergeSources([x, y]).papers.map((p) => p.key), ['a'], 'a paper that arrived later is compared too');
    y.result.papers[0] = paper({ key: 'b', title: 'Other', extra: { doi: '10.1000/two' } });
    assert.deepStrictEqual(mergeSources([x, y]).papers.map((p) => p.key), ['a', 'b'], 'a replaced paper is compared by its own identity');
  });

  it('keeps look-alike entries of one file apart (a recurring column by the same editor)', () => {
    const ed = { given: 'Barbara', family: 'Beeton' };
    const one = paper({ key: 'TB1-1', title: 'Greetings from the Editor', authors: [ed], year: 1980 });
    const two = paper({ key: 'TB1-2', title: 'Greetings from the Editor', authors: [ed], year: 1980 });
    const lib = mergeSources([{ file: 'tugboat.bib', kind: 'bibtex', result: { papers: [one, two], diagnostics: [] } }]);
    assert.deepStrictEqual(lib.papers.map((p) => p.key), ['TB1-1', 'TB1-2']);
  });

  it('gives a generated key a suffix when a .bib entry already uses it, whatever the source order', () => {
    const listing = paper({ key: 'zhou2024md', title: 'Some listing paper', authors: [zhou], year: 2024 });
    const bib = paper({ key: 'zhou2024md', title: 'A different paper with the same key', authors: [zhou], year: 2024 });
    const lib = mergeSources([
      { file: 'seed.txt', kind: 'listing', result: { papers: [listing], diagnostics: [] } },
      { file: 'refs.bib', kind: 'bibtex', result: { papers: [bib], diagnostics: [] } },
    ]);
    assert.deepStrictEqual(lib.papers.map((p) => [p.key, p.title]), [
      ['zhou2024mda', 'Some listing paper'],
      ['zhou2024md', 'A different paper with the same key'],
    ]);
  });

  it('reports a key used by two different .bib entries, at the second one', () => {
    const one = paper({ key: 'k', title: 'First paper title', source: { file: 'a.bib', line: 1 } });
    const two = paper({ key: 'k', title: 'Second paper title', source: { file: 'b.bib', line: 9 } });
    const lib = mergeSources([
      { file: 'a.bib', kind: 'bibtex', result: { papers: [one], diagnostics: [{ line: 4, message: 'broken entry' }] } },
      { file: 'b.bib', kind: 'bibtex', result: { papers: [two], diagnostics: [] } },
    ]);
    assert.deepStrictEqual(lib.papers.map((p) => p.title), ['First paper title']);
    assert.deepStrictEqual(lib.diagnostics.map((d) => [d.file, d.line]), [['a.bib', 4], ['b.bib', 9]]);
    assert.match(lib.diagnostics[1].message, /Duplicate key "k": already used at a\.bib:1/);
  });

  it('does not merge short generic titles, untitled entries, or titles with neither year nor author', () => {
    assert.deepStrictEqual(identities(paper({ key: 'x', title: 'Preface', year: 2000 })), []);
    assert.deepStrictEqual(identities(paper({ key: 'x', title: UNTITLED, year: 2000, authors: [zhou] })), []);
    assert.deepStrictEqual(identities(paper({ key: 'x', title: 'Epistulae ad familiares' })), []);
    const lib = mergeSources([
      { file: 'x.bib', kind: 'bibtex', result: { papers: [paper({ key: 'a', title: UNTITLED, year: 1990 })], diagnostics: [] } },
      { file: 'y.bib', kind: 'bibtex', result: { papers: [paper({ key: 'b', title: UNTITLED, year: 1990 })], diagnostics: [] } },
    ]);
    assert.strictEqual(lib.papers.length, 2);
  });

  it('merges in steps: the same library as in one go, with a pause every few hundred papers', () => {
    // a.bib and b.bib share some papers (same title, year, author) and clash on others'
    // keys; the listing's generated keys clash with both.
    const source = (file: string, kind: SourceResult['kind'], title: (i: number) => string): SourceResult => ({
      file,
      kind,
      result: {
        papers: Array.from({ length: 1500 }, (_, i) => paper({ key: `k${i}`, title: title(i), authors: [zhou], year: 2000 + (i % 20), source: { file, line: i + 1 } })),
        diagnostics: [{ line: 1, message: `problem in ${file}` }],
      },
    });
    const sources = [
      source('a.bib', 'bibtex', (i) => `A paper on topic number ${i}`),
      source('b.bib', 'bibtex', (i) => `A paper on topic number ${i < 500 ? i : i + 5000}`),
      source('seed.txt', 'listing', (i) => `A listed paper number ${i}`),
    ];
    const steps = mergeSteps(sources);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    const whole = mergeSources(sources);
    assert.deepStrictEqual(step.value, whole);
    assert.ok(pauses >= 4500 / 1000, `${pauses} pauses`);
    assert.strictEqual(whole.papers.length, 3000, 'a.bib, and the listing under new keys; b.bib\'s 500 shared papers merged, its other 1000 hidden by key clashes');
    assert.strictEqual(whole.byKey.get('k0a')?.title, 'A listed paper number 0');
    assert.strictEqual(whole.diagnostics.filter((d) => /^Duplicate key/.test(d.message)).length, 1000);
  });
});
