import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { categoryForCode } from '../../src/core/categories';
import { parseListing, splitTitleLine, splitDisplayName, findCodeUrl } from '../../src/core/listing';
import { PaperSchema, type Paper, type ReadResult } from '../../src/core/model';
import { repoRoot, seedListing } from './helpers';

const FIXTURES = path.join(repoRoot, 'test', 'unit', 'fixtures', 'listing');
const CAPTURED = '2026-11-26';

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function parseFixture(name: string, captured = CAPTURED): ReadResult {
  return parseListing(fixture(name), { file: name, captured });
}

function names(p: Paper): string[] {
  return p.authors.map((a) => `${a.given}|${a.family}`);
}

/** Every output record passes the schema, and diagnostics name real lines. */
function assertWellFormed(result: ReadResult, text: string): void {
  const lineCount = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;
  for (const d of result.diagnostics) {
    assert.ok(Number.isInteger(d.line) && d.line >= 1 && d.line <= lineCount, `diagnostic line ${d.line} of ${lineCount}: ${d.message}`);
    assert.ok(d.message.length > 0);
  }
  for (const p of result.papers) {
    const check = PaperSchema.safeParse(p);
    assert.ok(check.success, `invalid record at line ${p.source.line}`);
    assert.ok(p.source.line >= 1 && p.source.line <= lineCount);
  }
  const keys = result.papers.map((p) => p.key);
  assert.strictEqual(new Set(keys).size, keys.length, 'keys are unique');
}

describe('listing: the shipped seed listing', () => {
  const { file, text, captured } = seedListing();
  const result = parseListing(text, { file, captured });
  const rawLines = text.split('\n');

  // What a reader of the listing sees, record by record (title, authors as shown, date,
  // category, code link, key).
  const expected: {
    line: number;
    title: string;
    authors: string[];
    date: [number, number, number];
    category: [string, string, string];
    hasCode: boolean;
    codeUrl: string | null;
    key: string;
  }[] = [
    {
      line: 1,
      title: 'The Hidden Signal of Verifier Strictness: Controlling and Improving Step-Wise Verification via Selective Latent Steering',
      authors: ['Yefan|Zhou', 'Yilun|Zhou', 'Austin|Xu'],
      date: [2026, 5, 20],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: true,
      codeUrl: 'https://github.com/YefanZhou/VerifySteer',
      key: 'zhou2026hidden',
    },
    {
      line: 4,
      title: 'RL4RLA: Teaching ML to Discover Randomized Linear Algebra Algorithms Through Curriculum Design and Graph-Based Search',
      authors: ['Jinglong|Xiong', 'Xiaotian|Liu', 'Ruoxin|Wang'],
      date: [2026, 5, 18],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: true,
      codeUrl: 'https://github.com/Tim-Xiong/RL4RLA',
      key: 'xiong2026rl4rla',
    },
    {
      line: 7,
      title: 'Sharpness-diversity tradeoff: improving flat ensembles with SharpBalance',
      authors: ['Haiquan|Lu', 'Xiaotian|Liu', 'Yefan|Zhou'],
      date: [2024, 7, 17],
      category: ['ML', 'stat.ML', 'Machine Learning'],
      hasCode: false,
      codeUrl: null,
      key: 'lu2024sharpness',
    },
    {
      line: 10,
      title: 'AlphaPruning: Using Heavy-Tailed Self Regularization Theory for Improved Layer-wise Pruning of Large Language Models',
      authors: ['Haiquan|Lu', 'Yefan|Zhou', 'Shiwei|Liu'],
      date: [2024, 10, 14],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: true,
      codeUrl: 'https://github.com/haiquanlu/AlphaPruning',
      key: 'lu2024alphapruning',
    },
    {
      line: 13,
      title: 'Diffusion Language Models Know the Answer Before Decoding',
      authors: ['Pengxiang|Li', 'Yefan|Zhou', 'Dilxat|Muhtar'],
      date: [2025, 8, 27],
      category: ['CL', 'cs.CL', 'Computation and Language'],
      hasCode: true,
      codeUrl: 'https://github.com/pixeli99/Prophet',
      key: 'li2025diffusion',
    },
    {
      line: 16,
      title: 'AlphaLoRA: Assigning LoRA Experts Based on Layer Training Quality',
      authors: ['Peijun|Qing', 'Chongyang|Gao', 'Yefan|Zhou'],
      date: [2024, 10, 14],
      category: ['CL', 'cs.CL', 'Computation and Language'],
      hasCode: true,
      codeUrl: 'https://github.com/morelife2017/alphalora',
      key: 'qing2024alphalora',
    },
    {
      line: 19,
      title: 'Variation in Verification: Understanding Verification Dynamics in Large Language Models',
      authors: ['Yefan|Zhou', 'Austin|Xu', 'Yilun|Zhou'],
      date: [2025, 9, 22],
      category: ['CL', 'cs.CL', 'Computation and Language'],
      hasCode: true,
      codeUrl: null,
      key: 'zhou2025variation',
    },
    {
      line: 22,
      title: 'MD tree: a model-diagnostic tree grown on loss landscape',
      authors: ['Yefan|Zhou', 'Jianlong|Chen', 'Qinxue|Cao'],
      date: [2024, 6, 24],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: true,
      codeUrl: 'https://github.com/YefanZhou/ModelDiagnosis',
      key: 'zhou2024md',
    },
    {
      line: 25,
      title: 'Model Balancing Helps Low-data Training and Fine-tuning',
      authors: ['Zihang|Liu', 'Yuanzhe|Hu', 'Tianyu|Pang'],
      date: [2024, 10, 16],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: false,
      codeUrl: null,
      key: 'liu2024model',
    },
    {
      line: 28,
      title: 'A Model Zoo on Phase Transitions in Neural Networks',
      authors: ['Konstantin|Schürholt', 'Léo|Meynent', 'Yefan|Zhou'],
      date: [2025, 4, 25],
      category: ['LG', 'cs.LG', 'Machine Learning'],
      hasCode: false,
      codeUrl: null,
      key: 'schurholt2025model',
    },
    {
      line: 31,
      title: 'On the Shelf Life of Fine-Tuned LLM Judges: Future Proofing, Backward Compatibility, and Question Generalization',
      authors: ['Janvijay|Singh', 'Austin|Xu', 'Yilun|Zhou'],
      date: [2025, 9, 28],
      category: ['CL', 'cs.CL', 'Computation and Language'],
      hasCode: false,
      codeUrl: null,
      key: 'singh2025shelf',
    },
    {
      line: 34,
      title: 'A Three-regime Model of Network Pruning',
      authors: ['Yefan|Zhou', 'Yaoqing|Yang', 'Arin|Chang'],
      date: [2023, 5, 28],
      category: ['ML', 'stat.ML', 'Machine Learning'],
      hasCode: false,
      codeUrl: null,
      key: 'zhou2023three',
    },
    {
      line: 37,
      title: 'A Dataset-Dispersion Perspective on Reconstruction Versus Recognition in Single-View 3D Reconstruction Networks',
      authors: ['Yefan|Zhou', 'Yiru|Shen', 'Yujun|Yan'],
      date: [2021, 11, 30],
      category: ['CV', 'cs.CV', 'Computer Vision and Pattern Recognition'],
      hasCode: false,
      codeUrl: null,
      key: 'zhou2021dataset',
    },
    {
      line: 40,
      title: 'Learn to Grasp with Less Supervision: A Data-Efficient Maximum Likelihood Grasp Sampling Loss',
      authors: ['Xinghao|Zhu', 'Yefan|Zhou', 'Yongxiang|Fan'],
      date: [2021, 8, 10],
      category: ['RO', 'cs.RO', 'Robotics'],
      hasCode: false,
      codeUrl: null,
      key: 'zhu2021learn',
    },
  ];

  it('reads all 14 records without diagnostics', () => {
    assert.deepStrictEqual(result.diagnostics, []);
    assert.strictEqual(result.papers.length, 14);
  });

  expected.forEach((e, i) => {
    it(`record ${i + 1} (line ${e.line}): ${e.key}`, () => {
      const p = result.papers[i];
      assert.ok(p, `record ${i + 1} is missing`);
      assert.strictEqual(p.title, e.title);
      assert.deepStrictEqual(names(p), e.authors);
      assert.strictEqual(p.authorsTruncated, true, 'every seed author list ends in "et al."');
      assert.deepStrictEqual([p.year, p.month, p.day], e.date);
      assert.deepStrictEqual(p.category, { code: e.category[0], archive: e.category[1], name: e.category[2] });
      assert.strictEqual(p.hasCode, e.hasCode);
      assert.strictEqual(p.codeUrl, e.codeUrl);
      assert.strictEqual(p.key, e.key);
      assert.deepStrictEqual(p.source, { file, line: e.line });
      // The abstract is the record's third line, as written.
      assert.strictEqual(p.abstract, rawLines[e.line + 1]);
    });
  });

  it('gives the yearless May 20 the capture year (captured 2026-11-26)', () => {
    assert.strictEqual(captured, CAPTURED);
    assert.deepStrictEqual([result.papers[0]?.year, result.papers[1]?.year], [2026, 2026]);
  });
});

describe('listing: dates', () => {
  const one = (header: string, captured: string): ReadResult =>
    parseListing(`${header}\nA TitleJane Doe\nAbstract.`, { file: 'd.txt', captured });

  it('puts a yearless date after the capture date in the previous year', () => {
    const p = one('LGDec 30', '2026-11-26').papers[0];
    assert.deepStrictEqual([p?.year, p?.month, p?.day], [2025, 12, 30]);
  });

  it('keeps a yearless date on the capture day itself in the capture year', () => {
    const p = one('LGNov 26', '2026-11-26').papers[0];
    assert.strictEqual(p?.year, 2026);
    assert.strictEqual(one('LGNov 27', '2026-11-26').papers[0]?.year, 2025);
  });

  it('accepts full month names and Sept.', () => {
    assert.deepStrictEqual(one('LGSeptember 3, 2020', CAPTURED).papers[0]?.month, 9);
    assert.deepStrictEqual(one('LGSept 3, 2020', CAPTURED).papers[0]?.month, 9);
  });

  it('reports a yearless Feb 29 that does not exist in the resolved year', () => {
    const r = one('LGFeb 29', '2026-11-26');
    assert.strictEqual(r.papers.length, 0);
    assert.strictEqual(r.diagnostics[0]?.line, 1);
    assert.match(r.diagnostics[0]?.message ?? '', /Feb 29 does not exist in 2026/);
    assert.strictEqual(one('LGFeb 29', '2024-11-26').papers[0]?.year, 2024);
  });

  it('reports an invalid capture date and leaves yearless dates without a year', () => {
    const r = one('LGMay 20', '26-11-2026');
    assert.strictEqual(r.papers[0]?.year, null);
    assert.strictEqual(r.papers[0]?.month, 5);
    assert.match(r.diagnostics[0]?.message ?? '', /capture date '26-11-2026' is not a valid YYYY-MM-DD date/);
  });
});

describe('listing: titles and authors', () => {
  const result = parseFixture('edge-cases.txt');
  const byLine = new Map(result.papers.map((p) => [p.source.line, p]));
  const at = (line: number): Paper => {
    const p = byLine.get(line);
    assert.ok(p, `no record at line ${line}; diagnostics: ${JSON.stringify(result.diagnostics)}`);
    return p;
  };

  it('reads every edge-case record', () => {
    assert.deepStrictEqual(result.diagnostics, []);
    assert.strictEqual(result.papers.length, 9);
    assertWellFormed(result, fixture('edge-cases.txt'));
  });

  it('a title ending in a digit, one author without et al.', () => {
    assert.strictEqual(at(1).title, 'Scaling Laws for GPT-4');
    assert.deepStrictEqual(names(at(1)), ['Jean-Pierre|Dupont']);
    assert.strictEqual(at(1).authorsTruncated, false);
  });

  it('a title ending in an acronym; two authors joined by "and"; initials', () => {
    assert.strictEqual(at(4).title, 'Transformers for NLP');
    assert.deepStrictEqual(names(at(4)), ['Yefan|Zhou', 'Diederik P.|Kingma']);
  });

  it('a hyphenated title; three authors with "&"; accents and apostrophes', () => {
    assert.strictEqual(at(7).title, 'Fine-tuning');
    assert.deepStrictEqual(names(at(7)), ['Léo|Meynent', 'Konstantin|Schürholt', "Mary|O'Brien"]);
  });

  it('a camel-case word before the first author; particles stay with the family name', () => {
    assert.strictEqual(at(10).title, 'Improving Flat Ensembles with SharpBalance');
    assert.deepStrictEqual(names(at(10)), ['Haiquan|Lu', 'Laurens|van der Maaten', 'Juan|de la Cruz']);
    assert.strictEqual(at(10).authorsTruncated, true);
  });

  it('a title ending in "?"; hyphenated and accented names', () => {
    assert.strictEqual(at(13).title, 'Is Attention All You Need?');
    assert.deepStrictEqual(names(at(13)), ['Ana|García-López', 'Zoë|Kravitz']);
  });

  it('a title ending in ")"; a serial comma before "and"', () => {
    assert.strictEqual(at(16).title, 'Grasping (with Less Supervision)');
    assert.deepStrictEqual(names(at(16)), ['Xinghao|Zhu', 'Yefan|Zhou', 'Yongxiang|Fan']);
  });

  it('a title ending in a lower-case word', () => {
    assert.strictEqual(at(19).title, 'MD tree: a model-diagnostic tree grown on loss landscape');
    assert.deepStrictEqual(names(at(19)), ['Yefan|Zhou', 'Jianlong|Chen']);
  });

  it('a first author whose family name has an internal capital', () => {
    assert.strictEqual(at(22).title, 'Deep Learning at Scale');
    assert.deepStrictEqual(names(at(22)), ['Yann|LeCun', 'Max|Welling']);
  });

  it('hyphenated initials and a generational suffix', () => {
    assert.strictEqual(at(25).title, 'Bayesian Networks');
    assert.deepStrictEqual(names(at(25)), ['J.-P.|Vert', 'Martin Luther|King Jr.']);
  });

  it('splits single title lines the same way', () => {
    const split = (line: string) => {
      const r = splitTitleLine(line);
      assert.ok(typeof r !== 'string', `${line}: ${String(r)}`);
      return [r.title, ...r.authors.map((a) => `${a.given}|${a.family}`)];
    };
    assert.deepStrictEqual(split('Deep Learning for NLPYefan Zhou'), ['Deep Learning for NLP', 'Yefan|Zhou']);
    assert.deepStrictEqual(split('Graph NetworksJ.P. Smith'), ['Graph Networks', 'J.P.|Smith']);
    assert.deepStrictEqual(split('Scaling ModelsJohn McDonald'), ['Scaling Models', 'John|McDonald']);
    assert.deepStrictEqual(split('The TheoryMary DeAnn Smith, Bob Lee'), ['The Theory', 'Mary DeAnn|Smith', 'Bob|Lee']);
    assert.deepStrictEqual(split('Title:Ludwig van Beethoven'), ['Title:', 'Ludwig|van Beethoven']);
    assert.deepStrictEqual(split('Title "Quoted"Jane Doe, John Roe, …'), ['Title "Quoted"', 'Jane|Doe', 'John|Roe']);
  });

  it('explains a title line without an author list', () => {
    assert.match(String(splitTitleLine('no authors here.')), /no author list at the end of the title line/);
    assert.match(String(splitTitleLine('A Title Jane Doe, John Roe')), /cannot tell where the title ends/);
  });
});

describe('listing: names known from elsewhere in the listing', () => {
  it('splits where the first author is a name seen as a later author elsewhere', () => {
    const result = parseFixture('known-names.txt');
    assert.deepStrictEqual(result.diagnostics, []);
    assert.deepStrictEqual(
      result.papers.slice(1).map((p) => [p.title, ...names(p)]),
      [
        ['A Title Without Glue', 'Yefan|Zhou', 'Bob|Lee'],
        ["Why Models'", 'Jane|Doe', 'Bob|Lee'],
        ['Spectral Theory', 'Mary Jane|Doe', 'Bob|Lee'],
      ],
    );
  });

  it('knows the names of a record that is itself skipped', () => {
    const text = 'LGFoo 99\nSome TitleBob Lee, Jane Doe\nabs\nLGMay 1, 2024\nA Title Without Glue Jane Doe, Bob Lee\nabs';
    const result = parseListing(text, { file: 'k.txt', captured: CAPTURED });
    assert.deepStrictEqual(result.diagnostics.map((d) => d.line), [1]);
    assert.deepStrictEqual(
      result.papers.map((p) => [p.title, ...names(p)]),
      [['A Title Without Glue', 'Jane|Doe', 'Bob|Lee']],
    );
  });

  it('without those names the unglued lines are reported, not guessed', () => {
    const lines = fixture('known-names.txt').split('\n');
    const alone = parseListing(lines.slice(3).join('\n'), { file: 'k.txt', captured: CAPTURED });
    assert.deepStrictEqual(
      alone.diagnostics.map((d) => [d.line, /cannot tell where the title ends/.test(d.message)]),
      [
        [2, true],
        [5, true],
      ],
    );
    assert.deepStrictEqual(alone.papers.map((p) => p.title), ['Spectral Theory']);
  });
});

describe('listing: malformed records', () => {
  const text = fixture('malformed.txt');
  const result = parseListing(text, { file: 'malformed.txt', captured: CAPTURED });
  const messageAt = (line: number): string => {
    const d = result.diagnostics.filter((x) => x.line === line);
    assert.strictEqual(d.length, 1, `one diagnostic at line ${line}: ${JSON.stringify(result.diagnostics)}`);
    return d[0]?.message ?? '';
  };

  it('still loads the good records', () => {
    assert.deepStrictEqual(
      result.papers.map((p) => [p.source.line, p.title]),
      [
        [3, 'Good Title'],
        [19, 'Another Good Title'],
        [22, 'Badge Title'],
      ],
    );
    assertWellFormed(result, text);
  });

  it('reports each problem at its line, once', () => {
    assert.deepStrictEqual(
      result.diagnostics.map((d) => d.line),
      [1, 6, 9, 12, 16, 18, 22, 25],
    );
  });

  it('reports lines before the first header', () => {
    assert.match(messageAt(1), /2 lines before the first record header ignored/);
  });

  it('reports bad dates in headers', () => {
    assert.match(messageAt(6), /header 'LGFoo 99'.*unknown month 'Foo'.*record skipped/);
    assert.match(messageAt(9), /header 'LGFeb 30, 2024'.*has no day 30/);
    assert.match(messageAt(12), /header 'LGMay 21, 24'.*four-digit year/);
  });

  it('reports a title line without authors and a missing title line', () => {
    assert.match(messageAt(16), /no author list at the end of the title line.*record skipped/);
    assert.match(messageAt(18), /header 'CLMar 4, 2025' is not followed by a title line/);
    assert.match(messageAt(25), /header 'MLJul 4, 2025' is not followed by a title line/);
  });

  it('warns about an unknown badge and keeps the record', () => {
    const d = result.diagnostics.find((x) => x.line === 22);
    assert.strictEqual(d?.severity, 'warning');
    assert.match(d?.message ?? '', /unknown badge 'Video' ignored/);
    assert.strictEqual(result.papers[2]?.hasCode, false);
  });

  it('reports text with no header at all', () => {
    const r = parseListing('just some text\nand more', { file: 'x.txt', captured: CAPTURED });
    assert.deepStrictEqual(r.papers, []);
    assert.deepStrictEqual(r.diagnostics.map((d) => d.line), [1]);
  });

  it('reports records that do not meet the record schema instead of returning them', () => {
    // A caller in plain JavaScript can pass a file that is not a string.
    const r = parseListing('LGMay 1, 2024\nA TitleJane Doe\nabs', { file: undefined as unknown as string, captured: CAPTURED });
    assert.deepStrictEqual(r.papers, []);
    assert.deepStrictEqual(r.diagnostics, [{ line: 1, message: 'source.file: expected string; record skipped' }]);
  });

  it('reads an empty file as no records and no problems', () => {
    assert.deepStrictEqual(parseListing('', { file: 'x.txt', captured: CAPTURED }), { papers: [], diagnostics: [] });
  });
});

describe('listing: code links', () => {
  const result = parseFixture('code-links.txt');
  const url = (title: string): string | null | undefined => result.papers.find((p) => p.title === title)?.codeUrl;

  it('reads every record', () => {
    assert.strictEqual(result.papers.length, 8);
    assert.deepStrictEqual(result.diagnostics, []);
  });

  it('strips trailing punctuation and unbalanced brackets', () => {
    assert.strictEqual(url('Trailing Period'), 'https://github.com/jane/period');
    assert.strictEqual(url('In Parentheses'), 'https://github.com/jane/parens');
    assert.strictEqual(url('Balanced Parentheses'), 'https://example.org/code_(v2)');
    assert.strictEqual(url('Multi-line Abstract'), 'https://huggingface.co/janedoe/model');
  });

  it('a Code badge without a link has code but no URL', () => {
    const p = result.papers.find((x) => x.title === 'Badge Without Link');
    assert.deepStrictEqual([p?.hasCode, p?.codeUrl], [true, null]);
  });

  it('without the badge keeps only links to code hosts', () => {
    const hosted = result.papers.find((x) => x.title === 'Code Host Without Badge');
    assert.deepStrictEqual([hosted?.hasCode, hosted?.codeUrl], [false, 'https://gitlab.com/group/project']);
    assert.strictEqual(url('Other Host Without Badge'), null);
  });

  it('recognises a code host in any case or with a port, but not behind credentials or as a prefix', () => {
    assert.strictEqual(findCodeUrl('Code: https://GitHub.com/jane/x.', false), 'https://GitHub.com/jane/x');
    assert.strictEqual(findCodeUrl('Code: https://sub.GITLAB.com/jane/y', false), 'https://sub.GITLAB.com/jane/y');
    assert.strictEqual(findCodeUrl('Code: https://github.com:443/jane/x', false), 'https://github.com:443/jane/x');
    assert.strictEqual(findCodeUrl('Code: https://jane@github.com/x', false), null);
    assert.strictEqual(findCodeUrl('Code: https://github.com.example.org/x', false), null);
    assert.strictEqual(findCodeUrl('Code: https://github.com.example.org/x', true), 'https://github.com.example.org/x');
  });

  it('with the badge prefers a code host over an earlier project page', () => {
    assert.strictEqual(url('Project Page Then Code'), 'https://github.com/janedoe/proj');
    assert.strictEqual(findCodeUrl('Page: https://janedoe.github.io/proj.', true), 'https://janedoe.github.io/proj');
  });

  it('takes the repository over a dataset, a contest or a model page on a code host', () => {
    const both = 'We release a benchmark (https://huggingface.co/datasets/me/bench) and our code at https://github.com/me/proj.';
    assert.strictEqual(findCodeUrl(both, false), 'https://github.com/me/proj');
    assert.strictEqual(findCodeUrl('Data: https://zenodo.org/records/123; code: https://gitlab.com/me/proj', true), 'https://gitlab.com/me/proj');
    assert.strictEqual(findCodeUrl('Models at https://huggingface.co/me/model and https://github.com/me/train.', false), 'https://github.com/me/train');
    assert.strictEqual(findCodeUrl('Models at https://huggingface.co/me/model.', false), 'https://huggingface.co/me/model');
    assert.strictEqual(findCodeUrl('A contest at https://www.kaggle.com/competitions/titanic and a dataset at https://huggingface.co/datasets/x/y.', false), null);
  });

  it('ends a URL at an ellipsis, CJK or full-width punctuation and zero-width characters', () => {
    assert.strictEqual(findCodeUrl('代码：https://github.com/a/b。更多', false), 'https://github.com/a/b');
    assert.strictEqual(findCodeUrl('（https://github.com/a/b）', false), 'https://github.com/a/b');
    assert.strictEqual(findCodeUrl('See https://github.com/a/b… and more', false), 'https://github.com/a/b');
    assert.strictEqual(findCodeUrl('See https://github.com/a/b\u200b.', false), 'https://github.com/a/b');
  });

  it('keeps paragraphs of a multi-line abstract, one blank line between them', () => {
    const p = result.papers.find((x) => x.title === 'Multi-line Abstract');
    assert.strictEqual(p?.abstract, 'First paragraph.\n\nSecond paragraph, model at https://huggingface.co/janedoe/model]');
  });
});

describe('listing: line endings and whitespace', () => {
  it('reads a file with a BOM, CRLF, blank lines and trailing spaces', () => {
    const text = fixture('windows.txt');
    assert.ok(text.startsWith('\uFEFF') && text.includes('\r\n'), 'the fixture keeps its BOM and CRLF');
    const r = parseListing(text, { file: 'windows.txt', captured: CAPTURED });
    assert.deepStrictEqual(r.diagnostics, []);
    assert.deepStrictEqual(
      r.papers.map((p) => [p.source.line, p.title, names(p), p.year, p.month, p.day, p.abstract, p.hasCode]),
      [
        [1, 'Windows Title', ['Jane|Doe', 'John|Roe'], 2026, 5, 20, 'An abstract written on Windows.', true],
        [6, 'Second Title', ['Ada|Lovelace'], 2025, 12, 30, 'Indented abstract line.', false],
      ],
    );
  });

  it('reads the seed the same with CRLF, old Mac CR, or blank lines between records', () => {
    const { text } = seedListing();
    const plain = parseListing(text, { file: 's', captured: CAPTURED }).papers;
    const strip = (ps: Paper[]) => ps.map((p) => ({ ...p, source: { file: 's', line: 0 } }));
    for (const variant of [text.replace(/\n/g, '\r\n'), text.replace(/\n/g, '\r'), text.replace(/\n(?=[A-Z]{2}[A-Z][a-z]{2} \d)/g, '\n\n  \n')]) {
      const r = parseListing(variant, { file: 's', captured: CAPTURED });
      assert.deepStrictEqual(r.diagnostics, []);
      assert.deepStrictEqual(strip(r.papers), strip(plain));
    }
  });
});

describe('listing: keys', () => {
  it('disambiguates keys that clash within a file in source order', () => {
    const rec = 'LGMay 1, 2024\nModel MergingJane Doe\nA.\n';
    const r = parseListing(rec.repeat(3), { file: 'k.txt', captured: CAPTURED });
    assert.deepStrictEqual(r.papers.map((p) => p.key), ['doe2024model', 'doe2024modela', 'doe2024modelb']);
  });

  it('uses a key pattern, and warns and falls back on an invalid one', () => {
    const rec = 'LGMay 1, 2024\nModel MergingJane Doe\nA.\n';
    const custom = parseListing(rec, { file: 'k.txt', captured: CAPTURED, keyPattern: '[auth]_[shortyear]' });
    assert.strictEqual(custom.papers[0]?.key, 'Doe_24');
    const bad = parseListing(rec, { file: 'k.txt', captured: CAPTURED, keyPattern: '[nope]' });
    assert.strictEqual(bad.papers[0]?.key, 'doe2024model');
    assert.strictEqual(bad.diagnostics[0]?.severity, 'warning');
    assert.match(bad.diagnostics[0]?.message ?? '', /unknown field '\[nope\]'/);
  });
});

describe('listing: categories', () => {
  it('resolves cs codes first, then stat, eess and math', () => {
    const archive = (code: string) => categoryForCode(code).archive;
    assert.deepStrictEqual(
      ['LG', 'CV', 'SY', 'ML', 'CO', 'AP', 'SP', 'IV', 'NT', 'ST'].map(archive),
      ['cs.LG', 'cs.CV', 'cs.SY', 'stat.ML', 'stat.CO', 'stat.AP', 'eess.SP', 'eess.IV', 'math.NT', 'math.ST'],
    );
    assert.deepStrictEqual(categoryForCode('CL'), { code: 'CL', archive: 'cs.CL', name: 'Computation and Language' });
  });

  it('keeps an unknown code without archive or name, and still loads the record', () => {
    assert.deepStrictEqual(categoryForCode('ZZ'), { code: 'ZZ', archive: null, name: null });
    const r = parseListing('ZZMay 1, 2024\nA TitleJane Doe\nAbstract.', { file: 'c.txt', captured: CAPTURED });
    assert.deepStrictEqual(r.papers[0]?.category, { code: 'ZZ', archive: null, name: null });
  });
});

describe('listing: display names', () => {
  it('splits given and family names', () => {
    assert.deepStrictEqual(splitDisplayName(['Plato']), { given: '', family: 'Plato' });
    assert.deepStrictEqual(splitDisplayName(['Diederik', 'P.', 'Kingma']), { given: 'Diederik P.', family: 'Kingma' });
    assert.deepStrictEqual(splitDisplayName(['Juan', 'de', 'la', 'Cruz']), { given: 'Juan', family: 'de la Cruz' });
    assert.deepStrictEqual(splitDisplayName(['Martin', 'Luther', 'King', 'Jr.']), { given: 'Martin Luther', family: 'King Jr.' });
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('listing: robustness', () => {
  const { text: seed } = seedListing();
  const seedLines = seed.split('\n');
  const pieces = [
    'LG', 'ML', 'May', 'Foo', ' ', '20', ', 2024', 'Code', '\n', '\r\n', '\r', ',', ' et al.', ' and ', ' & ',
    'Yefan', 'Zhou', 'McDonald', 'van', 'der', 'J.', 'A', 'a', '-', "'", '(', ')', '?', '.', 'https://', 'github.com/',
    'é', '\uFEFF', '\u0301', '周', '\t', '…', '[', ']', '0', ':',
  ];

  function check(text: string, label: string): void {
    let result: ReadResult | undefined;
    assert.doesNotThrow(() => {
      result = parseListing(text, { file: 'fuzz.txt', captured: CAPTURED });
    }, label);
    assert.ok(result);
    assertWellFormed(result, text);
  }

  it('never throws on random bytes', () => {
    const next = rng(1);
    for (let i = 0; i < 200; i++) {
      const bytes = Buffer.alloc(Math.floor(next() * 2000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      check(bytes.toString('utf8'), `random bytes #${i}`);
    }
  });

  it('never throws on random listing-like text', () => {
    const next = rng(2);
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      const n = Math.floor(next() * 200);
      for (let j = 0; j < n; j++) parts.push(pieces[Math.floor(next() * pieces.length)] ?? '');
      check(parts.join(''), `random pieces #${i}`);
    }
  });

  it('never throws on the seed cut at any point, or with its lines shuffled', () => {
    const next = rng(3);
    for (let i = 0; i < 100; i++) check(seed.slice(0, Math.floor(next() * seed.length)), `truncated #${i}`);
    for (let i = 0; i < 100; i++) {
      const lines = [...seedLines];
      for (let j = lines.length - 1; j > 0; j--) {
        const k = Math.floor(next() * (j + 1));
        [lines[j], lines[k]] = [lines[k] ?? '', lines[j] ?? ''];
      }
      check(lines.join('\n'), `shuffled #${i}`);
    }
  });

  it('reports a record whose header is missing and reads the rest', () => {
    const withoutHeader = seedLines.slice(1).join('\n');
    const r = parseListing(withoutHeader, { file: 's', captured: CAPTURED });
    assert.strictEqual(r.papers.length, 13);
    assert.deepStrictEqual(r.diagnostics.map((d) => d.line), [1]);
  });

  it('survives pathological lines (very long words, many glue points, many closing brackets)', () => {
    check(`LGMay 20\n${'aB'.repeat(200_000)} Yefan Zhou\nabs`, 'glue points');
    check(`LGMay 20\n${'McDo, '.repeat(50_000)}\nabs`, 'name words');
    check(`LGMay 20Code\nTitleJane Doe\nhttps://github.com/${')'.repeat(200_000)}`, 'brackets');
    check(`LGMay 20\nX${' '.repeat(500_000)}Y`, 'spaces');
  });

  it('reads a generated 50,000-record listing', () => {
    const records: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const day = (i % 28) + 1;
      records.push(
        `LGMar ${day}, ${2000 + (i % 25)}${i % 2 ? 'Code' : ''}\n` +
          `Paper ${i} on Scaling LawsAuthor Number, Jane Doe et al.\n` +
          `Abstract of paper ${i}. Code at https://github.com/org/repo${i}.`,
      );
    }
    const r = parseListing(records.join('\n'), { file: 'big.txt', captured: CAPTURED });
    assert.deepStrictEqual(r.diagnostics, []);
    assert.strictEqual(r.papers.length, 50_000);
    assert.strictEqual(new Set(r.papers.map((p) => p.key)).size, 50_000);
    const last = r.papers[49_999];
    assert.deepStrictEqual(
      [last?.title, last?.authors[0]?.family, last?.codeUrl, last?.source.line],
      ['Paper 49999 on Scaling Laws', 'Number', 'https://github.com/org/repo49999', 149_998],
    );
  });
});
