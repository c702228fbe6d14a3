import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { detectEol, planBibAppend, type AppendRequest } from '../../src/core/bibappend';
import { bibtexKeys, parseBibtex } from '../../src/core/bibtex/parse';
import { sharedDir } from './helpers';

const ATTENTION = {
  key: 'vaswani2017attention',
  bibtex: '@inproceedings{vaswani2017attention,\n  title = {Attention Is All You Need},\n  year = {2017}\n}',
  identity: { title: 'Attention Is All You Need', year: 2017 },
};
const BERT = {
  key: 'devlin2019bert',
  bibtex: '@article{devlin2019bert,\n  title = {{BERT}: Pre-training of Deep Bidirectional Transformers},\n  doi = {10.18653/v1/N19-1423},\n  year = {2019}\n}\n',
  identity: { doi: '10.18653/v1/N19-1423', title: 'BERT: Pre-training of Deep Bidirectional Transformers', year: 2019 },
};

const EXISTING = [
  '% My references',
  '@article{smith2020deep,',
  '  title = {Deep Things},',
  '  doi = {10.1000/DEEP},',
  '  year = 2020',
  '}',
  '',
].join('\n');

/** The file after the host inserts the plan's text at its end. */
function appended(existing: string, entries: AppendRequest[], opts = {}): { text: string; plan: ReturnType<typeof planBibAppend> } {
  const plan = planBibAppend(existing, entries, opts);
  return { text: existing + plan.insertText, plan };
}

describe('planBibAppend: layout', () => {
  it('appends after one blank line and keeps every existing character', () => {
    const { text, plan } = appended(EXISTING, [ATTENTION]);
    assert.ok(text.startsWith(EXISTING));
    assert.strictEqual(plan.insertText, `\n${ATTENTION.bibtex}\n`);
    assert.deepStrictEqual(plan.added, ['vaswani2017attention']);
    assert.deepStrictEqual([...bibtexKeys(text).keys()], ['smith2020deep', 'vaswani2017attention']);
  });

  it('starts a new line when the file does not end with one', () => {
    const existing = EXISTING.trimEnd();
    const { text } = appended(existing, [ATTENTION]);
    assert.strictEqual(text, `${existing}\n\n${ATTENTION.bibtex}\n`);
  });

  it('adds no second blank line after one that is there', () => {
    const existing = `${EXISTING}\n`;
    assert.strictEqual(appended(existing, [ATTENTION]).text, `${existing}${ATTENTION.bibtex}\n`);
  });

  it('writes CRLF into a CRLF file, in every line of every entry', () => {
    const existing = EXISTING.replace(/\n/g, '\r\n');
    const { text, plan } = appended(existing, [ATTENTION, BERT]);
    assert.ok(text.startsWith(existing));
    assert.strictEqual(plan.insertText.split('\r\n').length - 1, plan.insertText.split('\n').length - 1, 'no bare LF');
    assert.strictEqual(plan.insertText, `\n${ATTENTION.bibtex}\n\n${BERT.bibtex.trim()}\n`.replace(/\n/g, '\r\n'));
  });

  it('writes an empty file without leading blank lines, LF unless told otherwise', () => {
    assert.strictEqual(planBibAppend('', [ATTENTION]).insertText, `${ATTENTION.bibtex}\n`);
    assert.strictEqual(planBibAppend('', [ATTENTION], { defaultEol: '\r\n' }).insertText, `${ATTENTION.bibtex.replace(/\n/g, '\r\n')}\r\n`);
    assert.strictEqual(planBibAppend('\n', [ATTENTION]).insertText, `${ATTENTION.bibtex}\n`);
  });

  it('uses the file line ending over the default, even for a one-line file', () => {
    assert.strictEqual(planBibAppend('% refs\r\n', [ATTENTION], { defaultEol: '\n' }).insertText.includes('\r\n'), true);
  });

  it('returns no text when nothing is added', () => {
    const plan = planBibAppend(EXISTING, []);
    assert.deepStrictEqual(plan, { insertText: '', keys: [], added: [], alreadyPresent: [], renamed: [], rejected: [] });
  });
});

describe('planBibAppend: keys', () => {
  it('does not add an entry the file has (same key, same paper)', () => {
    const plan = planBibAppend(EXISTING, [
      { key: 'smith2020deep', bibtex: '@article{smith2020deep, title={Deep things}}', identity: { doi: 'https://doi.org/10.1000/deep', title: 'Deep things' } },
    ]);
    assert.deepStrictEqual(plan, { insertText: '', keys: ['smith2020deep'], added: [], alreadyPresent: ['smith2020deep'], renamed: [], rejected: [] });
  });

  it('does not add an entry with a key the file has when there is nothing to compare', () => {
    const plan = planBibAppend(EXISTING, [{ key: 'smith2020deep', bibtex: '@misc{smith2020deep, note={x}}' }]);
    assert.deepStrictEqual(plan.alreadyPresent, ['smith2020deep']);
    assert.strictEqual(plan.insertText, '');
  });

  it('renames an entry whose key belongs to a different paper, in the entry text too', () => {
    const other = {
      key: 'smith2020deep',
      bibtex: '@article{smith2020deep,\n  title = {Deep Other Things},\n  year = {2020}\n}',
      identity: { title: 'Deep Other Things', year: 2020 },
    };
    const { text, plan } = appended(EXISTING, [other]);
    assert.deepStrictEqual(plan.renamed, [{ from: 'smith2020deep', to: 'smith2020deepa', reason: 'taken' }]);
    assert.deepStrictEqual(plan.added, ['smith2020deepa']);
    assert.deepStrictEqual(plan.keys, ['smith2020deepa']);
    const papers = parseBibtex(text, { file: 'refs.bib' }).papers;
    assert.deepStrictEqual(papers.map((p) => [p.key, p.title]), [['smith2020deep', 'Deep Things'], ['smith2020deepa', 'Deep Other Things']]);
  });

  it('skips suffixes that are taken as well, ignoring case as BibTeX does', () => {
    const existing = `${EXISTING}@misc{Smith2020Deepa, title={Third}}\n`;
    const plan = planBibAppend(existing, [
      { key: 'smith2020deep', bibtex: '@misc{smith2020deep, title={Fourth}}', identity: { title: 'Fourth' } },
    ]);
    assert.deepStrictEqual(plan.added, ['smith2020deepb']);
  });

  it('cites the file\u2019s key when only the case differs', () => {
    const plan = planBibAppend(EXISTING, [{ key: 'Smith2020Deep', bibtex: '@article{Smith2020Deep, title={Deep Things}}', identity: { title: 'Deep Things', year: 2020 } }]);
    assert.deepStrictEqual(plan.renamed, [{ from: 'Smith2020Deep', to: 'smith2020deep', reason: 'present' }]);
    assert.deepStrictEqual(plan.alreadyPresent, ['smith2020deep']);
    assert.strictEqual(plan.insertText, '');
  });

  it('cites a paper the file holds under another key instead of adding it again', () => {
    const plan = planBibAppend(EXISTING, [{ key: 'deep2020', bibtex: '@article{deep2020, title={Deep}}', identity: { doi: '10.1000/deep' } }]);
    assert.deepStrictEqual(plan.renamed, [{ from: 'deep2020', to: 'smith2020deep', reason: 'present' }]);
    assert.deepStrictEqual(plan.alreadyPresent, ['smith2020deep']);
    assert.strictEqual(plan.insertText, '');
  });

  it('adds a paper whose title matches one in the file but whose year is unknown (not enough to reuse a key)', () => {
    const plan = planBibAppend(EXISTING, [{ key: 'deep', bibtex: '@misc{deep, title={Deep Things}}', identity: { title: 'Deep Things', year: null } }]);
    assert.deepStrictEqual(plan.added, ['deep']);
  });

  it('tells papers with the same title and year apart by their first author (a "Reply" is not the same reply)', () => {
    const existing = '@article{jones2020reply,\n  author = {Jones, Ann},\n  title = {Reply to the comments},\n  year = {2020}\n}\n';
    const smith = { key: 'smith2020reply', bibtex: '@article{smith2020reply,\n  author = {Smith, Bob},\n  title = {Reply to the Comments},\n  year = {2020}\n}' };
    const plan = planBibAppend(existing, [{ ...smith, identity: { title: 'Reply to the Comments', year: 2020, firstAuthor: 'Smith' } }]);
    assert.deepStrictEqual({ added: plan.added, keys: plan.keys, renamed: plan.renamed }, { added: ['smith2020reply'], keys: ['smith2020reply'], renamed: [] });
    const same = planBibAppend(existing, [{ ...smith, identity: { title: 'Reply to the Comments', year: 2020, firstAuthor: 'Jones' } }]);
    assert.deepStrictEqual(same.renamed, [{ from: 'smith2020reply', to: 'jones2020reply', reason: 'present' }]);
    assert.strictEqual(same.insertText, '');
  });

  it('needs a first author on both sides to call a short title the same paper', () => {
    const existing = '@article{r2021, title = {Reply}, year = 2021}\n';
    const request = { key: 'board2021reply', bibtex: '@article{board2021reply, title = {Reply}, year = 2021}' };
    assert.deepStrictEqual(planBibAppend(existing, [{ ...request, identity: { title: 'Reply', year: 2021, firstAuthor: 'Board' } }]).added, ['board2021reply']);
    const withAuthor = '@article{r2021, author = {Board, The}, title = {Reply}, year = 2021}\n';
    assert.deepStrictEqual(planBibAppend(withAuthor, [{ ...request, identity: { title: 'Reply', year: 2021, firstAuthor: 'Board' } }]).keys, ['r2021']);
  });

  it('reads a DOI in any resolver form: https://www.doi.org/, http://dx.doi.org/, doi:, percent-encoded', () => {
    for (const written of ['https://www.doi.org/10.1002/(SICI)1097-4571', 'http://dx.doi.org/10.1002/%28SICI%291097-4571', 'doi:10.1002/(sici)1097-4571']) {
      const existing = `@article{k, title = {Test}, year = {2020}, doi = {${written}}}\n`;
      const plan = planBibAppend(existing, [{ key: 'k', bibtex: '@article{k,\n title={Test},\n year={2020}\n}', identity: { title: 'Test', year: 2020, doi: '10.1002/(SICI)1097-4571' } }]);
      assert.deepStrictEqual({ added: plan.added, keys: plan.keys }, { added: [], keys: ['k'] }, written);
    }
  });

  it('counts the document\u2019s other bibliographies: a paper there is cited from there, their keys are taken', () => {
    const extra = '@inproceedings{vaswani2017attention,\n  title = {Attention Is All You Need},\n  year = {2017}\n}\n@misc{devlin2019bert, title = {Something Else}, year = 2001}\n';
    const { text, plan } = appended(EXISTING, [ATTENTION, BERT], { otherBibliographies: [extra] });
    assert.deepStrictEqual(plan.alreadyPresent, ['vaswani2017attention']);
    assert.deepStrictEqual(plan.renamed, [{ from: 'devlin2019bert', to: 'devlin2019berta', reason: 'taken' }]);
    assert.deepStrictEqual(plan.keys, ['vaswani2017attention', 'devlin2019berta']);
    assert.deepStrictEqual([...bibtexKeys(text).keys()], ['smith2020deep', 'devlin2019berta']);
    assert.ok(text.startsWith(EXISTING));
  });

  it('handles several entries at once, with repeats in the request', () => {
    const other = { ...ATTENTION, key: 'smith2020deep', bibtex: ATTENTION.bibtex.replace('vaswani2017attention', 'smith2020deep') };
    const { text, plan } = appended(EXISTING, [ATTENTION, BERT, ATTENTION, other, other, { ...BERT }]);
    assert.deepStrictEqual(plan.added, ['vaswani2017attention', 'devlin2019bert']);
    assert.deepStrictEqual(plan.keys, ['vaswani2017attention', 'devlin2019bert', 'vaswani2017attention', 'vaswani2017attention', 'vaswani2017attention', 'devlin2019bert']);
    assert.deepStrictEqual(plan.renamed, [{ from: 'smith2020deep', to: 'vaswani2017attention', reason: 'present' }]);
    assert.deepStrictEqual(plan.alreadyPresent, []);
    assert.deepStrictEqual([...bibtexKeys(text).keys()], ['smith2020deep', 'vaswani2017attention', 'devlin2019bert']);
  });

  it('gives two different papers requested under one key two keys', () => {
    const a = { key: 'lee2020', bibtex: '@misc{lee2020, title={One}}', identity: { title: 'One', year: 2020 } };
    const b = { key: 'lee2020', bibtex: '@misc{lee2020, title={Two}}', identity: { title: 'Two', year: 2020 } };
    const { text, plan } = appended('', [a, b]);
    assert.deepStrictEqual(plan.added, ['lee2020', 'lee2020a']);
    assert.deepStrictEqual(plan.keys, ['lee2020', 'lee2020a']);
    assert.strictEqual(text, '@misc{lee2020, title={One}}\n\n@misc{lee2020a, title={Two}}\n');
  });

  it('rejects an entry whose text is not BibTeX', () => {
    const plan = planBibAppend('', [{ key: 'x', bibtex: 'title = {X}' }, ATTENTION]);
    assert.deepStrictEqual(plan.rejected.map((r) => r.key), ['x']);
    assert.match(plan.rejected[0].reason, /does not start with @type\{key,/);
    assert.deepStrictEqual(plan.added, ['vaswani2017attention']);
  });
});

describe('planBibAppend: a real file (BibTeX\u2019s xampl.bib)', () => {
  it('recognises its entries and appends after its last byte, in CRLF too', () => {
    // Read inside the test: without ../shared this one test fails, naming the folder.
    const existing = fs.readFileSync(path.join(sharedDir(), 'data', 'bib', 'xampl.bib'), 'utf8');
    const same = {
      key: 'article-full',
      bibtex: '@article{article-full, title={The Gnats and Gnus Document Preparation System}, year=1986}',
      identity: { title: 'The Gnats and Gnus Document Preparation System', year: 1986 },
    };
    for (const text of [existing, existing.replace(/\r?\n/g, '\r\n')]) {
      const plan = planBibAppend(text, [same, ATTENTION]);
      assert.deepStrictEqual(plan.alreadyPresent, ['article-full']);
      assert.deepStrictEqual(plan.added, ['vaswani2017attention']);
      assert.ok(bibtexKeys(text + plan.insertText).has('vaswani2017attention'));
      assert.strictEqual(detectEol(text + plan.insertText), detectEol(text));
    }
  });
});

describe('detectEol', () => {
  it('follows the majority of lines', () => {
    assert.strictEqual(detectEol('a\r\nb\r\nc\n'), '\r\n');
    assert.strictEqual(detectEol('a\nb\nc\r\n'), '\n');
    assert.strictEqual(detectEol('abc'), undefined);
  });
});
