// First light: a user opens a folder, clicks "Paper Shelf" in the activity bar and sees
// the bundled library (seeds/yefan-zhou-papers.txt, 14 papers) in the "Papers" tree,
// grouped by year with counts; switching the grouping to a flat list shows the same 14.
//
// Expected values were read off the listing by hand (captured 2026-11-26, so the two
// entries dated "May 20" and "May 18" without a year are from 2026).
'use strict';
const assert = require('assert');
const { paletteTitle } = require('../harness');

/** Papers per year, newest first, as the listing has them. */
const EXPECTED_BY_YEAR = [['2026', 2], ['2025', 4], ['2024', 5], ['2023', 1], ['2021', 2]];
const EXPECTED_TOTAL = 14;
/** A few papers and the year group they belong under. */
const SAMPLES = [
  ['MD tree: a model-diagnostic tree grown on loss landscape', '2024'],
  ['RL4RLA: Teaching ML to Discover Randomized Linear Algebra Algorithms Through Curriculum Design and Graph-Based Search', '2026'],
  ['Learn to Grasp with Less Supervision: A Data-Efficient Maximum Likelihood Grasp Sampling Loss', '2021'],
];

/** Leading number of a group row's description (`5`, or `5 · …`). */
const countOf = (row) => Number((/^\s*(\d+)/.exec(row.description) || [])[1]);

module.exports = {
  title: 'the Papers tree shows the 14 bundled papers, grouped by year',
  timeout: 120000,
  async run(wb) {
    await wb.step('open the Paper Shelf view container', async () => {
      await wb.openViewContainer('Paper Shelf');
      // The library loads after activation: wait for the data, not for a fixed time.
      await wb.waitForTreeRow('2024', { viewName: 'Papers', timeout: 60000 });
    });
    await wb.screenshot('papers-by-year');

    const groups = await wb.step('one row per year, newest first, with its count', async () => {
      const rows = await wb.allTreeRowItems('Papers');
      assert.deepStrictEqual(rows.map((r) => [r.label, countOf(r)]), EXPECTED_BY_YEAR, `group rows: ${JSON.stringify(rows)}`);
      assert.ok(rows.every((r) => r.level === 1 && r.expanded === false), 'groups start collapsed');
      return rows;
    });

    await wb.step('expanding every year shows the 14 papers under their years', async () => {
      // Bottom-up, so expanding one group does not move the rows still to be clicked.
      await wb.scrollTreeToTop('Papers');
      for (const g of [...groups].reverse()) await wb.expandTreeRow(await wb.waitForTreeRow(g.label, { viewName: 'Papers' }));
      const rows = await wb.allTreeRowItems('Papers');
      const papers = rows.filter((r) => r.level === 2);
      assert.strictEqual(papers.length, EXPECTED_TOTAL, `rows: ${JSON.stringify(rows.map((r) => r.label))}`);
      for (const [title, year] of SAMPLES) {
        const i = rows.findIndex((r) => r.label === title);
        assert.ok(i > 0, `"${title}" is not shown`);
        const group = rows.slice(0, i).reverse().find((r) => r.level === 1);
        assert.strictEqual(group.label, year, `"${title}" is under ${group.label}`);
      }
    });
    await wb.screenshot('papers-expanded');

    await wb.step('Group By… → None: a flat list of the same 14 papers', async () => {
      await wb.runCommand(paletteTitle('paperShelf.setGrouping'));
      const choices = await wb.quickItemLabels();
      const flat = choices.find((c) => /^none\b/i.test(c));
      assert.ok(flat, `no flat-list choice among ${JSON.stringify(choices)}`);
      await wb.pickQuickItem(flat);
      const rows = await wb.waitForTreeRows('Papers', (rs) => rs.length === EXPECTED_TOTAL && rs.every((r) => r.level === 1 && r.expanded === null));
      assert.strictEqual(new Set(rows.map((r) => r.label)).size, EXPECTED_TOTAL, 'titles are distinct');
      for (const [title] of SAMPLES) assert.ok(rows.some((r) => r.label === title), `"${title}" is not in the flat list`);
    });
    await wb.screenshot('papers-flat');
  },
};
