// `npm start`: try Paper Shelf in a real VS Code in your browser, offline.
//
// Builds and packages the extension, installs the VSIX into a code-server of its own
// (./setup.js installs Node 24 + code-server once, into ~/.cache/paper-shelf-e2e), opens
// a copy of the sample workspace (test/e2e/sample-workspace: main.tex, paper.md,
// references.bib) and prints the URL. Runs until Ctrl+C.
//
// Usage: node test/e2e/start.js [--port <n>] [--fresh] [--no-build]
//   --port   port on 127.0.0.1 (default 8080, or a free one if 8080 is taken)
//   --fresh  start over: new copy of the sample workspace, default settings
//   State (workspace copy, settings, logs) lives in .e2e/start/ (git-ignored), so your
//   edits to the sample files and settings survive restarts.
'use strict';
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawnSync } = require('child_process');
const { ensureTools } = require('./setup');
const h = require('./harness');

function parseArgs(argv) {
  const args = { port: undefined, fresh: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i] === '--fresh') args.fresh = true;
    else if (argv[i] === '--no-build') args.build = false;
    else throw new Error(`unknown argument ${argv[i]} (usage: node test/e2e/start.js [--port <n>] [--fresh] [--no-build])`);
  }
  if (args.port !== undefined && !(Number.isInteger(args.port) && args.port > 0 && args.port < 65536)) throw new Error('--port takes a port number');
  return args;
}

function isFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.build) {
    const r = spawnSync('npm', ['run', 'package'], { cwd: h.paths.repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('`npm run package` failed');
  }
  const tools = ensureTools({ browser: false });
  const state = path.join(h.paths.repoRoot, '.e2e', 'start');
  if (args.fresh) fs.rmSync(state, { recursive: true, force: true });
  const workspace = path.join(state, 'workspace');
  if (!fs.existsSync(workspace)) h.copySampleWorkspace(workspace);
  h.installVsix(tools, h.paths.vsix, path.join(state, 'extensions'));

  const port = args.port ?? ((await isFree(8080)) ? 8080 : undefined);
  const server = await h.CodeServer.start(tools, { name: 'start', extensionsDir: path.join(state, 'extensions'), port, root: state, keepSettings: true });
  console.log('\nPaper Shelf is running in code-server (VS Code in the browser). Open:\n');
  console.log(`    ${server.url(workspace)}\n`);
  console.log(`Workspace: ${workspace}`);
  console.log(`Logs:      ${server.logFile}, ${path.join(server.userDataDir, 'logs')}`);
  console.log('Stop with Ctrl+C. `npm start -- --fresh` starts over with a new copy of the sample.');
  const { code, signal } = await server.exitPromise;
  throw new Error(`code-server stopped (${signal || `exit ${code}`}); see ${server.logFile}:\n${server.logTail()}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
