// `npm test`: every check, in order, each stage with its own pass/fail count and time.
//
//   1. typecheck   tsc -p . --noEmit; tsc -p src/webview              (1 test each)
//   2. lint        eslint .                                             (1 test)
//   3. unit        tsc -p . (build to out/; if it fails, stop here), then mocha
//   4. latex       node test/latex/compile.js (counts from its RESULT_FILE)
//   5. package     npm run package → dist/paper-shelf.vsix                (1 test)
//   6. e2e         node test/e2e/run.js --no-build (counts from its RESULT_FILE)
//
// Counts come from JSON files the stages write, never from parsing their text. A stage
// failing does not stop the next ones (so the summary is complete), except the build.
// The last line printed is exactly `N passed, N failed`; the exit code is 1 if anything failed.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const repoRoot = path.resolve(__dirname, '..');
const resultsDir = path.join(repoRoot, 'test-results');

/** Runs a command in the repo with its output shown; returns its exit status and duration. */
function sh(cmd, args, env = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: r.error ? -1 : r.status, error: r.error, ms: Date.now() - t0 };
}

/** A command that counts as one test: passes when it exits with 0. */
function commandTest(title, cmd, args) {
  const r = sh(cmd, args);
  return r.status === 0 ? { passed: 1, failed: 0, failures: [] } : { passed: 0, failed: 1, failures: [{ title, error: `exit ${r.status}${r.error ? `: ${r.error.message}` : ''}` }] };
}

/**
 * Runs a command that writes `{passed, failed, failures?}` to `resultFile`; a missing or
 * unreadable file, or a non-zero exit with no failure reported, counts as one failure.
 */
function resultFileTest(title, cmd, args, resultFile, env = {}) {
  fs.rmSync(resultFile, { force: true });
  const r = sh(cmd, args, { ...env, RESULT_FILE: resultFile });
  let res;
  try { res = JSON.parse(fs.readFileSync(resultFile, 'utf8')); } catch { /* handled below */ }
  if (!res || !Number.isInteger(res.passed) || !Number.isInteger(res.failed)) {
    return { passed: 0, failed: 1, failures: [{ title, error: `${title} wrote no results to ${path.relative(repoRoot, resultFile)} (exit ${r.status}): it stopped before reporting, see its output above` }] };
  }
  const out = { passed: res.passed, failed: res.failed, failures: res.failures || [] };
  if (r.status !== 0 && res.failed === 0) {
    out.failed += 1;
    out.failures.push({ title, error: `exited with ${r.status} but reported no failure` });
  }
  return out;
}

const stages = [
  {
    name: 'typecheck',
    run: () => merge(
      commandTest('tsc -p . --noEmit', 'npx', ['tsc', '-p', '.', '--noEmit']),
      commandTest('tsc -p src/webview', 'npx', ['tsc', '-p', 'src/webview']),
    ),
  },
  { name: 'lint', run: () => commandTest('eslint .', 'npx', ['eslint', '.']) },
  {
    name: 'build + unit',
    run: () => {
      pruneStaleOutput();
      const built = commandTest('build (tsc -p .)', 'npx', ['tsc', '-p', '.']);
      if (built.failed) return { ...built, fatal: 'the build failed: later stages need its output' };
      const reporter = path.join('out', 'test', 'spec-json-reporter.js');
      const resultFile = path.join(resultsDir, 'unit-results.json');
      // Options given here override .mocharc.json's reporter; its spec and timeout stay.
      return resultFileTest('mocha', 'npx', ['mocha', '--reporter', reporter, '--reporter-option', `output=${resultFile}`], resultFile);
    },
  },
  {
    name: 'latex',
    run: () => {
      const script = path.join('test', 'latex', 'compile.js');
      if (!fs.existsSync(path.join(repoRoot, script))) {
        return { passed: 0, failed: 1, failures: [{ title: 'latex', error: `${script} does not exist` }] };
      }
      return resultFileTest('latex', 'node', [script], path.join(resultsDir, 'latex-results.json'));
    },
  },
  {
    name: 'package',
    run: () => {
      const vsix = path.join(repoRoot, 'dist', 'paper-shelf.vsix');
      fs.rmSync(vsix, { force: true });
      const r = commandTest('npm run package', 'npm', ['run', 'package']);
      if (!r.failed && !fs.existsSync(vsix)) return { passed: 0, failed: 1, failures: [{ title: 'npm run package', error: `${vsix} was not written` }] };
      return r;
    },
  },
  {
    name: 'e2e',
    run: () => {
      if (!fs.existsSync(path.join(repoRoot, 'dist', 'paper-shelf.vsix'))) {
        return { passed: 0, failed: 1, failures: [{ title: 'e2e', error: 'not run: there is no VSIX (see the package stage)' }] };
      }
      return resultFileTest('e2e', 'node', [path.join('test', 'e2e', 'run.js'), '--no-build'], path.join(resultsDir, 'e2e-results.json'));
    },
  },
];

/**
 * Deletes compiled files in out/ whose TypeScript source is gone, so a deleted or renamed
 * test cannot keep running from a stale .js (tsc never removes output). out/ itself is
 * left alone: other processes may be using it.
 */
function pruneStaleOutput() {
  const out = path.join(repoRoot, 'out');
  if (!fs.existsSync(out)) return;
  for (const rel of fs.readdirSync(out, { recursive: true, encoding: 'utf8' })) {
    const m = /^(.*)\.js(\.map)?$/.exec(rel);
    if (m && !fs.existsSync(path.join(repoRoot, `${m[1]}.ts`))) fs.rmSync(path.join(out, rel), { force: true });
  }
}

function merge(...results) {
  return results.reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, failures: [...a.failures, ...b.failures] }));
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

function main() {
  fs.mkdirSync(resultsDir, { recursive: true });
  const t0 = Date.now();
  const done = [];
  let stopped;
  for (const stage of stages) {
    if (stopped) {
      done.push({ name: stage.name, skipped: true });
      continue;
    }
    console.log(`\n━━━ ${stage.name} ━━━`);
    const s0 = Date.now();
    let res;
    try {
      res = stage.run();
    } catch (e) {
      res = { passed: 0, failed: 1, failures: [{ title: stage.name, error: e.stack || String(e) }] };
    }
    const entry = { name: stage.name, ms: Date.now() - s0, ...res };
    done.push(entry);
    console.log(`━━━ ${stage.name}: ${entry.passed} passed, ${entry.failed} failed (${secs(entry.ms)})`);
    if (res.fatal) stopped = res.fatal;
  }

  console.log('\n━━━ summary ━━━');
  for (const s of done) {
    console.log(s.skipped
      ? `  - ${s.name.padEnd(12)} skipped: ${stopped}`
      : `  ${s.failed ? '✗' : '✓'} ${s.name.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${secs(s.ms).padStart(8)}`);
  }
  const failures = done.flatMap((s) => (s.failures || []).map((f) => ({ stage: s.name, ...f })));
  if (failures.length) {
    console.log('\nfailures:');
    for (const f of failures) console.log(`  [${f.stage}] ${f.title}: ${String(f.error).split('\n')[0]}`);
  }
  const passed = done.reduce((n, s) => n + (s.passed || 0), 0);
  const failed = done.reduce((n, s) => n + (s.failed || 0), 0);
  fs.writeFileSync(path.join(resultsDir, 'summary.json'), JSON.stringify({ passed, failed, stages: done }, null, 2));
  console.log(`\ntotal time ${secs(Date.now() - t0)}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main();
