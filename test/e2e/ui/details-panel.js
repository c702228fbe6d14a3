// The detail panel (a webview) as a user meets it: clicking a paper in the tree shows its
// title, authors and abstract; its "Insert Citation" button cites the paper in the editor
// the user was typing in; clicking another paper reuses the same panel.
'use strict';
const assert = require('assert');
const path = require('path');
const { readFileEventually, waitFor } = require('../harness');

const MD_TREE = {
  title: 'MD tree: a model-diagnostic tree grown on loss landscape',
  year: '2024',
  authors: 'Yefan Zhou, Jianlong Chen, Qinxue Cao',
  abstractStart: 'This paper considers "model diagnosis", which we formulate as a classification problem.',
};
const GRASP = {
  title: 'Learn to Grasp with Less Supervision: A Data-Efficient Maximum Likelihood Grasp Sampling Loss',
  year: '2021',
};
const LINE = 'Related work goes here.';

/** Clicks a paper's row in the Papers tree, expanding its year first. */
async function clickPaper(wb, paper) {
  await wb.expandTreeRow(await wb.waitForTreeRow(paper.year, { viewName: 'Papers' }));
  await wb.clickTreeRow(await wb.waitForTreeRow(paper.title, { viewName: 'Papers' }));
}

module.exports = {
  title: 'the detail panel shows a paper, cites it into the editor, and follows the selection',
  timeout: 120000,
  async run(wb, { folder }) {
    await wb.step('open main.tex with the cursor after a sentence', async () => {
      await wb.openFile('main.tex');
      await wb.placeCursorAtEndOfLine(LINE);
      await wb.page.keyboard.type(' See ');
    });

    const panel = wb.webviewFrame();
    await wb.step('clicking a paper in the tree shows its details', async () => {
      await wb.openViewContainer('Paper Shelf');
      await clickPaper(wb, MD_TREE);
      await panel.locator('h1').filter({ hasText: MD_TREE.title }).waitFor({ timeout: 30000 });
      const text = await panel.locator('body').innerText();
      assert.ok(text.includes(MD_TREE.authors), `authors missing from:\n${text}`);
      assert.ok(text.includes(MD_TREE.abstractStart), `abstract missing from:\n${text}`);
    });
    await wb.screenshot('details');

    const key = await wb.step('its Insert Citation button cites the paper where the cursor was', async () => {
      await panel.getByRole('button', { name: 'Insert Citation' }).click();
      const line = await waitFor(async () => {
        const text = await wb.editorLineText(LINE);
        return /\\cite\{[^}]+\}/.test(text) && text;
      }, { message: '\\cite{} in main.tex' });
      const cited = /\\cite\{([^}]+)\}/.exec(line)[1];
      const panelText = await panel.locator('body').innerText();
      assert.ok(panelText.includes(cited), `the cited key ${cited} is not shown in the panel`);
      assert.strictEqual(line.trim(), `${LINE} See \\cite{${cited}}`);
      return cited;
    });
    await wb.step('the Cited in This Document view lists the paper just cited', async () => {
      await wb.waitForTreeRow(MD_TREE.title, { viewName: 'Cited in This Document' });
    });
    await wb.screenshot('cited-from-panel');

    await wb.step('the citation is saved with the file', async () => {
      await wb.focusEditorTab('main.tex');
      await wb.page.keyboard.press('Control+S');
      await readFileEventually(path.join(folder, 'main.tex'), (t) => t.includes(`\\cite{${key}}`));
    });

    await wb.step('clicking another paper shows it in the same panel', async () => {
      await clickPaper(wb, GRASP);
      await panel.locator('h1').filter({ hasText: GRASP.title }).waitFor({ timeout: 30000 });
      const tabs = await wb.page.locator('.tabs-container .tab').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
      const others = await wb.page.locator('.tabs-container .tab:not([data-resource-name="main.tex"])').count();
      assert.strictEqual(others, 1, `one panel tab besides main.tex, got ${JSON.stringify(tabs)}`);
    });
    await wb.screenshot('details-reused');
  },
};
