// The in-extension benchmark: Paper Shelf with a big library in a real VS Code
// (code-server), measured from inside its extension host by test/bench-host/index.ts.
//
// Usage: node bench/host.js [--dataset bib-100k] [--no-build] [--profile]
// Writes bench/results/host-<dataset>.json and prints it; --profile also writes CPU profiles
// of each reload and grouping switch to bench/results/profiles/host-<dataset>/. Needs what `npm test` needs
// for its e2e stage (Node 24 + code-server, cached; Debian chromium).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureTools } = require('../test/e2e/setup');
const h = require('../test/e2e/harness');
const { ensureData } = require('./data');

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function build(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: h.paths.repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

/** Measure one data set; returns the JSON the extension host wrote. */
async function measureInHost(datasetId, { buildFirst = true, profileDir, log = console.log } = {}) {
  const manifest = ensureData({ log });
  const dataset = manifest.datasets.find((d) => d.id === datasetId);
  if (!dataset) throw new Error(`no data set ${datasetId} (have: ${manifest.datasets.map((d) => d.id).join(', ')})`);
  if (buildFirst) {
    build('npx', ['tsc', '-p', '.']);
    build('npm', ['run', 'package']);
  }
  const tools = ensureTools();
  const root = h.makeTempRoot('bench-host');
  let browser;
  let server;
  try {
    const extensionPath = h.installVsix(tools, h.paths.vsix, path.join(root, 'extensions'));
    const folder = path.join(root, 'ws');
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'paperShelf.sources': dataset.files }, null, 2));
    browser = await h.launchBrowser(tools);
    server = await h.CodeServer.start(tools, { name: 'bench-host', extensionsDir: path.dirname(extensionPath) });
    const out = path.join(root, 'bench.json');
    const { exitCode } = await h.runInHostTests(browser, server, {
      folder,
      extensionPath,
      testsPath: path.join(h.paths.repoRoot, 'out', 'test', 'bench-host', 'index.js'),
      resultsFile: path.join(root, 'unused.json'),
      env: { PAPER_SHELF_BENCH_OUT: out, ...(profileDir ? { PAPER_SHELF_BENCH_PROFILE: profileDir } : {}) },
      timeout: 600000,
    });
    if (!fs.existsSync(out)) throw new Error(`the in-host benchmark wrote nothing (exit ${exitCode}); see test-results/logs/bench-host/`);
    const result = { dataset: datasetId, records: dataset.present, bytes: dataset.bytes, ...JSON.parse(fs.readFileSync(out, 'utf8')) };
    const vsix = fs.statSync(h.paths.vsix).size;
    const ext = fs.statSync(path.join(h.paths.repoRoot, 'dist', 'extension.js')).size;
    result.sizes = { extensionJsKB: ext / 1024, vsixKB: vsix / 1024 };
    return result;
  } finally {
    if (server) await server.stop();
    if (browser) await browser.close().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true });
  }
}

module.exports = { measureInHost };

if (require.main === module) {
  const id = arg('--dataset', 'bib-100k');
  const profileDir = process.argv.includes('--profile') ? path.join(__dirname, 'results', 'profiles', `host-${id}`) : undefined;
  measureInHost(id, { buildFirst: !process.argv.includes('--no-build'), profileDir })
    .then((r) => {
      const dir = path.join(__dirname, 'results');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `host-${id}.json`), JSON.stringify(r, null, 2));
      console.log(JSON.stringify(r, null, 2));
    })
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
