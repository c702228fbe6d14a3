// Citing a paper the way a user does: open main.tex, put the cursor after a sentence,
// run "Insert Citation" from the command palette, find the paper by a title word, tick
// it, press Enter. The \cite{} lands in the editor and on disk after saving, the entry
// lands in the document's references.bib, and "Cited in This Document" lists the paper.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { paletteTitle, readFileEventually, waitFor } = require('../harness');

const TITLE = 'MD tree: a model-diagnostic tree grown on loss landscape';
const LINE = 'Related work goes here.';

module.exports = {
  title: 'Insert Citation from the command palette writes \\cite{} and the .bib entry',
  timeout: 120000,
  async run(wb, { folder }) {
    const texFile = path.join(folder, 'main.tex');
    const bibFile = path.join(folder, 'references.bib');
    const bibBefore = fs.readFileSync(bibFile, 'utf8');

    // Insert Citation offers the papers loaded so far: start once the library shows.
    await wb.step('the Papers view lists the library', async () => {
      await wb.openViewContainer('Paper Shelf');
      await wb.waitForTreeRow('2024', { viewName: 'Papers', timeout: 60000 });
    });

    await wb.step('open main.tex and put the cursor after the sentence', async () => {
      await wb.openFile('main.tex');
      await wb.placeCursorAtEndOfLine(LINE);
      await wb.page.keyboard.type(' See ');
    });

    const key = await wb.step('Insert Citation: find the paper by a title word and tick it', async () => {
      await wb.runCommand(paletteTitle('paperShelf.insertCitation'));
      await wb.fillQuickInput('model-diagnostic');
      let labels = [];
      await waitFor(async () => (labels = await wb.quickItemLabels()).length === 1 && labels[0] === TITLE, {
        message: 'the filter to leave exactly the paper',
      }).catch((e) => { throw new Error(`${e.message}; shown: ${JSON.stringify(labels)}`); });
      const rows = wb.quickItems();
      // The picker shows the key a citation will use, e.g. `zhou2024md · 2024`.
      const description = (await rows.first().locator('.label-description').innerText()).trim();
      const shownKey = /^(\S+)/.exec(description)?.[1];
      assert.ok(shownKey, `no key in the picker row's description "${description}"`);
      await wb.checkQuickItem(TITLE);
      await wb.screenshot('picker-checked');
      await wb.acceptQuickInput();
      return shownKey;
    });

    await wb.step('the editor shows \\cite{key} where the cursor was', async () => {
      const line = await waitFor(async () => {
        const text = await wb.editorLineText(LINE);
        return text.includes('\\cite{') && text;
      }, { message: '\\cite{} in the editor' });
      assert.strictEqual(line.trim(), `${LINE} See \\cite{${key}}`);
    });
    await wb.screenshot('cited');

    await wb.step('after saving, main.tex on disk has the citation', async () => {
      await wb.page.keyboard.press('Control+S');
      await readFileEventually(texFile, (t) => t.includes(`${LINE} See \\cite{${key}}`));
    });

    await wb.step('references.bib gained one entry for the paper, old content kept', async () => {
      const bib = await readFileEventually(bibFile, (t) => t.includes(`{${key},`));
      assert.ok(bib.startsWith(bibBefore), 'the existing content of references.bib is kept as it was');
      const added = bib.slice(bibBefore.length);
      assert.strictEqual((added.match(/^@\w+\{/gm) || []).length, 1, `one entry added:\n${added}`);
      assert.match(added, /model-diagnostic tree/i);
    });

    await wb.step('"Cited in This Document" lists the paper', async () => {
      await wb.openViewContainer('Paper Shelf');
      await wb.waitForTreeRow(TITLE, { viewName: 'Cited in This Document' });
    });
    await wb.screenshot('cited-view');

    await wb.step('type a title word and press Enter without ticking: the one paper it names is cited', async () => {
      await wb.placeCursorAtEndOfLine(LINE);
      await wb.page.keyboard.type(' and ');
      await wb.runCommand(paletteTitle('paperShelf.insertCitation'));
      await wb.fillQuickInput('AlphaPruning');
      await waitFor(async () => (await wb.quickItemLabels()).length === 1, { message: 'the filter to leave one paper' });
      await wb.page.locator('.quick-input-widget input.input').press('Enter');
      const line = await waitFor(async () => {
        const text = await wb.editorLineText(LINE);
        return /and \\cite\{/.test(text) && text;
      }, { message: 'a second \\cite{} in the editor' });
      assert.strictEqual(line.trim(), `${LINE} See \\cite{${key}} and \\cite{lu2024alphapruning}`);
    });
  },
};
