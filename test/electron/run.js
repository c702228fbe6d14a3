// The in-host suite (out/test/suite/index.js) in desktop VS Code via @vscode/test-electron.
// For machines that can download VS Code (it fetches it from update.code.visualstudio.com
// into .vscode-test/); offline machines use test/e2e/run.js, which runs the same suite in
// code-server. Not part of `npm test`.
//
// Usage: npm run test:electron   (builds dist/ with esbuild, then runs this file)
// Env:   VSCODE_VERSION=<version|stable|insiders> (default: stable)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { runTests } = require('@vscode/test-electron');

const repoRoot = path.resolve(__dirname, '..', '..');

async function main() {
  // The suite is compiled by tsc (esbuild only bundles the extension itself).
  const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: repoRoot, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('`tsc -p .` failed');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'e2e', 'sample-workspace'), workspace, { recursive: true });
  const resultsFile = path.join(repoRoot, 'test-results', 'electron-results.json');
  fs.rmSync(resultsFile, { force: true });
  try {
    await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index.js'),
      extensionTestsEnv: { PAPER_SHELF_TEST_RESULTS: resultsFile },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--user-data-dir', path.join(scratch, 'user-data')],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  if (fs.existsSync(resultsFile)) {
    const { passed, failed } = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
    console.log(`electron: ${passed} passed, ${failed} failed`);
  }
}

main().catch((e) => {
  console.error(`test:electron failed: ${e.message || e}`);
  process.exit(1);
});
