// Loads the compiled core (out/src/core, or the snapshot run.js takes of it).
'use strict';
const fs = require('fs');
const path = require('path');
const paths = require('./paths');

/** The folder the core is loaded from: $BENCH_CORE_DIR, else the run's snapshot, else out/src/core. */
function coreDir() {
  if (process.env.BENCH_CORE_DIR) return process.env.BENCH_CORE_DIR;
  if (fs.existsSync(path.join(paths.coreSnapshotDir, 'listing.js'))) return paths.coreSnapshotDir;
  return paths.compiledCoreDir;
}

/** `require` a core module by its path under src/core without extension, e.g. `bibtex/parse`. */
function core(name) {
  const file = path.join(coreDir(), `${name}.js`);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npx tsc -p .\` first`);
  return require(file);
}

module.exports = { core, coreDir };
