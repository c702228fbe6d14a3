import * as assert from 'assert';
import {
  DEFAULT_KEY_PATTERN,
  citationKey,
  disambiguate,
  isSafeKey,
  nextFreeKey,
  validateKeyPattern,
  type KeySource,
} from '../../src/core/keys';
import type { Author } from '../../src/core/model';
import { paper } from './helpers';

function author(name: string): Author {
  const words = name.split(' ');
  const family = words.pop() ?? '';
  return { given: words.join(' '), family };
}

function source(authors: (string | Author)[], year: number | null, title: string, extra: Partial<KeySource> = {}): KeySource {
  return { authors: authors.map((a) => (typeof a === 'string' ? author(a) : a)), year, title, ...extra };
}

describe('keys: default pattern (Google Scholar style)', () => {
  it('is [auth:lower][year][veryshorttitle:lower]', () => {
    assert.strictEqual(DEFAULT_KEY_PATTERN, '[auth:lower][year][veryshorttitle:lower]');
  });

  it('skips leading function words and cuts hyphenated words', () => {
    assert.strictEqual(citationKey(source(['Yefan Zhou'], 2026, 'The Hidden Signal of Verifier Strictness')), 'zhou2026hidden');
    assert.strictEqual(citationKey(source(['Yefan Zhou'], 2023, 'A Three-regime Model of Network Pruning')), 'zhou2023three');
    assert.strictEqual(citationKey(source(['Haiquan Lu'], 2024, 'Sharpness-diversity tradeoff')), 'lu2024sharpness');
    assert.strictEqual(citationKey(source(['Janvijay Singh'], 2025, 'On the Shelf Life of Fine-Tuned LLM Judges')), 'singh2025shelf');
  });

  it('strips punctuation but keeps digits', () => {
    assert.strictEqual(citationKey(source(['Jinglong Xiong'], 2026, 'RL4RLA: Teaching ML')), 'xiong2026rl4rla');
    assert.strictEqual(citationKey(source(['Yefan Zhou'], 2024, 'MD tree: a model-diagnostic tree')), 'zhou2024md');
    assert.strictEqual(citationKey(source(['Jane Doe'], 2020, '“Grokking”, revisited')), 'doe2020grokking');
    assert.strictEqual(citationKey(source(['Jane Doe'], 2020, '3D-aware Generation')), 'doe20203d');
    assert.strictEqual(citationKey(source(['Jane Doe'], 2020, '— Deep Nets')), 'doe2020deep');
  });

  it('skips the question openers Google Scholar skips, keeps the words it keeps', () => {
    assert.strictEqual(citationKey(source(['Kevin Clark'], 2019, 'What does BERT look at?')), 'clark2019does');
    assert.strictEqual(citationKey(source(['Di Jin'], 2020, 'Is BERT Really Robust?')), 'jin2020bert');
    assert.strictEqual(citationKey(source(['Aleksander Madry'], 2017, 'Towards Deep Learning Models Resistant to Adversarial Attacks')), 'madry2017towards');
    assert.strictEqual(citationKey(source(['Jason Yosinski'], 2014, 'How transferable are features in deep neural networks?')), 'yosinski2014transferable');
  });

  it('folds accents in family names and title words', () => {
    assert.strictEqual(citationKey(source(['Konstantin Schürholt'], 2025, 'A Model Zoo')), 'schurholt2025model');
    assert.strictEqual(citationKey(source(['Jane Doe'], 2025, 'Über alles')), 'doe2025uber');
    assert.strictEqual(citationKey(source([{ given: 'Søren', family: 'Łukasiewicz' }], 2025, 'Logic')), 'lukasiewicz2025logic');
  });

  it('keeps the whole family name: particles, apostrophes and hyphens joined', () => {
    const vdm = { given: 'Laurens', family: 'van der Maaten' };
    assert.strictEqual(citationKey(source([vdm], 2008, 'Visualizing Data using t-SNE')), 'vandermaaten2008visualizing');
    assert.strictEqual(citationKey(source([{ given: 'Juan', family: 'de la Cruz' }], 2020, 'Graphs')), 'delacruz2020graphs');
    assert.strictEqual(citationKey(source(["Mary O'Brien"], 2020, 'Graphs')), 'obrien2020graphs');
    assert.strictEqual(citationKey(source([{ given: 'Ana', family: 'García-López' }], 2020, 'Graphs')), 'garcialopez2020graphs');
  });

  it('leaves out a generational suffix', () => {
    assert.strictEqual(citationKey(source([{ given: 'Martin Luther', family: 'King Jr.' }], 1963, 'Dreams')), 'king1963dreams');
  });

  it('uses anon without a usable author, and leaves out a missing year', () => {
    assert.strictEqual(citationKey(source([], 2020, 'Anonymous Work')), 'anon2020anonymous');
    assert.strictEqual(citationKey(source([{ given: '', family: '周' }], 2020, 'Work')), 'anon2020work');
    assert.strictEqual(citationKey(source(['Yefan Zhou'], null, 'Hidden Signal')), 'zhouhidden');
  });

  it('leaves out the title word when every word is a function word', () => {
    assert.strictEqual(citationKey(source(['Jane Doe'], 2020, 'On the Of')), 'doe2020');
  });

  it('uses the first author only', () => {
    assert.strictEqual(citationKey(source(['Xinghao Zhu', 'Yefan Zhou'], 2021, 'Learn to Grasp')), 'zhu2021learn');
  });
});

describe('keys: patterns', () => {
  const p = source(['Yefan Zhou', 'Yilun Zhou', 'Austin Xu'], 2026, 'The Hidden Signal of Verifier Strictness', {
    category: { code: 'LG', archive: 'cs.LG', name: 'Machine Learning' },
    authorsTruncated: true,
  });
  const key = (pattern: string, src: KeySource = p) => citationKey(src, pattern);

  it('[auth], [year], [shortyear]', () => {
    assert.strictEqual(key('[auth][year]'), 'Zhou2026');
    assert.strictEqual(key('[auth:lower][shortyear]'), 'zhou26');
    assert.strictEqual(key('[shortyear][auth]', source(['Jane Doe'], 2005, 'T')), '05Doe');
  });

  it('[authors] lists up to two family names, else the first + EtAl', () => {
    assert.strictEqual(key('[authors]', source(['Jane Doe'], 2020, 'T')), 'Doe');
    assert.strictEqual(key('[authors]', source(['Jane Doe', 'John Roe'], 2020, 'T')), 'DoeRoe');
    assert.strictEqual(key('[authors]', source(['Jane Doe', 'John Roe', 'Max Moe'], 2020, 'T')), 'DoeEtAl');
    assert.strictEqual(key('[authors]'), 'ZhouEtAl', 'a list ended by "et al." counts as longer');
  });

  it('[authorsN] lists the first N, + EtAl when there are more', () => {
    assert.strictEqual(key('[authors2]', source(['Jane Doe', 'John Roe', 'Max Moe'], 2020, 'T')), 'DoeRoeEtAl');
    assert.strictEqual(key('[authors3]', source(['Jane Doe', 'John Roe', 'Max Moe'], 2020, 'T')), 'DoeRoeMoe');
    assert.strictEqual(key('[authors1]', source([], 2020, 'T')), 'Anon');
  });

  it('[veryshorttitle], [shorttitle], [title]', () => {
    assert.strictEqual(key('[veryshorttitle]'), 'Hidden');
    assert.strictEqual(key('[shorttitle]'), 'HiddenSignalVerifier');
    assert.strictEqual(key('[title]', source([], 2020, 'Fine-tuning of LLMs: a survey')), 'FineTuningOfLLMsASurvey');
  });

  it('[category] is the listing code, empty without a category', () => {
    assert.strictEqual(key('[auth:lower]-[category]'), 'zhou-LG');
    assert.strictEqual(key('[auth:lower][category]', source(['Jane Doe'], 2020, 'T')), 'doe');
  });

  it('modifiers chain from left to right', () => {
    assert.strictEqual(key('[auth:upper]'), 'ZHOU');
    assert.strictEqual(key('[veryshorttitle:lower:capitalize]'), 'Hidden');
    assert.strictEqual(key('[auth:upper:lower]'), 'zhou');
    assert.strictEqual(key('[veryshorttitle:lower][auth:capitalize]', source(['Jane doe'], 2020, 'tiny')), 'tinyDoe');
  });

  it('copies literal text between fields', () => {
    assert.strictEqual(key('[auth:lower]_[year]:[veryshorttitle:lower]'), 'zhou_2026:hidden');
    assert.strictEqual(key('ref-[auth:lower]'), 'ref-zhou');
  });

  it('always produces a safe key', () => {
    assert.strictEqual(key('[veryshorttitle]', source([], null, '!!! ???')), 'anon');
    assert.strictEqual(key('_[auth:lower]'), 'zhou', 'a key cannot start with _');
    assert.strictEqual(key('[title]', source([], null, 'Straße + Café')), 'StrasseCafe');
  });

  it('falls back to the default for an invalid pattern', () => {
    assert.strictEqual(key('[nope]'), 'zhou2026hidden');
  });
});

describe('keys: validateKeyPattern', () => {
  it('accepts valid patterns', () => {
    for (const ok of [DEFAULT_KEY_PATTERN, '[auth][year]', '[authors12:lower]', 'x-[title:upper:capitalize]+[category]']) {
      assert.strictEqual(validateKeyPattern(ok), undefined, ok);
    }
  });

  it('explains what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['[author]', /unknown field '\[author\]'.*known fields: \[auth\]/],
      ['[auth:lowercase]', /unknown modifier ':lowercase' in '\[auth:lowercase\]'.*:lower, :upper, :capitalize/],
      ['[auth', /'\[' at position 1 is never closed/],
      ['[auth[year]', /'\[' at position 1 is never closed/],
      ['auth]', /'\]' at position 5 has no matching '\['/],
      ['[]', /empty field/],
      ['[authors0]', /at least 1 author/],
      ['[auth] [year]', /' ' cannot appear in a citation key/],
      ['[auth]{x}', /'\{' cannot appear/],
      ['zhou2020', /has no field/],
    ];
    for (const [pattern, message] of cases) assert.match(validateKeyPattern(pattern) ?? '(valid)', message, pattern);
  });
});

describe('keys: isSafeKey', () => {
  it('accepts keys safe in \\cite{} and [@…], rejects others', () => {
    for (const k of ['zhou2026hidden', 'Doe_24', 'a:b.c-d+e/f', '2020x']) assert.ok(isSafeKey(k), k);
    for (const k of ['', '_x', 'a b', 'a,b', 'a{b}', 'a%b', 'é', '-x']) assert.ok(!isSafeKey(k), k);
  });
});

describe('keys: nextFreeKey', () => {
  it('returns the base when free, then a..z, then aa, ab', () => {
    assert.strictEqual(nextFreeKey('k', () => false), 'k');
    const taken = new Set(['k']);
    assert.strictEqual(nextFreeKey('k', (x) => taken.has(x)), 'ka');
    for (const c of 'abcdefghijklmnopqrstuvwxyz') taken.add(`k${c}`);
    assert.strictEqual(nextFreeKey('k', (x) => taken.has(x)), 'kaa');
    for (const c of 'abcdefghijklmnopqrstuvwxyz') taken.add(`ka${c}`);
    assert.strictEqual(nextFreeKey('k', (x) => taken.has(x)), 'kba');
  });
});

describe('keys: disambiguate', () => {
  const papers = (...keys: string[]) => keys.map((key, i) => paper({ key, title: `T${i}` }));

  it('keeps the first occurrence and suffixes later ones in source order', () => {
    const ps = papers('x', 'y', 'x', 'x');
    const renamed = disambiguate(ps);
    assert.deepStrictEqual(ps.map((p) => p.key), ['x', 'y', 'xa', 'xb']);
    assert.deepStrictEqual(renamed.map((r) => [r.paper.title, r.from, r.paper.key]), [
      ['T2', 'x', 'xa'],
      ['T3', 'x', 'xb'],
    ]);
  });

  it('never takes a key that a later paper has as its own', () => {
    const ps = papers('x', 'x', 'xa');
    disambiguate(ps);
    assert.deepStrictEqual(ps.map((p) => p.key), ['x', 'xb', 'xa']);
  });

  it('avoids keys already taken elsewhere', () => {
    const ps = papers('x', 'y');
    disambiguate(ps, new Set(['x', 'xa']));
    assert.deepStrictEqual(ps.map((p) => p.key), ['xb', 'y']);
  });

  it('handles many clashes of one key (suffixes run past z)', () => {
    const ps = papers(...Array.from({ length: 30 }, () => 'k'));
    disambiguate(ps);
    const keys = ps.map((p) => p.key);
    assert.strictEqual(new Set(keys).size, 30);
    assert.deepStrictEqual(keys.slice(25), ['ky', 'kz', 'kaa', 'kab', 'kac']);
  });
});
