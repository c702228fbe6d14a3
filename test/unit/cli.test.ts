import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli';
import { parseCslJson } from '../../src/core/csl';
import { repoRoot } from './helpers';

const SEED = path.join(repoRoot, 'seeds', 'yefan-zhou-papers.txt');
const FIXTURES = path.join(repoRoot, 'test', 'unit', 'fixtures', 'listing');
const FIELDS = ['key', 'title', 'authors', 'authorsTruncated', 'year', 'month', 'day', 'category', 'abstract', 'hasCode', 'codeUrl', 'source'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

type Rec = { key: string; year: number; source: { file: string; line: number } } & { [k: string]: unknown };

function records(r: Run): Rec[] {
  return JSON.parse(r.stdout) as Rec[];
}

describe('cli: in-process', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-shelf-cli-'));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A copy of the seed in its own folder, optionally with a manifest and a modification date. */
  function seedCopy(name: string, opts: { manifest?: string; mtime?: Date } = {}): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'd'));
    const file = path.join(dir, name);
    fs.copyFileSync(SEED, file);
    if (opts.manifest !== undefined) fs.writeFileSync(path.join(dir, 'manifest.json'), opts.manifest);
    if (opts.mtime) fs.utimesSync(file, opts.mtime, opts.mtime);
    return file;
  }

  it('prints the seed as pretty JSON with exactly the public fields, in order', () => {
    const r = run(SEED);
    assert.strictEqual(r.code, 0);
    assert.strictEqual(r.stderr, '');
    assert.ok(r.stdout.startsWith('[\n  {\n    "key": "zhou2026hidden",\n'), 'two-space indentation');
    const recs = records(r);
    assert.strictEqual(recs.length, 14);
    for (const rec of recs) assert.deepStrictEqual(Object.keys(rec), FIELDS);
    assert.deepStrictEqual(recs[2], {
      key: 'lu2024sharpness',
      title: 'Sharpness-diversity tradeoff: improving flat ensembles with SharpBalance',
      authors: [
        { given: 'Haiquan', family: 'Lu' },
        { given: 'Xiaotian', family: 'Liu' },
        { given: 'Yefan', family: 'Zhou' },
      ],
      authorsTruncated: true,
      year: 2024,
      month: 7,
      day: 17,
      category: { code: 'ML', archive: 'stat.ML', name: 'Machine Learning' },
      abstract: recs[2]?.abstract,
      hasCode: false,
      codeUrl: null,
      source: { file: SEED, line: 7 },
    });
    assert.match(String(recs[2]?.abstract), /^Recent studies on deep ensembles .* ID and OOD scenarios\.$/);
  });

  it('takes the capture date from a manifest.json beside the listing', () => {
    const file = seedCopy('list.txt', {
      manifest: JSON.stringify({ listings: [{ file: 'list.txt', captured: '2030-01-10' }] }),
      mtime: new Date(2031, 2, 1),
    });
    assert.strictEqual(records(run(file))[0]?.year, 2029, 'May 20 is after Jan 10, so the year before');
  });

  it('else from the file modification date', () => {
    const file = seedCopy('list.txt', { mtime: new Date(2031, 2, 1, 12) });
    assert.strictEqual(records(run(file))[0]?.year, 2030);
    const unlisted = seedCopy('other.txt', {
      manifest: JSON.stringify({ listings: [{ file: 'list.txt', captured: '2030-01-10' }] }),
      mtime: new Date(2031, 6, 1, 12),
    });
    assert.strictEqual(records(run(unlisted))[0]?.year, 2031);
  });

  it('--captured overrides both', () => {
    const file = seedCopy('list.txt', {
      manifest: JSON.stringify({ listings: [{ file: 'list.txt', captured: '2030-01-10' }] }),
    });
    assert.strictEqual(records(run(file, '--captured', '2027-06-01'))[0]?.year, 2027);
    assert.strictEqual(records(run('--captured=2027-05-19', file))[0]?.year, 2026);
  });

  it('warns about an unusable manifest and falls back to the modification date', () => {
    const file = seedCopy('list.txt', { manifest: '{ not json', mtime: new Date(2031, 2, 1, 12) });
    const r = run(file);
    assert.strictEqual(r.code, 0);
    assert.match(r.stderr, /manifest\.json: warning: not valid JSON .*; using the modification date of .*list\.txt/);
    assert.strictEqual(records(r)[0]?.year, 2030);
    const badDate = seedCopy('list.txt', {
      manifest: JSON.stringify({ listings: [{ file: 'list.txt', captured: '2030-02-30' }] }),
      mtime: new Date(2031, 2, 1, 12),
    });
    const r2 = run(badDate);
    assert.match(r2.stderr, /manifest\.json: warning: captured date '2030-02-30' of list\.txt is not a valid YYYY-MM-DD date/);
    assert.strictEqual(records(r2)[0]?.year, 2030);
  });

  it('prints BibTeX with --format bibtex', () => {
    const r = run(SEED, '--format', 'bibtex');
    assert.strictEqual(r.code, 0);
    const entries = r.stdout.split('\n').filter((l) => l.startsWith('@'));
    assert.strictEqual(entries.length, 14);
    assert.match(entries[0] ?? '', /^@\w+\{zhou2026hidden,$/);
    assert.strictEqual(run('--format=bibtex', SEED).stdout, r.stdout);
  });

  it('exports CSL-JSON with --format csl, readable by the CSL reader', () => {
    const r = run(SEED, '--format', 'csl');
    assert.strictEqual(r.code, 0);
    const items = JSON.parse(r.stdout) as { id: string; title: string; issued?: { 'date-parts': number[][] } }[];
    assert.strictEqual(items.length, 14);
    assert.strictEqual(items[0].id, 'zhou2026hidden');
    assert.deepStrictEqual(items[0].issued?.['date-parts'], [[2026, 5, 20]]);
    const back = parseCslJson(r.stdout, { file: 'export.json' });
    assert.deepStrictEqual(back.diagnostics, []);
    assert.deepStrictEqual(back.papers.map((p) => p.title), records(run(SEED)).map((p) => p.title));
  });

  it('reports problems as file:line: message, prints the good records, exits 1', () => {
    const file = path.join(FIXTURES, 'malformed.txt');
    const r = run(file, '--captured', '2026-11-26');
    assert.strictEqual(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.strictEqual(lines.length, 8);
    for (const l of lines) assert.ok(l.startsWith(`${file}:`), l);
    assert.ok(lines.includes(`${file}:6: header 'LGFoo 99': date 'Foo 99' has an unknown month 'Foo'; record skipped`), r.stderr);
    assert.ok(lines.some((l) => l.startsWith(`${file}:22: warning: header 'LGJun 1, 2025Video': unknown badge`)), r.stderr);
    assert.deepStrictEqual(records(r).map((p) => p.source.line), [3, 19, 22]);
  });

  it('exits 0 when there are only warnings', () => {
    const file = path.join(tmp, 'badge.txt');
    fs.writeFileSync(file, 'LGJun 1, 2025Video\nBadge TitleAda Lovelace\nAbstract.\n');
    const r = run(file);
    assert.strictEqual(r.code, 0);
    assert.match(r.stderr, /:1: warning: .*unknown badge 'Video'/);
    assert.strictEqual(records(r).length, 1);
  });

  it('keeps keys unique across files, with a warning naming the first holder', () => {
    const r = run(SEED, SEED, '--captured', '2026-11-26');
    assert.strictEqual(r.code, 0);
    const keys = records(r).map((p) => p.key);
    assert.strictEqual(keys.length, 28);
    assert.strictEqual(new Set(keys).size, 28);
    assert.deepStrictEqual(keys.slice(14, 16), ['zhou2026hiddena', 'xiong2026rl4rlaa']);
    const warnings = r.stderr.trimEnd().split('\n');
    assert.strictEqual(warnings.length, 14);
    assert.strictEqual(warnings[0], `${SEED}:1: warning: key 'zhou2026hidden' is already used at ${SEED}:1; this record gets 'zhou2026hiddena'`);
  });

  it('reads .bib files; their keys win over generated listing keys', () => {
    const bib = path.join(tmp, 'mine.bib');
    fs.writeFileSync(bib, '@article{zhou2026hidden,\n  title = {Something Else},\n  author = {Zhou, Yefan},\n  year = {2026}\n}\n');
    const r = run(SEED, bib, '--captured', '2026-11-26');
    const recs = records(r);
    assert.strictEqual(recs.length, 15);
    assert.deepStrictEqual([recs[0]?.key, recs[0]?.title], ['zhou2026hiddena', 'The Hidden Signal of Verifier Strictness: Controlling and Improving Step-Wise Verification via Selective Latent Steering']);
    assert.deepStrictEqual([recs[14]?.key, recs[14]?.title, recs[14]?.source], ['zhou2026hidden', 'Something Else', { file: bib, line: 1 }]);
    assert.match(r.stderr, new RegExp(`^${escape(SEED)}:1: warning: key 'zhou2026hidden' is already used at ${escape(bib)}:1`, 'm'));
  });

  it('--help prints usage that explains the capture date, exit 0', () => {
    const r = run('--help');
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /^Usage: paper-shelf FILE\.\.\. \[--format json\|bibtex\|csl\] \[--captured YYYY-MM-DD\]/);
    assert.match(r.stdout, /manifest\.json[\s\S]*modification date/);
    assert.strictEqual(run('-h').stdout, r.stdout);
  });

  it('exits 2 on usage errors, printing nothing on stdout', () => {
    const cases: [string[], RegExp][] = [
      [[], /no input files/],
      [['--bogus', SEED], /unknown option '--bogus'/],
      [['-x', SEED], /unknown option '-x'/],
      [[SEED, '--format', 'xml'], /--format must be json, bibtex or csl, not 'xml'/],
      [[SEED, '--format'], /--format needs a value/],
      [[SEED, '--captured', '2026-13-01'], /--captured must be a date YYYY-MM-DD, not '2026-13-01'/],
      [[SEED, '--captured', 'yesterday'], /--captured must be a date/],
    ];
    for (const [argv, message] of cases) {
      const r = run(...argv);
      assert.strictEqual(r.code, 2, argv.join(' '));
      assert.strictEqual(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Run 'paper-shelf --help' for usage/);
    }
  });

  it('exits 2 naming each unreadable file, printing nothing on stdout', () => {
    const missing = path.join(tmp, 'missing.txt');
    const r = run(SEED, missing, tmp);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stdout, '');
    assert.strictEqual(r.stderr, `paper-shelf: cannot read '${missing}': no such file\npaper-shelf: cannot read '${tmp}': is a directory\n`);
  });

  it('reads Latin-1 and UTF-16 files as the extension does, saying so; refuses a binary file', () => {
    const latin1 = path.join(tmp, 'latin1.bib');
    fs.writeFileSync(latin1, Buffer.from('@article{mueller1999,\n  title = {Gr\xf6\xdfe},\n  author = {M\xfcller, J\xfcrgen},\n  year = 1999,\n}\n', 'latin1'));
    const utf16 = path.join(tmp, 'utf16.bib');
    fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('@misc{wide2001,\n  title = {Wide Größe},\n  year = 2001,\n}\n', 'utf16le')]));
    const r = run(latin1, utf16);
    assert.strictEqual(r.code, 0, r.stderr);
    const papers = JSON.parse(r.stdout) as { key: string; title: string; authors: { family: string }[] }[];
    assert.deepStrictEqual(papers.map((p) => [p.key, p.title, p.authors.map((a) => a.family)]), [['mueller1999', 'Größe', ['Müller']], ['wide2001', 'Wide Größe', []]]);
    assert.match(r.stderr, /latin1\.bib:\d+: warning: .*(Latin-1|Windows-1252)/i);
    const binary = path.join(tmp, 'paper.bib');
    fs.writeFileSync(binary, Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02]));
    const b = run(binary);
    assert.strictEqual(b.code, 2);
    assert.match(b.stderr, /cannot read '.*paper\.bib': this is not a text file/);
  });

  it('treats everything after -- as files', () => {
    const r = run('--', '--help');
    assert.strictEqual(r.code, 2);
    assert.match(r.stderr, /cannot read '--help'/);
  });
});

describe('cli: the built dist/cli.js', function () {
  this.timeout(60_000);
  const cli = path.join(repoRoot, 'dist', 'cli.js');

  before(() => {
    const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
    assert.strictEqual(build.status, 0, `node esbuild.js failed:\n${build.stdout}\n${build.stderr}`);
  });

  it('runs as a script and prints the same JSON as main()', () => {
    assert.ok(fs.readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n'), 'has a shebang for npm bin');
    const out = spawnSync(process.execPath, [cli, SEED], { encoding: 'utf8' });
    assert.strictEqual(out.status, 0, out.stderr);
    assert.strictEqual(out.stdout, run(SEED).stdout);
  });

  it('sets the exit status and writes diagnostics to stderr', () => {
    const out = spawnSync(process.execPath, [cli, path.join(FIXTURES, 'malformed.txt')], { encoding: 'utf8' });
    assert.strictEqual(out.status, 1);
    assert.match(out.stderr, /malformed\.txt:6: header 'LGFoo 99'/);
    assert.strictEqual((JSON.parse(out.stdout) as unknown[]).length, 3);
    assert.strictEqual(spawnSync(process.execPath, [cli], { encoding: 'utf8' }).status, 2);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
