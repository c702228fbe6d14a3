import * as assert from 'assert';
import * as fc from 'fast-check';
import { parseListing } from '../../src/core/listing';
import { fold } from '../../src/core/text';
import {
  NewestFirstSort,
  SearchIndex,
  compareByDateDesc,
  groupPapers,
  groupSteps,
  queryWords,
  searchText,
  shortAttribution,
  shortSearchText,
  sortNewestFirst,
  GROUP_BY_VALUES,
} from '../../src/core/search';
import type { Paper } from '../../src/core/model';
import { paper, seedListing } from './helpers';

function seedPapers(): Paper[] {
  const { file, text, captured } = seedListing();
  return parseListing(text, { file, captured }).papers;
}

describe('search: filter', () => {
  const papers = seedPapers();
  const index = new SearchIndex(papers);
  const titles = (q: string) => index.filter(q).map((p) => p.title);

  it('keeps papers where every word matches, case-insensitively', () => {
    const hits = titles('PRUNING zhou');
    assert.deepStrictEqual(hits.sort(), [
      'A Three-regime Model of Network Pruning',
      'AlphaPruning: Using Heavy-Tailed Self Regularization Theory for Improved Layer-wise Pruning of Large Language Models',
    ]);
  });

  it('ignores accents both ways', () => {
    assert.deepStrictEqual(titles('schurholt'), ['A Model Zoo on Phase Transitions in Neural Networks']);
    assert.deepStrictEqual(titles('Léo'), titles('leo'));
    assert.strictEqual(titles('leo').length, 1);
  });

  it('searches authors, key, category and abstract', () => {
    assert.deepStrictEqual(titles('zhu2021learn'), ['Learn to Grasp with Less Supervision: A Data-Efficient Maximum Likelihood Grasp Sampling Loss']);
    assert.deepStrictEqual(titles('robotics'), ['Learn to Grasp with Less Supervision: A Data-Efficient Maximum Likelihood Grasp Sampling Loss']);
    assert.ok(titles('ProcessBench').includes('The Hidden Signal of Verifier Strictness: Controlling and Improving Step-Wise Verification via Selective Latent Steering'));
    assert.strictEqual(titles('cs.CL').length, 4);
  });

  it('an empty query keeps everything; a word nobody uses keeps nothing', () => {
    assert.strictEqual(index.filter('   ').length, 14);
    assert.strictEqual(index.filter('zhou quantum-gravity').length, 0);
  });

  it('quotes keep a phrase together', () => {
    assert.deepStrictEqual(queryWords('"loss landscape" Zhou'), ['loss landscape', 'zhou']);
    // A phrase being typed: the open quote runs to the end instead of becoming part of a word.
    assert.deepStrictEqual(queryWords('Zhou "loss landsc'), ['zhou', 'loss landsc']);
    const phrase = titles('"language models"');
    const words = titles('language models');
    assert.ok(phrase.every((t) => words.includes(t)));
    assert.ok(words.includes('Model Balancing Helps Low-data Training and Fine-tuning'), 'both words, apart');
    assert.ok(!phrase.includes('Model Balancing Helps Low-data Training and Fine-tuning'));
    assert.ok(phrase.includes('Diffusion Language Models Know the Answer Before Decoding'));
  });
});

describe('search: grouping', () => {
  const papers = seedPapers();
  const counts = (by: Parameters<typeof groupPapers>[1]) => groupPapers(papers, by).map((g) => [g.label, g.papers.length]);

  it('groups the seed by year, newest first', () => {
    assert.deepStrictEqual(counts('year'), [['2026', 2], ['2025', 4], ['2024', 5], ['2023', 1], ['2021', 2]]);
  });

  it('groups by code availability', () => {
    assert.deepStrictEqual(counts('code'), [['With code', 7], ['Without code', 7]]);
  });

  it('groups by category with the archive as description', () => {
    const groups = groupPapers(papers, 'category');
    const ml = groups.find((g) => g.description === 'cs.LG');
    assert.strictEqual(ml?.papers.length, 6);
    assert.deepStrictEqual(groups.map((g) => g.description).sort(), ['cs.CL', 'cs.CV', 'cs.LG', 'cs.RO', 'stat.ML']);
  });

  it('puts a paper under each of its authors', () => {
    const groups = groupPapers(papers, 'author');
    const zhou = groups.find((g) => g.label === 'Zhou, Yefan');
    assert.strictEqual(zhou?.papers.length, 11);
    const total = groups.reduce((n, g) => n + g.papers.length, 0);
    assert.strictEqual(total, papers.reduce((n, p) => n + new Set(p.authors.map((a) => `${a.family}, ${a.given}`)).size, 0));
  });

  it('flat grouping is one group, newest first', () => {
    const [all] = groupPapers(papers, 'none');
    assert.strictEqual(all.papers.length, 14);
    assert.strictEqual(all.papers[0].key, 'zhou2026hidden');
    assert.strictEqual(all.papers[13].key, 'zhu2021learn');
  });

  it('papers without year or category go last', () => {
    const ps = [paper({ key: 'a', title: 'A', year: null }), paper({ key: 'b', title: 'B', year: 1999 })];
    assert.deepStrictEqual(groupPapers(ps, 'year').map((g) => g.label), ['1999', 'No year']);
    assert.deepStrictEqual(groupPapers(ps, 'category').map((g) => g.label), ['No category']);
  });
});

describe('search: short attribution', () => {
  it('names one or two authors and cuts longer lists', () => {
    const a = (family: string) => ({ given: 'X', family });
    assert.strictEqual(shortAttribution(paper({ key: 'k', title: 't', authors: [a('Zhou')], year: 2026 })), 'Zhou · 2026');
    assert.strictEqual(shortAttribution(paper({ key: 'k', title: 't', authors: [a('Zhou'), a('Xu')], year: 2026 })), 'Zhou and Xu · 2026');
    assert.strictEqual(shortAttribution(paper({ key: 'k', title: 't', authors: [a('Zhou')], authorsTruncated: true, year: null })), 'Zhou et al.');
  });
});

/** Word material with what makes token boundaries hard: punctuation, accents, case, digits, non-Latin. */
const VOCAB = [
  'neural', 'Network', 'networks', 'loss', 'landscape', 'heavy-tailed', 'Heavy', 'tailed', 'Schürholt', 'straße', 'ŁUKASZ',
  'cs.LG', 'e', 'a', 'x', 'ab', 'Knuth:1984', 'TeX', '2024', 'zhou2024', 'C++', '—', '"', '周', 'naïve', 'Æsir', 'pre-training',
  '(', ')', ',', 'fine-tuning', 'ReLU', 'q', 'qq', 'landscapes',
];

const arbText = (max: number) => fc.array(fc.constantFrom(...VOCAB), { maxLength: max }).map((ws) => ws.join(' '));
const arbPaper = fc
  .record({
    title: arbText(6),
    abstract: arbText(30),
    authors: fc.array(fc.record({ given: fc.constantFrom('', 'Yefan', 'Léo', 'A.'), family: fc.constantFrom('Zhou', 'Knuth', 'Müller', 'Ng') }), { maxLength: 3 }),
    year: fc.option(fc.integer({ min: 2019, max: 2026 })),
    month: fc.option(fc.integer({ min: 1, max: 12 })),
    key: fc.stringMatching(/^[a-z]{1,4}[0-9]{0,4}[:-]?[a-z]{0,3}$/),
  })
  .map((r) => paper({ ...r, year: r.year, month: r.year === null ? null : r.month }));
const arbLibrary = fc.uniqueArray(arbPaper, { selector: (p) => p.key, maxLength: 60 });

/** What `filter` promises, by brute force: every query word is in the folded short text or abstract. */
const bruteFilter = (papers: readonly Paper[], q: string, withAbstract: boolean) =>
  papers.filter((p) => {
    const short = shortSearchText(p);
    const abstract = fold(p.abstract);
    return queryWords(q).every((w) => short.includes(w) || (withAbstract && abstract.includes(w)));
  });

/** Queries: vocabulary words, pieces of the papers' own folded text (across token edges too), phrases. */
function arbQuery(papers: readonly Paper[]): fc.Arbitrary<string> {
  const texts = papers.map((p) => searchText(p)).filter((t) => t.length > 0);
  const slice = texts.length
    ? fc.tuple(fc.constantFrom(...texts), fc.nat(), fc.integer({ min: 1, max: 12 })).map(([t, at, len]) => t.slice(at % t.length, (at % t.length) + len))
    : fc.constant('zz');
  const word = fc.oneof(fc.constantFrom(...VOCAB), slice);
  return fc.oneof(
    fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' ')),
    slice.map((s) => `"${s}"`),
  );
}

describe('search: the word index answers as a scan of the text would', () => {
  it('filter and filterShort equal a brute-force scan, for fresh and narrowing queries', () => {
    fc.assert(
      fc.property(
        arbLibrary.chain((papers) => fc.tuple(fc.constant(papers), fc.array(arbQuery(papers), { minLength: 1, maxLength: 8 }))),
        ([papers, queries]) => {
          const fresh = new SearchIndex(papers, { incremental: false });
          const typing = new SearchIndex(papers);
          for (const q of queries) {
            const keys = (ps: readonly Paper[]) => ps.map((p) => p.key);
            const expected = keys(bruteFilter(fresh.papers, q, true));
            assert.deepStrictEqual(keys(fresh.filter(q)), expected, `filter ${JSON.stringify(q)}`);
            assert.deepStrictEqual(keys(fresh.filterShort(q)), keys(bruteFilter(fresh.papers, q, false)), `filterShort ${JSON.stringify(q)}`);
            // Typed one character at a time: each step may start from the previous answer.
            for (let n = 1; n <= q.length; n++) {
              const typed = q.slice(0, n);
              assert.deepStrictEqual(keys(typing.filter(typed)), keys(bruteFilter(typing.papers, typed, true)), `typed ${JSON.stringify(typed)}`);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives the same answers when built in slices, with queries in between', () => {
    const papers = seedPapers();
    const index = new SearchIndex(papers);
    assert.deepStrictEqual(index.filterShort('pruning').length, 2, 'a short-text query before the index exists');
    let slices = 0;
    while (!index.prepare(0)) slices++;
    assert.ok(slices > 0, 'prepare(0) stops after a chunk');
    for (const q of ['pruning zhou', 'heavy-tailed', '"language models"', 'cs.cl', 'e', 'quantum-gravity']) {
      assert.deepStrictEqual(index.filter(q), bruteFilter(index.papers, q, true), q);
    }
  });

  it('reads the text for a letter that nearly every token contains', () => {
    // 26 tokens with a "q" per paper: too many postings to merge, so the text is read instead.
    const manyQ = Array.from({ length: 26 }, (_, k) => `q${String.fromCharCode(97 + k)}`).join(' ');
    const papers = [
      ...Array.from({ length: 5 }, (_, k) => paper({ key: `q${k}`, title: 'With', abstract: manyQ })),
      paper({ key: 'none', title: 'Without', abstract: 'nothing here' }),
    ];
    const index = new SearchIndex(papers, { incremental: false });
    assert.deepStrictEqual(index.filter('q').map((p) => p.key).sort(), ['q0', 'q1', 'q2', 'q3', 'q4']);
    assert.deepStrictEqual(index.filter('q without').map((p) => p.key), []);
  });

  it('narrowing a query keeps only what still matches, and widening it again finds the rest', () => {
    const index = new SearchIndex(seedPapers());
    const n = (q: string) => index.filter(q).length;
    const heavy = n('heavy');
    assert.ok(n('heavy-tailed') <= heavy && n('heavy-tailed') > 0);
    assert.strictEqual(n('heavy'), heavy, 'back to the shorter query');
    assert.strictEqual(n('heavy quantum-gravity'), 0);
    assert.strictEqual(n('heavy'), heavy);
  });
});

describe('search: ordering and grouping of unsorted input', () => {
  it('sortNewestFirst orders as compareByDateDesc does', () => {
    fc.assert(
      fc.property(arbLibrary, (papers) => {
        assert.deepStrictEqual(sortNewestFirst(papers), [...papers].sort(compareByDateDesc));
      }),
    );
  });

  it('sortNewestFirst orders titles by code unit, shared prefixes and equal titles included, stably', () => {
    // Few code units (a surrogate pair among them), short titles, few dates: long shared
    // prefixes, prefixes of one another and equal titles, in runs long enough for the radix sort.
    const arbTitle = fc.oneof(
      fc.array(fc.constantFrom('a', 'b', 'B', ' ', 'é', '\u{1F600}', '(1) '), { maxLength: 6 }).map((xs) => xs.join('')),
      fc.constantFrom('', 'a', '(1) a'),
    );
    const arbDated = fc.record({ title: arbTitle, year: fc.option(fc.integer({ min: 2024, max: 2025 })), day: fc.option(fc.integer({ min: 1, max: 2 })) });
    fc.assert(
      fc.property(fc.array(arbDated, { minLength: 100, maxLength: 400, size: 'max' }), (records) => {
        const papers = records.map((r, i) => paper({ key: `k${i}`, title: r.title, year: r.year, month: r.year === null ? null : 1, day: r.year === null ? null : r.day }));
        assert.deepStrictEqual(sortNewestFirst(papers).map((p) => p.key), [...papers].sort(compareByDateDesc).map((p) => p.key));
      }),
      { numRuns: 200 },
    );
  });

  it('sorts a slice at a time to the same order, also inside the search index', () => {
    const papers = Array.from({ length: 5000 }, (_, i) => paper({ key: `k${i}`, title: `(${i % 7}) Title ${(i * 7919) % 5000}`, year: 2000 + (i % 3) }));
    const sort = new NewestFirstSort(papers);
    let steps = 1;
    let sorted = sort.step();
    for (; !sorted; steps++) sorted = sort.step();
    assert.ok(steps > 2, `${steps} steps`);
    const expected = [...papers].sort(compareByDateDesc);
    assert.deepStrictEqual(sorted, expected);
    const index = new SearchIndex(papers);
    let slices = 1;
    while (!index.prepareOrder(0)) slices++;
    assert.ok(slices > 2, `${slices} slices`);
    assert.deepStrictEqual(index.papers, expected);
  });

  it('groups a big library in steps of bounded work', () => {
    const papers = Array.from({ length: 10000 }, (_, i) => paper({ key: `k${i}`, title: `T${i}`, year: 2000 + (i % 10) }));
    const steps = groupSteps(papers, 'year');
    let yields = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) yields++;
    assert.ok(yields >= 5, `${yields} yields`);
    assert.deepStrictEqual(step.value.map((g) => [g.label, g.papers.length]), Array.from({ length: 10 }, (_, k) => [String(2009 - k), 1000]));
  });

  it('groups the same whether or not the input was sorted first', () => {
    fc.assert(
      fc.property(arbLibrary, fc.constantFrom(...GROUP_BY_VALUES), (papers, by) => {
        const sorted = [...papers].sort(compareByDateDesc);
        assert.deepStrictEqual(groupPapers(papers, by), groupPapers(sorted, by, { sorted: true }));
      }),
    );
  });

  it('lists a paper once under an author named twice, and under each source file once', () => {
    const twice = paper({ key: 'k', title: 'T', authors: [{ given: 'A', family: 'Ng' }, { given: 'A', family: 'Ng' }] });
    assert.deepStrictEqual(groupPapers([twice], 'author').map((g) => [g.label, g.papers.length]), [['Ng, A', 1]]);
    const shared = paper({ key: 's', title: 'S', source: { file: '/a/x.bib', line: 1 }, extra: { alsoIn: [{ file: '/b/y.txt', line: 2 }, { file: '/a/x.bib', line: 9 }] } });
    assert.deepStrictEqual(groupPapers([shared], 'source').map((g) => [g.label, g.papers.length]), [['x.bib', 1], ['y.txt', 1]]);
  });
});
