// The end-to-end harness: a real VS Code workbench (code-server) with the packaged
// extension installed, driven by Playwright through Debian's Chromium, fully offline.
//
//   const tools = ensureTools();                       // ./setup.js
//   const ext = installVsix(tools, vsix, dir);         // fresh extensions dir, real VSIX
//   const server = await CodeServer.start(tools, {name, extensionsDir});
//   const browser = await launchBrowser(tools);
//   const wb = await Workbench.open(browser, server, {name, folder});
//   await wb.runCommand(paletteTitle('paperShelf.setGrouping'));
//   ...
//   await wb.close(); await server.stop();             // logs land in test-results/logs/<name>/
//
// Every server gets its own throw-away HOME, user-data and config; nothing the tests do
// touches the user's own VS Code or code-server settings.
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, spawnSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..', '..');
const resultsDir = path.join(repoRoot, 'test-results');
const paths = {
  repoRoot,
  resultsDir,
  screenshotsDir: path.join(resultsDir, 'screenshots'),
  logsDir: path.join(resultsDir, 'logs'),
  sampleWorkspace: path.join(__dirname, 'sample-workspace'),
  vsix: path.join(repoRoot, 'dist', 'paper-shelf.vsix'),
};

const EXTENSION_ID = 'paper-shelf.paper-shelf';
/** Title of the LogOutputChannel the extension writes to (its log file is named after it). */
const OUTPUT_CHANNEL = 'Paper Shelf';

/** Settings for a quiet, deterministic workbench (no welcome page, no network features). */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'window.restoreWindows': 'none',
  'git.enabled': false,
  'extensions.ignoreRecommendations': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// ---------------------------------------------------------------------------------------
// Small utilities

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`'s value, or undefined once `ms` have passed (the timer is cleared either way). */
function within(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
}

/** Seconds since t0, formatted for logs. */
const secondsSince = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

/** A file-name-safe slug: `Papers tree (year)` → `papers-tree-year`. */
function slug(s) {
  return String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'x';
}

/**
 * Polls `probe` until it returns a truthy value and returns that value; throws
 * `message` (plus the last probe error, if any) after `timeout` ms.
 */
async function waitFor(probe, { timeout = 10000, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(interval);
  }
}

/** Reads `file` until `predicate(text)` holds (editors save asynchronously); returns the text. */
async function readFileEventually(file, predicate, { timeout = 10000 } = {}) {
  let last = '';
  try {
    return await waitFor(() => {
      last = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      return predicate(last) ? last : undefined;
    }, { timeout, message: `${path.basename(file)} to match` });
  } catch (e) {
    throw new Error(`${e.message}; last content of ${file}:\n${last}`);
  }
}

/** A port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

/** A fresh, short temp folder (unix socket paths inside it must stay short). */
function makeTempRoot(name) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ps-${slug(name).slice(0, 20)}-`));
}

/** Copies the bundled sample workspace to `dest` so tests may change files freely. */
function copySampleWorkspace(dest) {
  fs.cpSync(paths.sampleWorkspace, dest, { recursive: true });
  return dest;
}

function copyDir(src, dest) {
  if (!fs.existsSync(src)) return;
  fs.mkdirSync(dest, { recursive: true });
  fs.cpSync(src, dest, { recursive: true });
}

/** test-results/logs/<name>/, created if needed: everything worth reading after a run of `name`. */
function logDir(name) {
  const dir = path.join(paths.logsDir, slug(name));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
}

/**
 * The command palette title of one of the extension's commands (`Category: Title`), read
 * from package.json so tests name commands by their stable id.
 */
function paletteTitle(commandId) {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const c = (pkg.contributes?.commands ?? []).find((x) => x.command === commandId);
  if (!c) throw new Error(`package.json contributes no command ${commandId}`);
  return c.category ? `${c.category}: ${c.title}` : c.title;
}

// ---------------------------------------------------------------------------------------
// Processes we start: killed on every way out (normal exit, Ctrl+C, crash).

const liveGroups = new Set();

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

process.on('exit', () => { for (const pid of liveGroups) killGroup(pid, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------
// code-server

/**
 * code-server's environment: a throw-away HOME/XDG dirs, Node 24 first on PATH, no gallery.
 * `tmp`, when given, receives the IPC sockets VS Code creates in the temp folder (they
 * outlive a killed server); keep it short, socket paths are limited to ~107 bytes.
 */
function codeServerEnv(tools, home, tmp) {
  return {
    ...process.env,
    ...(tmp ? { TMPDIR: tmp } : {}),
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    PATH: `${tools.nodeBinDir}${path.delimiter}${process.env.PATH}`,
    EXTENSIONS_GALLERY: '{}', // no marketplace queries
    VSCODE_PROXY_URI: '',
    NODE_OPTIONS: '',
  };
}

/**
 * Installs a VSIX into `extensionsDir` (created fresh) with code-server's own installer,
 * exactly as a user would; returns the installed extension folder.
 */
function installVsix(tools, vsix, extensionsDir) {
  if (!fs.existsSync(vsix)) throw new Error(`VSIX not found: ${vsix} (run \`npm run package\`)`);
  fs.rmSync(extensionsDir, { recursive: true, force: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const scratch = makeTempRoot('vsix-install');
  try {
    const home = path.join(scratch, 'home');
    fs.mkdirSync(home);
    const r = spawnSync(tools.node, [tools.codeServerEntry,
      '--user-data-dir', path.join(scratch, 'user-data'), '--extensions-dir', extensionsDir,
      '--config', path.join(scratch, 'config.yaml'), '--install-extension', vsix],
    { env: codeServerEnv(tools, home, scratch), encoding: 'utf8', timeout: 120000 });
    const installed = fs.readdirSync(extensionsDir).find((d) => d.toLowerCase().startsWith(`${EXTENSION_ID}-`));
    if (r.status !== 0 || !installed) {
      throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    return path.join(extensionsDir, installed);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

class CodeServer {
  /**
   * Starts code-server on a free 127.0.0.1 port with a throw-away HOME and user-data dir.
   * @param {object} tools from ensureTools()
   * @param {{name: string, extensionsDir: string, settings?: object, port?: number, root?: string, keepSettings?: boolean}} options
   *   `root`: folder for HOME and user data, kept (default: a fresh temp folder, removed by stop());
   *   `keepSettings`: leave an existing settings.json alone (for `npm start`);
   *   `restricted`: workspace trust on, so a folder opens in Restricted Mode (untrusted).
   */
  static async start(tools, { name, extensionsDir, settings = {}, port, root, keepSettings = false, restricted = false }) {
    if (restricted) {
      settings = {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.banner': 'always',
        'security.workspace.trust.untrustedFiles': 'open',
        ...settings,
      };
    }
    const ownRoot = !root;
    root = root || makeTempRoot(name);
    const home = path.join(root, 'home');
    const userDataDir = path.join(root, 'user-data');
    const settingsFile = path.join(userDataDir, 'User', 'settings.json');
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    if (!(keepSettings && fs.existsSync(settingsFile))) fs.writeFileSync(settingsFile, JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
    const logFile = path.join(root, 'code-server.log');

    let lastError;
    for (let attempt = 0; attempt < 3; attempt++) {
      const p = port || await freePort();
      const server = new CodeServer({ tools, name, root, home, userDataDir, extensionsDir, logFile, port: p, removeRoot: ownRoot, restricted });
      try {
        await server._launch();
        return server;
      } catch (e) {
        lastError = e;
        await server.stop({ collectLogs: false, removeRoot: false });
        if (port || !/EADDRINUSE/.test(e.message)) break; // only a lost port race is worth a retry
      }
    }
    if (ownRoot) fs.rmSync(root, { recursive: true, force: true });
    throw lastError;
  }

  constructor(fields) {
    Object.assign(this, fields);
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    this.authority = `127.0.0.1:${this.port}`;
    this.child = undefined;
  }

  async _launch() {
    const out = fs.openSync(this.logFile, 'a');
    const args = [this.tools.codeServerEntry,
      '--bind-addr', this.authority, '--auth', 'none',
      '--config', path.join(this.root, 'config.yaml'),
      '--user-data-dir', this.userDataDir, '--extensions-dir', this.extensionsDir,
      '--disable-telemetry', '--disable-update-check',
      ...(this.restricted ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override', '--ignore-last-opened',
      '--vscode-option', 'enable-smoke-test-driver'];
    // Own process group: stop() ends code-server together with its extension hosts.
    let tmp;
    if (this.removeRoot) fs.mkdirSync((tmp = path.join(this.root, 'tmp')), { recursive: true });
    this.child = spawn(this.tools.node, args, { env: codeServerEnv(this.tools, this.home, tmp), stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    liveGroups.add(this.child.pid);
    let exited = false;
    this.exitPromise = new Promise((r) => this.child.once('exit', (code, signal) => { exited = true; liveGroups.delete(this.child.pid); r({ code, signal }); }));
    const t0 = Date.now();
    await waitFor(async () => {
      if (exited) throw new Error('code-server exited');
      return httpOk(`${this.baseUrl}/healthz`);
    }, { timeout: 60000, interval: 100, message: `code-server on ${this.baseUrl}` }).catch((e) => {
      throw new Error(`${e.message}\n--- ${this.logFile}:\n${this.logTail()}`);
    });
    this.readyAfterMs = Date.now() - t0;
  }

  logTail(lines = 30) {
    try { return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
  }

  /** `vscode-remote://` URI of a path on this server (for the `payload` URL parameter). */
  remoteUri(p) {
    return `vscode-remote://${this.authority}${p}`;
  }

  /**
   * The workbench URL for `folder`; `payload` is a list of [name, value] pairs read by the
   * workbench when the server runs with enable-smoke-test-driver (see runInHostTests).
   */
  url(folder, payload) {
    let u = `${this.baseUrl}/?folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
    if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return u;
  }

  /** Files of the extension's "Paper Shelf" output channel (one per extension-host session). */
  extensionLogFiles() {
    return listFiles(path.join(this.userDataDir, 'logs')).filter((f) => path.basename(f).endsWith(`${OUTPUT_CHANNEL}.log`));
  }

  /**
   * Copies code-server's log, the user-data logs (extension host, window, server) and the
   * extension's output channel into test-results/logs/<name>/.
   */
  collectLogs() {
    const dest = logDir(this.name);
    if (fs.existsSync(this.logFile)) fs.copyFileSync(this.logFile, path.join(dest, 'code-server.log'));
    copyDir(path.join(this.userDataDir, 'logs'), path.join(dest, 'user-data-logs'));
    const channel = this.extensionLogFiles().map((f) => fs.readFileSync(f, 'utf8')).join('');
    fs.writeFileSync(path.join(dest, 'paper-shelf-output.log'), channel);
    return dest;
  }

  /** Stops the server (and its extension hosts), collects logs, removes the temp folder. */
  async stop({ collectLogs = true, removeRoot = this.removeRoot } = {}) {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      killGroup(this.child.pid, 'SIGTERM');
      if (!(await within(this.exitPromise, 5000))) killGroup(this.child.pid, 'SIGKILL');
      await within(this.exitPromise, 2000);
    }
    if (this.child) {
      killGroup(this.child.pid, 'SIGKILL'); // stragglers of the group (extension host, pty host)
      liveGroups.delete(this.child.pid);
    }
    let logs;
    if (collectLogs) logs = this.collectLogs();
    if (removeRoot) fs.rmSync(this.root, { recursive: true, force: true });
    return logs;
  }
}

// ---------------------------------------------------------------------------------------
// Browser

/** Launches headless Chromium (one per run; every test gets its own context). */
async function launchBrowser(tools) {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A new browser context and page in which every request that does not go to `server`
 * is aborted: the browser side stays offline. Blocked URLs are collected in `blocked`.
 */
async function newOfflinePage(browser, server, { viewport = { width: 1400, height: 1000 } } = {}) {
  const context = await browser.newContext({ viewport });
  const blocked = [];
  const local = (u) => u.origin === server.baseUrl || ['data:', 'blob:'].includes(u.protocol) || u.protocol.startsWith('vscode-');
  await context.route((u) => !local(u), (route) => { blocked.push(route.request().url()); return route.abort(); });
  const page = await context.newPage();
  return { context, page, blocked };
}

// ---------------------------------------------------------------------------------------
// The workbench, as a user sees it

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches an element whose whole text is `s` (surrounding white space aside). */
const exactText = (s) => new RegExp(`^\\s*${escapeRegExp(s)}\\s*$`);

class Workbench {
  /**
   * Opens `folder` in a fresh offline page of `browser` and waits for the workbench.
   * @param {{name: string, folder: string, log?: (m: string) => void}} options
   */
  static async open(browser, server, { name, folder, log }) {
    const { context, page, blocked } = await newOfflinePage(browser, server);
    const wb = new Workbench({ page, context, server, name, blocked, log });
    await page.goto(server.url(folder));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // The explorer lists the folder once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
    wb.log(`workbench ready (${server.name})`);
    return wb;
  }

  constructor({ page, context, server, name, blocked = [], log }) {
    this.page = page;
    this.context = context;
    this.server = server;
    this.name = name;
    this.blocked = blocked;
    this.t0 = Date.now();
    this.shots = 0;
    this.pageErrors = [];
    /** The page's console (workbench and extension-host messages), for the logs. */
    this.consoleLines = [];
    this.log = log || ((m) => console.log(`    [${secondsSince(this.t0)}] ${m}`));
    page.on('pageerror', (e) => this.pageErrors.push(e.message));
    page.on('console', (m) => this.consoleLines.push(`${new Date().toISOString()} [${m.type()}] ${m.text()}`));
  }

  /** Saves a full-page screenshot to test-results/screenshots/<test>-NN-<name>.png; returns its path. */
  async screenshot(name) {
    fs.mkdirSync(paths.screenshotsDir, { recursive: true });
    this.shots += 1;
    const file = path.join(paths.screenshotsDir, `${slug(this.name)}-${String(this.shots).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Runs one named step of a test; on failure takes a screenshot named after the step
   * and rethrows with the step name in front.
   */
  async step(name, fn) {
    const t0 = Date.now();
    try {
      const v = await fn();
      this.log(`✓ ${name} (${secondsSince(t0)})`);
      return v;
    } catch (e) {
      let shot = '';
      try { shot = ` (screenshot ${path.relative(repoRoot, await this.screenshot(`FAILED-${name}`))})`; } catch { /* page gone */ }
      e.message = `step "${name}" failed${shot}: ${e.message}`;
      throw e;
    }
  }

  /**
   * Runs a command through the command palette (F1) by its title as shown there, e.g.
   * `paletteTitle('paperShelf.setGrouping')`.
   */
  async runCommand(title, { timeout = 15000 } = {}) {
    await this._openPaletteAt(title, timeout);
    await this._acceptFocusedQuickItem(title, timeout);
    await this._paletteClosed(title, timeout);
  }

  /**
   * Like runCommand, for right after the window opens: the palette lists the commands
   * registered when it opens, so reopen it until `title` is listed.
   */
  async runCommandWhenListed(title, { timeout = 60000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this._openPaletteAt(title, timeout);
      try {
        await this._focusedQuickItem(title).waitFor({ state: 'visible', timeout: 500 });
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
    await this._acceptFocusedQuickItem(title, timeout);
    await this._paletteClosed(title, timeout);
  }

  /** Opens the command palette (F1) filtered to `title`. */
  async _openPaletteAt(title, timeout) {
    this.consoleLines.push(`${new Date().toISOString()} [harness] command palette: ${title}`);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill(`>${title}`);
  }

  /** Done once the palette is gone, or replaced by the command's own QuickPick/InputBox. */
  async _paletteClosed(title, timeout) {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    // A short timeout per probe: a command may replace the page (a reload), and inputValue
    // would otherwise wait Playwright's 30 s for an input that is gone.
    await waitFor(async () => !(await widget.isVisible()) || !(await input.inputValue({ timeout: 1000 })).startsWith('>'),
      { timeout, message: `the command palette to close after "${title}"` });
  }

  /**
   * Runs "Developer: Reload Window" and waits for the new page's workbench. Waiting for the
   * palette to close, as runCommand does, would race the page being replaced.
   */
  async reloadWindow({ timeout = 60000 } = {}) {
    const title = 'Developer: Reload Window';
    await this._openPaletteAt(title, timeout);
    const page = this.page;
    const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout });
    await this._acceptFocusedQuickItem(title, timeout);
    await navigated;
    await page.locator('.monaco-workbench').waitFor({ timeout });
  }

  /**
   * Waits for a command's own QuickPick/InputBox (not the palette) and types `text` into
   * its box. Typing with the keyboard right after runCommand() could reach the editor
   * before the QuickPick shows.
   */
  async fillQuickInput(text, { timeout = 15000 } = {}) {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await waitFor(async () => (await widget.isVisible()) && !(await input.inputValue()).startsWith('>'),
      { timeout, message: 'a QuickPick or InputBox to show' });
    await input.fill(text);
  }

  /** Picks the row labelled exactly `label` in the open single-select QuickPick, by typing it and pressing Enter. */
  async pickQuickItem(label, { timeout = 15000 } = {}) {
    await this.fillQuickInput(label, { timeout });
    await this._acceptFocusedQuickItem(label, timeout);
  }

  /**
   * Presses Enter once the focused quick-input row is labelled `label`. Keyboard, not a
   * click: the list re-renders while it filters, and hovers may cover it.
   */
  async _acceptFocusedQuickItem(label, timeout) {
    await this._focusedQuickItem(label).waitFor({ state: 'visible', timeout });
    await this.page.locator('.quick-input-widget input.input').press('Enter');
  }

  /** The focused quick-input row, if it is labelled `label`. */
  _focusedQuickItem(label) {
    return this.quickItems().and(this.page.locator('.focused'))
      .filter({ has: this.page.locator('.label-name', { hasText: exactText(label) }) });
  }

  /** Rows of the open quick input (palette or QuickPick). */
  quickItems() {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** Labels (first line, without description or detail) of the open quick input's rows, once it shows one. */
  async quickItemLabels({ timeout = 15000 } = {}) {
    await this.quickItems().first().waitFor({ state: 'visible', timeout });
    return this.quickItems().evaluateAll((rows) => rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => (r.querySelector('.quick-input-list-row .label-name')?.textContent ?? '').trim()));
  }

  /** Ticks the checkbox of the row labelled `label` in a multi-select QuickPick. */
  async checkQuickItem(label, { timeout = 15000 } = {}) {
    const row = this.quickItems().filter({ has: this.page.locator('.label-name', { hasText: exactText(label) }) }).first();
    await row.waitFor({ state: 'visible', timeout });
    if ((await row.getAttribute('aria-checked')) !== 'true') await row.locator('.monaco-checkbox').first().click();
    await waitFor(async () => (await row.getAttribute('aria-checked')) === 'true', { timeout, message: `"${label}" to be checked` });
  }

  /**
   * Accepts the open quick input and waits for it to close: clicks OK in a multi-select
   * QuickPick (Enter would toggle a checkbox that has focus), else presses Enter in its box.
   */
  async acceptQuickInput({ timeout = 15000 } = {}) {
    const widget = this.page.locator('.quick-input-widget');
    const ok = widget.locator('.quick-input-action .monaco-button', { hasText: exactText('OK') });
    if (await ok.isVisible()) await ok.click();
    else await widget.locator('input.input').press('Enter');
    await widget.waitFor({ state: 'hidden', timeout });
  }

  /** Clicks an activity-bar entry (view container) by its title, e.g. `Paper Shelf`. */
  async openViewContainer(title, { timeout = 30000 } = {}) {
    const item = this.page.locator(`.activitybar .action-item:has(.action-label[aria-label^="${title}"]), .activitybar .action-item[aria-label^="${title}"]`).first();
    await item.waitFor({ state: 'visible', timeout });
    // Clicking the entry of the container that is already shown would hide the side bar.
    if (!/\bchecked\b/.test((await item.getAttribute('class')) || '')) await item.click();
    await waitFor(async () => /\bchecked\b/.test((await item.getAttribute('class')) || ''), { timeout, message: `${title} to be shown` });
  }

  /** The side-bar pane of the view titled exactly `viewName` (e.g. `Papers`). */
  view(viewName) {
    return this.page.locator('.sidebar .pane').filter({ has: this.page.locator('.pane-header h3.title', { hasText: exactText(viewName) }) });
  }

  /** Rendered rows of a side-bar tree (of all side-bar trees when `viewName` is omitted). */
  treeRows(viewName) {
    return viewName ? this.view(viewName).locator('.monaco-list-row') : this.page.locator('.sidebar .monaco-list-row');
  }

  /**
   * Waits for a rendered tree row and returns its locator: the row whose label is exactly
   * `label` (a string), or whose text matches `label` (a RegExp).
   */
  async waitForTreeRow(label, { viewName, timeout = 30000 } = {}) {
    const match = typeof label === 'string' ? { has: this.page.locator('.label-name', { hasText: exactText(label) }) } : { hasText: label };
    const row = this.treeRows(viewName).filter(match).first();
    await row.waitFor({ state: 'visible', timeout });
    return row;
  }

  /**
   * The rendered rows of a side-bar tree in list order, as the user reads them:
   * `{index, label, description, level, expanded, last}` (`expanded` is null for leaves,
   * `last` marks the list's last row). Lists render only the rows in view: see allTreeRowItems.
   */
  async treeRowItems(viewName) {
    const rows = await this.treeRows(viewName).evaluateAll((els) => els.map((el) => ({
      index: Number(el.getAttribute('data-index')),
      label: (el.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (el.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(el.getAttribute('aria-level')),
      expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : null,
      last: el.getAttribute('data-last-element') === 'true',
    })));
    return rows.sort((a, b) => a.index - b.index);
  }

  /** Scrolls a side-bar tree to its first row with the mouse wheel; returns the rows then rendered. */
  async scrollTreeToTop(viewName, { timeout = 10000 } = {}) {
    await this._pointAtTree(viewName);
    await this.page.mouse.wheel(0, -1e6);
    const rows = await waitFor(async () => {
      const rendered = await this.treeRowItems(viewName);
      return (rendered.length === 0 || rendered[0].index === 0) && rendered;
    }, { timeout, message: `${viewName} to scroll to the top` });
    await this.parkMouse();
    return rows;
  }

  /**
   * Every row of a side-bar tree (see treeRowItems), scrolling it with the mouse wheel from
   * top to bottom as a user would, since lists render only the rows in view. Scrolls back
   * to the top afterwards.
   */
  async allTreeRowItems(viewName, { timeout = 10000 } = {}) {
    const rows = new Map();
    const collect = (seen) => { for (const r of seen) rows.set(r.index, r); return seen; };
    collect(await this.scrollTreeToTop(viewName, { timeout }));
    const box = await this._pointAtTree(viewName);
    while (rows.size && ![...rows.values()].some((r) => r.last)) {
      const before = Math.max(...rows.keys());
      await this._pointAtTree(viewName);
      await this.page.mouse.wheel(0, box.height * 0.8);
      await waitFor(async () => Math.max(...collect(await this.treeRowItems(viewName)).map((r) => r.index)) > before,
        { timeout, message: `${viewName} to scroll down` });
    }
    if (rows.size > 0 && !rows.has(0)) throw new Error(`${viewName}: lost the first row while scrolling`);
    await this.scrollTreeToTop(viewName, { timeout });
    return [...rows.values()].sort((a, b) => a.index - b.index);
  }

  /** Moves the mouse off the side bar, so that no row hover (tooltip) covers what comes next. */
  async parkMouse() {
    const { width, height } = this.page.viewportSize();
    await this.page.mouse.move(width - 30, Math.round(height * 0.75));
  }

  /** Moves the mouse over a view's tree (wheel events go where the pointer is); returns its box. */
  async _pointAtTree(viewName) {
    const box = await this.view(viewName).locator('.monaco-list').first().boundingBox();
    if (!box) throw new Error(`the ${viewName} view shows no tree`);
    await this.page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
    return box;
  }

  /** Waits until `predicate(rows)` holds for allTreeRowItems(viewName); returns those rows. */
  async waitForTreeRows(viewName, predicate, { timeout = 15000 } = {}) {
    let rows = [];
    try {
      await waitFor(async () => predicate((rows = await this.allTreeRowItems(viewName))), { timeout, interval: 250, message: `rows of ${viewName}` });
    } catch (e) {
      throw new Error(`${e.message}; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
    }
    return rows;
  }

  /** Expands a collapsed tree row with its twistie (no-op when it is already expanded). */
  async expandTreeRow(row) {
    if ((await row.getAttribute('aria-expanded')) === 'false') {
      await row.locator('.monaco-tl-twistie').click();
      await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', { message: 'row to expand' });
      await this.parkMouse();
    }
  }

  /** Clicks a tree row (as returned by waitForTreeRow), then moves the mouse away before its tooltip shows. */
  async clickTreeRow(row) {
    await row.click();
    await this.parkMouse();
  }

  /** Messages of all notifications so far (opens the notification center, then closes it). */
  async notificationMessages() {
    await this.runCommand('Notifications: Show Notifications');
    const center = this.page.locator('.notifications-center');
    await center.waitFor({ state: 'visible' });
    const messages = await center.locator('.notification-list-item-message').allInnerTexts();
    await this.page.keyboard.press('Escape');
    return messages;
  }

  /** The content frame of the visible webview (its `#active-frame`). */
  webviewFrame() {
    return this.page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
  }

  /** Clicks the line containing `text` in the active editor and moves the cursor to its end. */
  async placeCursorAtEndOfLine(text, { timeout = 15000 } = {}) {
    const line = this.page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ state: 'visible', timeout });
    await line.click();
    await this.page.keyboard.press('End');
  }

  /**
   * The text of the first line containing `text` in any visible editor, as rendered
   * (non-breaking spaces made plain).
   */
  async editorLineText(text, { timeout = 15000 } = {}) {
    const line = this.page.locator('.editor-instance .monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ state: 'visible', timeout });
    return (await line.innerText()).replace(/\u00a0/g, ' ');
  }

  /** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(relativePath) {
    const page = this.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    await this.quickItems().filter({ hasText: path.basename(relativePath) }).first().waitFor();
    await page.keyboard.press('Enter');
    // Quick Open opens into the active editor group. The tab's text splits name and
    // extension while the file is dirty: match its resource name.
    await page.locator(`.editor-group-container.active .tab.active[data-resource-name="${path.basename(relativePath)}"]`).waitFor();
    return page.locator('.editor-group-container.active .monaco-editor .view-lines');
  }

  /** Clicks the (first) editor tab of `fileName`, making its editor the active one. */
  async focusEditorTab(fileName) {
    const tab = this.page.locator(`.tabs-container .tab[data-resource-name="${fileName}"]`).first();
    await tab.click();
    await this.page.locator(`.editor-group-container.active .tab.active[data-resource-name="${fileName}"]`).waitFor();
  }

  async close() {
    await this.context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------
// In-host tests (the @vscode/test-electron equivalent)

/**
 * Runs the mocha suite at `testsPath` inside the real (remote, Node) extension host of
 * `server`, with `extensionPath` as the extension under development. The workbench reads
 * the `payload` URL parameter (server started with enable-smoke-test-driver) and calls
 * `window.codeAutomationExit(code)` when the suite's run() settles.
 * Returns {exitCode, results, blocked}: `results` is the JSON the suite wrote (undefined if
 * none), `blocked` the non-local URLs the page tried to load.
 */
async function runInHostTests(browser, server, { folder, extensionPath, testsPath, resultsFile, env = {}, timeout = 300000, consoleLog }) {
  fs.rmSync(resultsFile, { force: true });
  const { context, page, blocked } = await newOfflinePage(browser, server);
  const util = require('util');
  const lines = [];
  try {
    let exit;
    const exited = new Promise((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code) => { exit(code); });
    // Extension-host console output arrives as ('%c INFO', css, fmt, ...args).
    page.on('console', async (m) => {
      let args;
      try { args = await Promise.all(m.args().map((a) => a.jsonValue())); } catch { args = [m.text()]; }
      const line = typeof args[0] === 'string' && /^%c\s*(INFO|LOG|WARN|ERR)/i.test(args[0]) ? util.format(...args.slice(2)) : util.format(...args);
      lines.push(line);
      if (consoleLog && /^%c\s*INFO/.test(args[0]) && !/^\[|^(Resolv|Creating a socket|Updating additional|Ignoring fetching)/.test(line)) consoleLog(line);
    });
    page.on('pageerror', (e) => lines.push(`[pageerror] ${e.message}`));
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(testsPath)],
      ['extensionEnvironment', JSON.stringify({ PAPER_SHELF_TEST_RESULTS: resultsFile, ...env })],
    ];
    await page.goto(server.url(folder, payload));
    const exitCode = (await within(exited, timeout)) ?? `none: timed out after ${timeout / 1000} s`;
    let results;
    try { results = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* reported by the caller */ }
    return { exitCode, results, blocked };
  } finally {
    fs.writeFileSync(path.join(logDir(server.name), 'browser-console.log'), lines.join('\n'));
    await context.close().catch(() => {});
  }
}

module.exports = {
  paths,
  EXTENSION_ID,
  OUTPUT_CHANNEL,
  CodeServer,
  Workbench,
  installVsix,
  launchBrowser,
  newOfflinePage,
  runInHostTests,
  copySampleWorkspace,
  paletteTitle,
  makeTempRoot,
  logDir,
  waitFor,
  readFileEventually,
  sleep,
  within,
  slug,
  secondsSince,
};
