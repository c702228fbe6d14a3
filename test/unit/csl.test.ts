import * as assert from 'assert';
import { parseCslJson, toCslJson } from '../../src/core/csl';
import { parseListing } from '../../src/core/listing';
import { toPublicJson, type Paper } from '../../src/core/model';
import { seedListing } from './helpers';

/** A CSL-JSON file as Zotero or Pandoc users have them; line numbers are asserted below. */
const SAMPLE = `[
  {
    "id": "schurholt2025model",
    "type": "article",
    "title": "A Model Zoo on Phase Transitions in Neural Networks",
    "author": [
      { "family": "Schürholt", "given": "Konstantin" },
      { "family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van" },
      { "literal": "World Health Organization" }
    ],
    "issued": { "date-parts": [[2025, 4, 25]] },
    "abstract": "Weights as data.",
    "DOI": "10.48550/arXiv.2504.18072",
    "custom": { "code": "https://github.com/ModelZoos/PhaseTransitionZoo", "category": "cs.LG", "authorsTruncated": true }
  },
  {
    "id": "knuth1984",
    "type": "article-journal",
    "title": "Literate Programming",
    "author": [{ "family": "Knuth", "given": "Donald E." }],
    "container-title": "The Computer Journal",
    "volume": "27", "issue": 2, "page": "97-111",
    "issued": { "raw": "1984-05" },
    "URL": "https://gitlab.com/knuth/literate"
  },
  {
    "id": "no-title",
    "issued": { "date-parts": [["2001"]] }
  },
  { "type": "book", "title": "No id" },
  "not an object",
  {
    "id": "bad key with spaces",
    "title": "Rejected"
  }
]
`;

describe('parseCslJson', () => {
  const result = parseCslJson(SAMPLE, { file: 'refs.json' });
  const byKey = (key: string): Paper => {
    const p = result.papers.find((x) => x.key === key);
    assert.ok(p, `no ${key}`);
    return p;
  };

  it('reads the valid items with the line where each begins', () => {
    assert.deepStrictEqual(
      result.papers.map((p) => [p.key, p.source.line, p.source.file]),
      [['schurholt2025model', 2, 'refs.json'], ['knuth1984', 16, 'refs.json'], ['no-title', 26, 'refs.json']],
    );
  });

  it('maps names, dates, abstract, DOI, arXiv id, category and code link', () => {
    const p = byKey('schurholt2025model');
    assert.deepStrictEqual(p.authors, [
      { given: 'Konstantin', family: 'Schürholt' },
      { given: 'Ludwig', family: 'van Beethoven' },
      { given: '', family: 'World Health Organization' },
    ]);
    assert.strictEqual(p.authorsTruncated, true);
    assert.deepStrictEqual([p.year, p.month, p.day], [2025, 4, 25]);
    assert.strictEqual(p.abstract, 'Weights as data.');
    assert.strictEqual(p.extra?.doi, '10.48550/arXiv.2504.18072');
    assert.strictEqual(p.extra?.arxivId, '2504.18072');
    assert.deepStrictEqual(p.category, { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' });
    assert.strictEqual(p.codeUrl, 'https://github.com/ModelZoos/PhaseTransitionZoo');
    assert.strictEqual(p.hasCode, true);
  });

  it('keeps bibliographic fields under their BibTeX names, with a BibTeX entry type', () => {
    const p = byKey('knuth1984');
    assert.strictEqual(p.extra?.entryType, 'article');
    assert.deepStrictEqual(p.extra?.fields, {
      journal: 'The Computer Journal', volume: '27', number: '2', pages: '97-111', url: 'https://gitlab.com/knuth/literate',
    });
    assert.deepStrictEqual([p.year, p.month, p.day], [1984, 5, null]);
    assert.strictEqual(p.codeUrl, 'https://gitlab.com/knuth/literate');
  });

  it('shows Zotero\u2019s rich-text markup in titles as the text it formats', () => {
    const text = JSON.stringify([
      {
        id: 'ecoli2020',
        type: 'article-journal',
        title: 'On <i>E. coli</i> and CO<sub>2</sub> in <span class="nocase">iPhone</span> Data, where a < b',
        'container-title': '<i>Nature</i>',
        issued: { 'date-parts': [[2020]] },
      },
    ]);
    const [p] = parseCslJson(text, { file: 'zotero.json' }).papers;
    assert.strictEqual(p.title, 'On E. coli and CO2 in iPhone Data, where a < b');
    assert.strictEqual(p.extra?.fields?.journal, 'Nature');
  });

  it('lists an item without a title as "(untitled)" with a warning on its line', () => {
    assert.strictEqual(byKey('no-title').title, '(untitled)');
    assert.strictEqual(byKey('no-title').year, 2001);
    assert.ok(result.diagnostics.some((d) => d.line === 26 && d.severity === 'warning' && d.message.includes('no title')));
  });

  it('reports items without an id, non-objects and invalid keys on their lines', () => {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.message]);
    assert.deepStrictEqual(errors.map(([line]) => line), [30, 31, 32]);
    assert.match(String(errors[0][1]), /no "id"/);
    assert.match(String(errors[1][1]), /not an object/);
    assert.match(String(errors[2][1]), /"bad key with spaces" skipped: key:/);
  });

  it('reports invalid JSON with its line and column instead of throwing', () => {
    const r = parseCslJson('[\n  { "id": "a", }\n]', { file: 'bad.json' });
    assert.deepStrictEqual(r.papers, []);
    assert.strictEqual(r.diagnostics.length, 1);
    assert.strictEqual(r.diagnostics[0].line, 2);
    assert.match(r.diagnostics[0].message, /^not valid JSON/);
  });

  it('reports a document that is not a list of items', () => {
    const r = parseCslJson('"just a string"', { file: 'x.json' });
    assert.deepStrictEqual(r.diagnostics.map((d) => d.message), ['CSL-JSON must be an array of items']);
  });

  it('accepts a single item object', () => {
    const r = parseCslJson('{ "id": "solo", "title": "Solo" }', { file: 'x.json' });
    assert.deepStrictEqual(r.papers.map((p) => [p.key, p.source.line]), [['solo', 1]]);
  });
});

describe('toCslJson', () => {
  const seed = seedListing();
  const papers = parseListing(seed.text, { file: seed.file, captured: seed.captured }).papers;

  it('writes CSL 1.0.2 items: names, issued date-parts, type, and the rest under "custom"', () => {
    const [item] = JSON.parse(toCslJson([papers[0]])) as Record<string, unknown>[];
    assert.deepStrictEqual(item, {
      id: 'zhou2026hidden',
      type: 'article',
      title: papers[0].title,
      author: papers[0].authors.map((a) => ({ family: a.family, given: a.given })),
      issued: { 'date-parts': [[2026, 5, 20]] },
      abstract: papers[0].abstract,
      custom: { code: 'https://github.com/YefanZhou/VerifySteer', category: 'cs.LG', authorsTruncated: true },
    });
  });

  it('reads its own output back to the same 14 seed records', () => {
    const back = parseCslJson(toCslJson(papers), { file: 'seeds.json' });
    assert.deepStrictEqual(back.diagnostics, []);
    const strip = (p: Paper): unknown => ({ ...toPublicJson(p), source: undefined, hasCode: p.codeUrl !== null });
    assert.deepStrictEqual(back.papers.map(strip), papers.map(strip));
  });

  it('round-trips a CSL file’s bibliographic fields', () => {
    const original = parseCslJson(SAMPLE, { file: 'refs.json' }).papers;
    const again = parseCslJson(toCslJson(original), { file: 'again.json' }).papers;
    assert.deepStrictEqual(again.map((p) => p.extra?.fields), original.map((p) => p.extra?.fields));
    assert.deepStrictEqual(again.map((p) => p.authors), original.map((p) => p.authors));
  });
});
