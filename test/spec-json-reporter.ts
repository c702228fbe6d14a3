/**
 * Mocha reporter: the usual `spec` output for people, plus a small JSON summary for
 * `test/run-all.js`, so no script ever parses human-readable text:
 *
 *   {"passed": 12, "failed": 1, "pending": 0, "failures": [{"title": "…", "error": "…"}]}
 *
 * The file is `--reporter-option output=<file>` on the mocha command line, or
 * `reporterOptions: {output}` when mocha is driven from code (see suite/index.ts).
 * Hook failures (`before each` …) count as failures: they stop tests from running.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/** What the reporter writes; the shape `test/run-all.js` reads from every stage. */
interface TestSummary {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

class SpecJsonReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions & { reporterOption?: { output?: string } }) {
    super(runner, options);
    const output = options.reporterOption?.output ?? options.reporterOptions?.output;
    const summary: TestSummary = { passed: 0, failed: 0, pending: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, () => { summary.passed += 1; });
    runner.on(EVENT_TEST_PENDING, () => { summary.pending += 1; });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Runnable, err: Error) => {
      summary.failed += 1;
      summary.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
    });
    runner.once(EVENT_RUN_END, () => {
      if (!output) return;
      fs.mkdirSync(path.dirname(output), { recursive: true });
      fs.writeFileSync(output, JSON.stringify(summary, null, 2));
    });
  }
}

export = SpecJsonReporter;
