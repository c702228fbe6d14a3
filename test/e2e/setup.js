// Provides the tools the end-to-end tests need, installing them once into a cache
// folder outside the repository (idempotent; safe to call from several processes):
//
//   Node 24          npm package `node@24`        <cache>/node24   (~10 s cold)
//   code-server      npm package `code-server`    <cache>/cs       (~2-5 min cold, compiles native modules)
//   Chromium         Debian package `chromium`    /usr/bin/chromium (installed by .ci/run or by hand)
//
// <cache> is $PAPER_SHELF_CACHE, or ~/.cache/paper-shelf-e2e. Only the npm registry is
// contacted. code-server is not a devDependency of the extension on purpose: its
// postinstall refuses the Node 20 that runs the rest of the tool chain.
//
// Usage: `node test/e2e/setup.js` prints the resolved tools; `require()` it for ensureTools().
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = 24;
const LOCK_STALE_MS = 20 * 60 * 1000;

/** The cache folder shared by every run on this machine. */
function cacheDir() {
  return path.resolve(process.env.PAPER_SHELF_CACHE || path.join(os.homedir(), '.cache', 'paper-shelf-e2e'));
}

/** Paths of the cached Node 24, derived from the npm `node` package's layout. */
function nodePaths(cache) {
  const pkg = path.join(cache, 'node24', 'node_modules', 'node');
  return {
    binDir: path.join(pkg, 'bin'),
    node: path.join(pkg, 'bin', 'node'),
    // Headers for node-gyp; without npm_config_nodedir it tries to download them.
    nodedir: path.join(pkg, 'node_modules', `node-${process.platform}-${process.arch}`),
  };
}

/** Paths of the cached code-server install. */
function codeServerPaths(cache) {
  const root = path.join(cache, 'cs');
  const pkg = path.join(root, 'node_modules', 'code-server');
  return {
    root,
    pkg,
    entry: path.join(pkg, 'out', 'node', 'entry.js'),
    marker: path.join(root, '.paper-shelf-complete'),
    log: path.join(cache, 'code-server-install.log'),
  };
}

/** Runs a command synchronously; returns {status, stdout, stderr} (never throws on exit code). */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: r.error ? -1 : r.status, stdout: r.stdout || '', stderr: (r.stderr || '') + (r.error ? String(r.error) : '') };
}

function readJson(file) {
  try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return undefined; }
}

/** Environment for npm/node-gyp running under the cached Node 24. */
function node24Env(node, extra = {}) {
  return {
    ...process.env,
    PATH: `${node.binDir}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: node.nodedir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

function nodeVersionOk(node) {
  if (!fs.existsSync(node.node)) return false;
  const r = run(node.node, ['--version']);
  return r.status === 0 && r.stdout.trim().startsWith(`v${NODE_MAJOR}.`);
}

/**
 * code-server counts as installed when our marker exists, or (for an install made by hand
 * with the same commands) when its postinstall visibly finished and it starts.
 */
function codeServerOk(cs, node) {
  const pkg = readJson(path.join(cs.pkg, 'package.json'));
  if (!pkg || pkg.version !== CODE_SERVER_VERSION || !fs.existsSync(cs.entry)) return false;
  if (fs.existsSync(cs.marker)) return true;
  const postinstallDone = ['node_modules', path.join('extensions', 'node_modules')]
    .every((d) => fs.existsSync(path.join(cs.pkg, 'lib', 'vscode', d, '.package-lock.json')));
  if (!postinstallDone) return false;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-cs-check-'));
  try {
    // A throw-away HOME: code-server writes a default config file on first start.
    const r = run(node.node, [cs.entry, '--version'], { env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home } });
    if (r.status !== 0 || !r.stdout.includes(CODE_SERVER_VERSION)) return false;
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  fs.writeFileSync(cs.marker, `${CODE_SERVER_VERSION}\n`);
  return true;
}

/**
 * A cross-process lock (mkdir is atomic) around `fn`. A lock whose owner process is gone,
 * or that is older than LOCK_STALE_MS, is taken over.
 */
function withLock(cache, log, fn) {
  const lock = path.join(cache, '.install-lock');
  const pidFile = path.join(lock, 'pid');
  for (let waitedMs = 0; ; waitedMs += 2000) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(pidFile, String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let age;
    try { age = Date.now() - fs.statSync(lock).mtimeMs; } catch { continue; } // released meanwhile
    let owner = 0;
    try { owner = Number(fs.readFileSync(pidFile, 'utf8')); } catch { /* being created */ }
    // Without a pid file the owner is between mkdir and write: give it a few seconds.
    const stale = age > LOCK_STALE_MS || (owner ? !isAlive(owner) : age > 10000);
    if (stale) {
      log(`removing a stale install lock (pid ${owner || 'unknown'})`);
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (waitedMs % 30000 === 0) log(`waiting for another install (pid ${owner || 'unknown'}) to finish…`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function npmInstall(dir, spec, env, logFile, extraArgs = []) {
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
  const args = ['install', '--no-audit', '--no-fund', ...extraArgs, spec];
  const out = fs.openSync(logFile, 'w');
  try {
    const r = spawnSync('npm', args, { cwd: dir, env, stdio: ['ignore', out, out] });
    return r.error ? -1 : r.status;
  } finally {
    fs.closeSync(out);
  }
}

function tail(file, lines = 40) {
  try { return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

function ensureNode24(cache, log) {
  const node = nodePaths(cache);
  if (nodeVersionOk(node)) return node;
  const t0 = Date.now();
  log(`installing Node ${NODE_MAJOR} from npm into ${path.join(cache, 'node24')}…`);
  const logFile = path.join(cache, 'node24-install.log');
  const status = npmInstall(path.join(cache, 'node24'), `node@${NODE_MAJOR}`, { ...process.env, npm_config_update_notifier: 'false' }, logFile);
  if (status !== 0 || !nodeVersionOk(node)) {
    throw new Error(`installing node@${NODE_MAJOR} failed (exit ${status}); log ${logFile}:\n${tail(logFile)}`);
  }
  log(`Node ${NODE_MAJOR} installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return node;
}

function ensureCodeServer(cache, node, log) {
  const cs = codeServerPaths(cache);
  if (codeServerOk(cs, node)) return cs;
  const t0 = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${cs.root} (cold: 2-5 min; log ${cs.log})…`);
  fs.rmSync(cs.root, { recursive: true, force: true });
  const status = npmInstall(cs.root, `code-server@${CODE_SERVER_VERSION}`, node24Env(node), cs.log, ['--foreground-scripts']);
  if (status !== 0 || !codeServerOk(cs, node)) {
    throw new Error(`installing code-server@${CODE_SERVER_VERSION} failed (exit ${status}). ` +
      `It needs a C/C++ tool chain, python3 and libkrb5-dev (apt). Log ${cs.log}:\n${tail(cs.log)}`);
  }
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return cs;
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(`Chromium not found (looked at ${candidates.join(', ')}). ` +
      'Install it with `apt-get install -y --no-install-recommends chromium fonts-liberation`, or set CHROMIUM_PATH.');
  }
  return found;
}

/**
 * Makes sure Node 24, code-server and (unless `browser: false`) Chromium are available;
 * installs what is missing.
 * @param {{log?: (msg: string) => void, browser?: boolean}} [options]
 * @returns {{cacheDir: string, node: string, nodeBinDir: string, nodedir: string, codeServerEntry: string, codeServerVersion: string, chromium: string}}
 */
function ensureTools({ log = (m) => console.log(`[setup] ${m}`), browser = true } = {}) {
  // `npm start` opens the URL in the user's own browser: Chromium is for the tests.
  const chromium = browser ? findChromium() : undefined;
  const cache = cacheDir();
  fs.mkdirSync(cache, { recursive: true });
  const ready = nodeVersionOk(nodePaths(cache)) && codeServerOk(codeServerPaths(cache), nodePaths(cache));
  const install = () => {
    const node = ensureNode24(cache, log);
    const cs = ensureCodeServer(cache, node, log);
    return {
      cacheDir: cache,
      node: node.node,
      nodeBinDir: node.binDir,
      nodedir: node.nodedir,
      codeServerEntry: cs.entry,
      codeServerVersion: CODE_SERVER_VERSION,
      chromium,
    };
  };
  // Installed already (the usual case): no need to wait for the lock.
  return ready ? install() : withLock(cache, log, install);
}

module.exports = { ensureTools, cacheDir, CODE_SERVER_VERSION };

if (require.main === module) {
  try {
    const t0 = Date.now();
    const tools = ensureTools();
    console.log(JSON.stringify(tools, null, 2));
    console.log(`[setup] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`[setup] ${e.message}`);
    process.exit(1);
  }
}
