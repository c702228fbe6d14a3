// End-to-end tests in a real VS Code (code-server), offline:
//
//   1. build (`tsc -p .` for the in-host suite, `npm run package` for the VSIX), unless --no-build;
//   2. make sure Node 24, code-server and Chromium are there (./setup.js, cached);
//   3. install dist/paper-shelf.vsix into a fresh extensions dir with code-server's installer;
//   4. in-host suite: mocha `out/test/suite/index.js` runs inside the real extension host,
//      with the INSTALLED extension folder as the extension under development, so the
//      packaged files (.vscodeignore applied) are what is tested;
//   5. UI tests: every test/e2e/ui/*.js, each in its own code-server + browser context
//      on a fresh copy of test/e2e/sample-workspace.
//
// Usage: node test/e2e/run.js [--no-build] [--only in-host|ui] [--grep <text>] [--vsix <file>]
// --grep: UI tests whose title or file name contains the text; in-host tests matching it as a regular expression.
// Env:   RESULT_FILE=<file>  also write {passed, failed, failures} there (test/run-all.js)
//        E2E_KEEP=1          keep the temp folders (paths are printed)
// Output: screenshots in test-results/screenshots/, logs in test-results/logs/<run>/.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureTools } = require('./setup');
const h = require('./harness');

const DEFAULT_UI_TIMEOUT_MS = 120000;
const IN_HOST_TIMEOUT_MS = 300000;

function parseArgs(argv) {
  const args = { build: true, only: undefined, grep: undefined, vsix: h.paths.vsix };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-build') args.build = false;
    else if (argv[i] === '--vsix') args.vsix = path.resolve(argv[++i]);
    else if (argv[i] === '--only') args.only = argv[++i];
    else if (argv[i] === '--grep') args.grep = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (args.only && !['in-host', 'ui'].includes(args.only)) throw new Error('--only takes in-host or ui');
  return args;
}

/** Runs a build command in the repo, output shown; throws when it fails. */
function build(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: h.paths.repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status})`);
}

/**
 * Loads the UI tests: each file exports one test {title, timeout?, restricted?, prepare?(folder), run(wb, ctx)}
 * or an array of them. `restricted`: the workspace opens untrusted (Restricted Mode); `prepare` edits the
 * workspace copy before the window opens.
 */
function loadUiTests(grep) {
  const dir = path.join(__dirname, 'ui');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort() : [];
  return files.flatMap((f) => {
    const exported = require(path.join(dir, f));
    return (Array.isArray(exported) ? exported : [exported]).map((t, i) => ({ ...t, id: `${path.basename(f, '.js')}${i ? `-${i + 1}` : ''}` }));
  }).filter((t) => !grep || t.title.includes(grep) || t.id.includes(grep));
}

/** Rejects after `ms` with a timeout error; the caller races it against the work. */
function timeoutAfter(ms, what) {
  let timer;
  const promise = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms / 1000} s`), { isTestTimeout: true })), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

class Tally {
  constructor() { this.passed = 0; this.failed = 0; this.failures = []; }
  pass(n = 1) { this.passed += n; }
  /** Records a failure; prints it unless `quiet` (mocha already printed it). */
  fail(title, error, { quiet = false } = {}) {
    this.failed += 1;
    this.failures.push({ title, error: String(error && error.stack ? error.stack : error) });
    if (!quiet) console.log(`  ✗ ${title}\n${String(error && error.message ? error.message : error).replace(/^/gm, '      ')}`);
  }
}

async function runInHost(tools, browser, root, extensionPath, tally, grep) {
  const t0 = Date.now();
  console.log('\n▶ in-host suite (mocha inside the real extension host)');
  const testsPath = path.join(h.paths.repoRoot, 'out', 'test', 'suite', 'index.js');
  if (!fs.existsSync(testsPath)) {
    tally.fail('in-host suite', `${testsPath} is missing: run \`npx tsc -p .\` first`);
    return;
  }
  const server = await h.CodeServer.start(tools, { name: 'in-host', extensionsDir: path.dirname(extensionPath) });
  try {
    const folder = h.copySampleWorkspace(path.join(root, 'ws-in-host'));
    const resultsFile = path.join(h.paths.resultsDir, 'in-host-results.json');
    const { exitCode, results, blocked } = await h.runInHostTests(browser, server, {
      folder, extensionPath, testsPath, resultsFile, timeout: IN_HOST_TIMEOUT_MS,
      env: grep ? { PAPER_SHELF_TEST_GREP: grep } : {},
      consoleLog: (line) => console.log(`  ${line}`),
    });
    if (!results) {
      tally.fail('in-host suite', `no results were written (workbench exit code: ${exitCode}); see test-results/logs/in-host/`);
    } else {
      tally.pass(results.passed);
      for (const f of results.failures) tally.fail(`in-host: ${f.title}`, f.error, { quiet: true });
      if (exitCode !== 0 && results.failed === 0) tally.fail('in-host suite', `the suite reported no failure but ended with exit code ${exitCode}`);
      console.log(`  in-host: ${results.passed} passed, ${results.failed} failed, ${results.pending} pending (${h.secondsSince(t0)})`);
    }
    if (blocked.length) console.log(`  (blocked ${blocked.length} non-local request(s), e.g. ${blocked[0]})`);
  } finally {
    const logs = await server.stop();
    console.log(`  logs: ${path.relative(h.paths.repoRoot, logs)}`);
  }
}

async function runUiTest(tools, browser, root, extensionsDir, test, tally) {
  const t0 = Date.now();
  console.log(`\n▶ UI: ${test.title}`);
  const name = `ui-${test.id}`;
  const limit = timeoutAfter(test.timeout || DEFAULT_UI_TIMEOUT_MS, `UI test "${test.title}"`);
  let server;
  let wb;
  const work = (async () => {
    server = await h.CodeServer.start(tools, { name, extensionsDir, restricted: !!test.restricted });
    const folder = h.copySampleWorkspace(path.join(root, `ws-${test.id}`));
    if (test.prepare) await test.prepare(folder);
    wb = await h.Workbench.open(browser, server, { name: test.id, folder });
    await test.run(wb, { folder, server });
  })();
  try {
    await Promise.race([work, limit.promise]);
    tally.pass();
    console.log(`  ✓ ${test.title} (${h.secondsSince(t0)})`);
  } catch (e) {
    if (e.isTestTimeout && wb) {
      try { await wb.screenshot('FAILED-timeout'); } catch { /* page gone */ }
    }
    tally.fail(`UI: ${test.title}`, e);
  } finally {
    limit.cancel();
    // After a timeout the test body is still running: closing its page makes it fail fast,
    // then wait for it to settle so that the server it may still be starting gets stopped too.
    if (wb) await wb.close();
    await h.within(work.catch(() => {}), 70000);
    if (wb) {
      const dir = h.logDir(name);
      fs.writeFileSync(path.join(dir, 'browser-console.log'), wb.consoleLines.join('\n'));
      if (wb.pageErrors.length) fs.writeFileSync(path.join(dir, 'page-errors.log'), wb.pageErrors.join('\n'));
      if (wb.blocked.length) fs.writeFileSync(path.join(dir, 'blocked-requests.log'), wb.blocked.join('\n'));
      await wb.close();
    }
    if (server) console.log(`  logs: ${path.relative(h.paths.repoRoot, await server.stop())}`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const tally = new Tally();
  // Screenshots and logs of earlier runs would be mistaken for this run's.
  for (const dir of [h.paths.screenshotsDir, h.paths.logsDir]) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(h.paths.resultsDir, { recursive: true });
  let browser;
  let root;
  try {
    if (args.build) {
      build('npx', ['tsc', '-p', '.']);
      build('npm', ['run', 'package']);
    }
    const tools = ensureTools();
    root = h.makeTempRoot('e2e');
    const tInstall = Date.now();
    const extensionPath = h.installVsix(tools, args.vsix, path.join(root, 'extensions'));
    console.log(`installed ${path.relative(h.paths.repoRoot, args.vsix)} → ${extensionPath} (${h.secondsSince(tInstall)})`);
    browser = await h.launchBrowser(tools);
    if (args.only !== 'ui') await runInHost(tools, browser, root, extensionPath, tally, args.grep);
    if (args.only !== 'in-host') {
      const tests = loadUiTests(args.grep);
      if (!tests.length) tally.fail('UI tests', `no UI test found in ${path.join(__dirname, 'ui')}`);
      for (const test of tests) await runUiTest(tools, browser, root, path.dirname(extensionPath), test, tally);
    }
  } catch (e) {
    tally.fail('e2e setup', e);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (root && process.env.E2E_KEEP !== '1') fs.rmSync(root, { recursive: true, force: true });
    else if (root) console.log(`kept ${root}`);
  }
  console.log(`\ne2e: ${tally.passed} passed, ${tally.failed} failed (${h.secondsSince(t0)})`);
  if (process.env.RESULT_FILE) {
    fs.writeFileSync(process.env.RESULT_FILE, JSON.stringify({ passed: tally.passed, failed: tally.failed, failures: tally.failures }, null, 2));
  }
  process.exitCode = tally.failed ? 1 : 0;
}

main();
