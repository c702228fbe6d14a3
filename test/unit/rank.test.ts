import * as assert from 'assert';
import { rankForCompletion } from '../../src/core/rank';
import { SearchIndex } from '../../src/core/search';
import { formatDate, authorList } from '../../src/core/format';
import { paper } from './helpers';

describe('rank: completion candidates', () => {
  const papers = [
    paper({ key: 'lu2024alphapruning', title: 'AlphaPruning: Using Heavy-Tailed Self Regularization Theory', year: 2024, month: 10 }),
    paper({ key: 'zhou2023three', title: 'A Three-regime Model of Network Pruning', year: 2023 }),
    paper({ key: 'pruning1990', title: 'Optimal Brain Damage', year: 1990 }),
    paper({ key: 'zhou2026hidden', title: 'The Hidden Signal of Verifier Strictness', year: 2026 }),
  ];
  const index = new SearchIndex(papers);

  it('puts keys that start with the typed text first, then keys containing it, then title words', () => {
    assert.deepStrictEqual(rankForCompletion(index, 'prun', 10).papers.map((p) => p.key), ['pruning1990', 'lu2024alphapruning', 'zhou2023three']);
  });

  it('offers the newest papers for an empty prefix, capped, and says the list is incomplete', () => {
    const r = rankForCompletion(index, '', 2);
    assert.deepStrictEqual(r.papers.map((p) => p.key), ['zhou2026hidden', 'lu2024alphapruning']);
    assert.strictEqual(r.complete, false);
    assert.strictEqual(rankForCompletion(index, '', 10).complete, true);
  });

  it('matches title words accent- and case-insensitively', () => {
    assert.deepStrictEqual(rankForCompletion(index, 'STRICTNESS', 10).papers.map((p) => p.key), ['zhou2026hidden']);
  });
});

describe('format: dates and author lists', () => {
  it('writes the date with as much as is known', () => {
    assert.strictEqual(formatDate({ year: 2026, month: 5, day: 20 }), '20 May 2026');
    assert.strictEqual(formatDate({ year: 2026, month: 5, day: null }), 'May 2026');
    assert.strictEqual(formatDate({ year: 2026, month: null, day: null }), '2026');
    assert.strictEqual(formatDate({ year: null, month: null, day: null }), '');
  });

  it('lists authors with et al. when the list was cut', () => {
    const authors = [{ given: 'Yefan', family: 'Zhou' }, { given: '', family: 'OpenAI' }];
    assert.strictEqual(authorList({ authors, authorsTruncated: true }), 'Yefan Zhou, OpenAI, et al.');
    assert.strictEqual(authorList({ authors: [], authorsTruncated: true }), 'et al.');
  });
});
