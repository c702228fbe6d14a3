/**
 * The in-host test runner: VS Code's extension host loads this file (extensionTestsPath)
 * and awaits `run()`. Used by both ways of running the suite against a real VS Code:
 *
 * - `test/e2e/run.js`: code-server, through the workbench's `payload` URL parameter;
 * - `test/electron/run.js`: `@vscode/test-electron` (needs to download VS Code).
 *
 * Every `*.test.js` next to this file (recursively) is added, in path order. Results go
 * to the file named by the environment variable PAPER_SHELF_TEST_RESULTS as
 * `{passed, failed, pending, failures: [{title, error}]}`: console output from the
 * extension host is awkward to collect, a file is not.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import SpecJsonReporter from '../spec-json-reporter';

/** All `*.test.js` files under `dir`, sorted so the order is stable. */
export function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort();
}

export function run(): Promise<void> {
  const output = process.env.PAPER_SHELF_TEST_RESULTS;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30000,
    reporter: SpecJsonReporter,
    reporterOptions: output ? { output } : {},
  });
  // `node test/e2e/run.js --grep <pattern>` runs the matching tests only.
  if (process.env.PAPER_SHELF_TEST_GREP) mocha.grep(new RegExp(process.env.PAPER_SHELF_TEST_GREP));
  for (const file of findTestFiles(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-host test(s) failed`)) : resolve()));
  });
}
