import * as assert from 'assert';
import { parseListing } from '../../src/core/listing';
import { SearchIndex, groupPapers, queryWords, shortAttribution } from '../../src/core/search';
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
