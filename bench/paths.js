// Where the benchmark finds its inputs and puts its outputs.
'use strict';
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');

module.exports = {
  repoRoot,
  /** Generated data sets and the manifest describing them (git-ignored). */
  dataDir: path.join(__dirname, 'data'),
  /** results.json and chart.svg (git-ignored). */
  resultsDir: path.join(__dirname, 'results'),
  /** A copy of the compiled core taken at the start of a run, so a concurrent `tsc` cannot change it mid-run. */
  coreSnapshotDir: path.join(__dirname, 'data', 'core'),
  /** The compiled core (`npx tsc -p .`). */
  compiledCoreDir: path.join(repoRoot, 'out', 'src', 'core'),
  /** Debian's texlive-bibtex-extra (and texlive-base) install these. */
  texliveBibDir: '/usr/share/texlive/texmf-dist/bibtex/bib',
  /** Shared real-world files (see ../shared/data/README.md). */
  sharedDataDir: path.resolve(repoRoot, '..', 'shared', 'data'),
  seedListing: path.join(repoRoot, 'seeds', 'yefan-zhou-papers.txt'),
  seedManifest: path.join(repoRoot, 'seeds', 'manifest.json'),
};
