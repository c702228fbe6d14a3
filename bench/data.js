// Builds the benchmark's data sets into bench/data/ (git-ignored) on demand and describes
// them in bench/data/manifest.json. Run alone with `node bench/data.js [--rebuild]`.
//
// Data sets (see bench/README.md):
// - real files as they are: TeX Live's tugboat.bib, all 30 TeX Live .bib files, the
//   reference-manager exports under ../shared/data/bib-exports, and the bundled listing;
// - bib-10k/50k/100k: the TeX Live entries repeated with unique keys (each copy's keys,
//   cross-references, titles and DOIs get a copy marker, so the copies are distinct papers);
// - texlive-x10: the 30 TeX Live files concatenated 10 times, as they are (~106k entries);
// - listing-10k/50k/100k: records in the bundled listing's format with varied titles,
//   authors, dates and categories, so generated keys differ.
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const paths = require('./paths');
const { coreDir } = require('./core');
const { bibEntryOffsets, countListingHeaders } = require('./floors');

/** Bump when the generated text changes, so old data sets are rebuilt. */
const GENERATOR_VERSION = 4;
const SIZES = [10_000, 50_000, 100_000];
const CONCAT_TIMES = 10;

// ---------------------------------------------------------------------------------
// Inputs

/** All .bib files under a folder, sorted by path. */
function bibFilesUnder(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.bib')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

function texliveFiles() {
  if (!fs.existsSync(paths.texliveBibDir)) {
    throw new Error(
      `${paths.texliveBibDir} is missing: install Debian's texlive-bibtex-extra (apt-get install texlive-bibtex-extra)`,
    );
  }
  return bibFilesUnder(paths.texliveBibDir);
}

function sharedExportFiles() {
  const dir = path.join(paths.sharedDataDir, 'bib-exports');
  if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: the shared real-world data (../shared/data) is needed`);
  return bibFilesUnder(dir);
}

// ---------------------------------------------------------------------------------
// BibTeX: repeated real entries

const ENTRY_HEADER = /(@[ \t]*([^\s"#%'(),={}@]+)[ \t\r\n]*[{(][ \t\r\n]*)([^,\s{}()"=#%]+)([ \t\r\n]*,)/g;
const KEY_FIELDS = /(\b(?:crossref|xref|xdata)[ \t]*=[ \t]*[{"])([^}"]*)/gi;
const TITLE_FIELD = /\btitle[ \t]*=[ \t]*[{"]/gi;
const DOI_FIELD = /\bdoi[ \t]*=[ \t]*[{"]/gi;
const NOT_ENTRIES = new Set(['string', 'preamble', 'comment']);

/**
 * Copy `copy` (1, 2, …) of a file: entry keys and the keys that crossref/xref/xdata
 * name get `-c<copy>`, titles start with `(<copy>) ` and DOIs with `c<copy>.`, so the
 * copies are different papers to a de-duplicating library. Copy 0 is the file as is.
 */
function markCopy(text, copy) {
  if (copy === 0) return text;
  const suffix = `-c${copy}`;
  return text
    .replace(ENTRY_HEADER, (m, head, type, key, tail) =>
      NOT_ENTRIES.has(type.toLowerCase()) ? m : `${head}${key}${suffix}${tail}`,
    )
    .replace(KEY_FIELDS, (m, head, keys) =>
      head + keys.split(',').map((k) => (k.trim() ? k.trim() + suffix : k)).join(','),
    )
    .replace(TITLE_FIELD, (m) => `${m}(${copy}) `)
    .replace(DOI_FIELD, (m) => `${m}c${copy}.`);
}

/** The files' entries repeated (see markCopy) until exactly `n` entries, cut at an entry boundary. */
function repeatedBib(texts, n) {
  const parts = [];
  let count = 0;
  for (let copy = 0; count < n; copy++) {
    for (const text of texts) {
      const chunk = `${markCopy(text, copy)}\n`;
      const offsets = bibEntryOffsets(chunk);
      if (count + offsets.length >= n) {
        const cut = count + offsets.length === n ? chunk.length : offsets[n - count];
        parts.push(chunk.slice(0, cut));
        return parts.join('');
      }
      parts.push(chunk);
      count += offsets.length;
    }
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------
// Listings in the seed format

/** Deterministic PRNG (mulberry32), so every machine builds the same data. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER_LINE = /^[A-Z]{2}[A-Z][a-z]{2,8} \d{1,2}(?:, \d{4})?(?:Code)?$/;

/**
 * The seed's records as {title, given[], family[], abstract}. The title line glues the
 * title to the first author's given name; in the seed the split is the last
 * lower-case → upper-case change in the word before the first author's family name.
 */
function seedRecords(seedText) {
  const lines = seedText.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim());
  const records = [];
  for (let i = 0; i < lines.length; i++) {
    if (!HEADER_LINE.test(lines[i])) continue;
    let j = i + 1;
    while (j < lines.length && lines[j] === '') j++;
    const titleLine = lines[j] ?? '';
    const abstract = [];
    for (j++; j < lines.length && !HEADER_LINE.test(lines[j]); j++) abstract.push(lines[j]);
    const names = titleLine.replace(/\s*et al\.$/, '').split(', ');
    const firstWords = names[0].split(' ');
    const glued = /^(.*[a-z0-9)\]?!.])([A-Z][^A-Z]*)$/.exec(firstWords[firstWords.length - 2] ?? '');
    if (!glued) continue;
    const title = [...firstWords.slice(0, -2), glued[1]].join(' ');
    const authors = [glued[2] + ' ' + firstWords[firstWords.length - 1], ...names.slice(1)];
    records.push({ title, authors, abstract: abstract.join('\n').trim() });
  }
  if (records.length === 0) throw new Error(`no records recognised in the seed listing ${paths.seedListing}`);
  return records;
}

/** Family names added to the seed's, so generated keys (`[auth][year][word]`) rarely clash. */
const MORE_FAMILY_NAMES = (
  'Smith Müller García Nguyen Kowalski Okafor Tanaka Ivanova Rossi Dubois Andersson Novák Yılmaz ' +
  'Kim Park Chen Wang Li Singh Patel Gupta Cohen Levi Silva Santos Pereira Costa Haddad Nakamura ' +
  'Suzuki Sato Hoffmann Schmidt Fischer Weber Meyer Wagner Becker Schulz Jansen Visser Bakker ' +
  'Nielsen Hansen Larsen Virtanen Korhonen Horvath Nagy Popescu Petrov Sokolov Kuznetsova Fernández ' +
  'López Martínez Rodríguez Hernández Moreau Laurent Bernard Ricci Romano Colombo Greco Adeyemi ' +
  'Mensah Banda Mwangi Otieno Abdullah Rahman Hussain Khan Ahmed Ali Zhang Liu Yang Huang Zhao Wu'
).split(' ');

const CATEGORY_CODES = ['LG', 'LG', 'LG', 'LG', 'CL', 'CL', 'CV', 'CV', 'ML', 'AI', 'RO', 'IR', 'NE', 'CR', 'DS', 'SE', 'HC', 'DB', 'IT', 'ST'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

/** `n` listing records in the seed's format, deterministic, with varied titles, authors, dates and categories. */
function generatedListing(seedText, captured, n) {
  const random = rng(0x5eed + n);
  const seeds = seedRecords(seedText);
  const given = [];
  const family = [...MORE_FAMILY_NAMES];
  for (const s of seeds) {
    for (const a of s.authors) {
      const words = a.split(' ');
      given.push(words.slice(0, -1).join(' '));
      family.push(words[words.length - 1]);
    }
  }
  const allWords = seeds.flatMap((s) => `${s.title} ${s.abstract}`.split(/\s+/));
  const capitalised = [...new Set(allWords.filter((w) => /^[A-Z][a-z]{3,}$/.test(w)))];
  const lower = [...new Set(allWords.filter((w) => /^[a-z]{5,}$/.test(w)))];
  const [capYear, capMonth, capDay] = captured.split('-').map(Number);

  const out = [];
  for (let i = 0; i < n; i++) {
    const s = seeds[i % seeds.length];
    const words = s.title.split(' ');
    words[0] = pick(random, capitalised);
    if (words.length > 2) words[1 + Math.floor(random() * (words.length - 2))] = pick(random, lower);
    const year = random() < 0.6 ? 2015 + Math.floor(random() * 12) : 1990 + Math.floor(random() * 25);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const recent = year === capYear && (month < capMonth || (month === capMonth && day <= capDay));
    const date = `${MONTHS[month - 1]} ${day}${recent && random() < 0.5 ? '' : `, ${year}`}`;
    const roll = random();
    const count = roll < 0.1 ? 1 : roll < 0.25 ? 2 : 3;
    const names = [];
    for (let k = 0; k < count; k++) names.push(`${pick(random, given)} ${pick(random, family)}`);
    const etAl = count === 3 && random() < 0.9 ? ' et al.' : '';
    const badge = random() < 0.4 ? 'Code' : '';
    out.push(`${pick(random, CATEGORY_CODES)}${date}${badge}`, `${words.join(' ')}${names.join(', ')}${etAl}`, s.abstract);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------
// Data sets and manifest

function readText(file) {
  return fs.readFileSync(file, 'utf8');
}

function bytesOf(files) {
  return files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
}

function presentIn(kind, files) {
  const count = kind === 'bibtex' ? (text) => bibEntryOffsets(text).length : countListingHeaders;
  return files.reduce((sum, f) => sum + count(readText(f)), 0);
}

/** Writes a generated file unless it exists; returns its path. */
function generate(name, make, rebuild) {
  const file = path.join(paths.dataDir, name);
  if (rebuild || !fs.existsSync(file)) fs.writeFileSync(file, make());
  return file;
}

function captureDate() {
  const manifest = JSON.parse(readText(paths.seedManifest));
  const entry = manifest.listings.find((l) => l.file === path.basename(paths.seedListing));
  if (!entry) throw new Error(`${paths.seedManifest} has no capture date for ${path.basename(paths.seedListing)}`);
  return entry.captured;
}

/**
 * Makes sure every data set exists and returns the manifest:
 * `{ version, captured, datasets: [{ id, kind, label, scaled, files, bytes, present }] }`.
 */
function ensureData({ rebuild = false, log = () => {} } = {}) {
  fs.mkdirSync(paths.dataDir, { recursive: true });
  const manifestFile = path.join(paths.dataDir, 'manifest.json');
  if (!rebuild && fs.existsSync(manifestFile)) {
    const old = JSON.parse(readText(manifestFile));
    if (old.version === GENERATOR_VERSION && old.datasets.every((d) => d.files.every((f) => fs.existsSync(f)))) return old;
  }
  rebuild = true;
  log('building data sets in bench/data/ …');
  const texlive = texliveFiles();
  const texliveTexts = texlive.map(readText);
  const captured = captureDate();
  const seedText = readText(paths.seedListing);

  const datasets = [];
  const add = (id, kind, label, scaled, files) => {
    datasets.push({ id, kind, label, scaled, files, bytes: bytesOf(files), present: presentIn(kind, files) });
    log(`  ${id}: ${files.length} file(s), ${datasets[datasets.length - 1].present} records`);
  };

  add('tugboat', 'bibtex', 'tugboat.bib (TeX Live)', false, texlive.filter((f) => f.endsWith('/tugboat.bib')));
  add('texlive-30', 'bibtex', `the ${texlive.length} TeX Live .bib files`, false, texlive);
  add('exports', 'bibtex', 'reference-manager exports (../shared/data/bib-exports)', false, sharedExportFiles());
  for (const n of SIZES) {
    const file = generate(`bib-${n / 1000}k.bib`, () => repeatedBib(texliveTexts, n), rebuild);
    add(`bib-${n / 1000}k`, 'bibtex', `TeX Live entries repeated to ${n / 1000}k`, true, [file]);
  }
  const concat = generate(
    `texlive-x${CONCAT_TIMES}.bib`,
    () => Array.from({ length: CONCAT_TIMES }, () => texliveTexts.join('\n')).join('\n'),
    rebuild,
  );
  add(`texlive-x${CONCAT_TIMES}`, 'bibtex', `the ${texlive.length} TeX Live files concatenated ${CONCAT_TIMES}×`, true, [concat]);

  add('listing-seed', 'listing', 'the bundled listing (seeds/)', false, [paths.seedListing]);
  for (const n of SIZES) {
    const file = generate(`listing-${n / 1000}k.txt`, () => generatedListing(seedText, captured, n), rebuild);
    add(`listing-${n / 1000}k`, 'listing', `listing records generated to ${n / 1000}k`, true, [file]);
  }

  const manifest = { version: GENERATOR_VERSION, captured, datasets };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A hash of the compiled core the benchmark loads: the JSON floor's input depends on it. */
function coreHash() {
  const hash = crypto.createHash('sha1');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) hash.update(e.name).update(fs.readFileSync(p));
    }
  };
  walk(coreDir());
  return hash.digest('hex');
}

/**
 * The JSON floor's input: the records our reader returns for a data set, serialised once.
 * Made in a child process (bench/make-json.js) so the parent stays small; cached next to
 * the data with the hash of the core that made it, and remade when either changes.
 */
function ensureJson(dataset) {
  const file = path.join(paths.dataDir, `${dataset.id}.json`);
  const stamp = `${file}.core`;
  const hash = coreHash();
  const newest = Math.max(...dataset.files.map((f) => fs.statSync(f).mtimeMs));
  const fresh =
    fs.existsSync(file) && fs.statSync(file).mtimeMs >= newest && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash;
  if (!fresh) {
    execFileSync(process.execPath, ['--max-old-space-size=8192', path.join(__dirname, 'make-json.js'), dataset.id, file], {
      stdio: 'inherit',
    });
    fs.writeFileSync(stamp, hash);
  }
  return file;
}

module.exports = { ensureData, ensureJson };

if (require.main === module) {
  const manifest = ensureData({ rebuild: process.argv.includes('--rebuild'), log: console.log });
  for (const d of manifest.datasets) {
    console.log(`${d.id.padEnd(14)} ${d.kind.padEnd(8)} ${(d.bytes / 1e6).toFixed(2).padStart(7)} MB ${String(d.present).padStart(7)} records  ${d.label}`);
  }
}
