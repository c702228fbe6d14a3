// Restricted Mode (issue #7, item 7): a folder the user has not trusted opens untrusted.
// Paper Shelf still shows papers and inserts citations, but a document or a workspace
// setting from that folder cannot direct a write at a file outside it: the .bib named by
// `\bibliography{../../outside}` and the one named by the workspace's
// `paperShelf.bibliographyFile` stay byte for byte as they were.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { paletteTitle, waitFor } = require('../harness');

const TITLE = 'MD tree: a model-diagnostic tree grown on loss landscape';
const OUTSIDE = '@misc{outside2020,\n  title = {A File Outside the Workspace},\n}\n';

function outside(folder, name) {
  return path.join(folder, '..', name);
}

async function insertFromPalette(wb) {
  await wb.runCommand(paletteTitle('paperShelf.insertCitation'));
  await wb.fillQuickInput('model-diagnostic');
  await waitFor(async () => (await wb.quickItemLabels()).includes(TITLE), { message: 'the paper in the picker' });
  await wb.checkQuickItem(TITLE);
  await wb.acceptQuickInput();
}

module.exports = {
  title: 'Restricted Mode: citations work, but nothing is written outside the workspace',
  timeout: 150000,
  restricted: true,
  prepare(folder) {
    fs.mkdirSync(path.join(folder, 'restricted'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'restricted', 'main.tex'), 'Shown in a paper.\n\\bibliography{../../outside-doc}\n');
    fs.writeFileSync(path.join(folder, 'restricted', 'notes.tex'), 'Also shown here.\n');
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'paperShelf.bibliographyFile': '../outside-setting.bib' }, null, 2));
    fs.writeFileSync(outside(folder, 'outside-doc.bib'), OUTSIDE);
    fs.writeFileSync(outside(folder, 'outside-setting.bib'), OUTSIDE);
  },
  async run(wb, { folder }) {
    await wb.step('the window is in Restricted Mode and the library still shows', async () => {
      await wb.page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30000 });
      await wb.openViewContainer('Paper Shelf');
      await wb.waitForTreeRow('2024', { viewName: 'Papers', timeout: 60000 });
    });
    await wb.screenshot('restricted-library');

    await wb.step('a document naming a .bib outside the workspace: cited, the .bib untouched, the user told why', async () => {
      await wb.openFile('restricted/main.tex');
      await wb.placeCursorAtEndOfLine('Shown in a paper.');
      await insertFromPalette(wb);
      await waitFor(async () => (await wb.editorLineText('Shown in a paper.')).includes('\\cite{'), { message: '\\cite{} in the editor' });
      const messages = await waitFor(async () => {
        const m = await wb.notificationMessages();
        return m.some((t) => /outside the workspace, and this workspace is in Restricted Mode/.test(t)) && m;
      }, { timeout: 15000, message: 'the Restricted Mode notification' });
      wb.log(`notifications: ${JSON.stringify(messages)}`);
    });
    await wb.screenshot('restricted-refused');

    await wb.step('the workspace’s paperShelf.bibliographyFile is ignored: Paper Shelf offers a references.bib beside the document instead', async () => {
      await wb.openFile('restricted/notes.tex');
      await wb.placeCursorAtEndOfLine('Also shown here.');
      await insertFromPalette(wb);
      await waitFor(async () => {
        const m = await wb.notificationMessages();
        return m.some((t) => /names no bibliography/.test(t));
      }, { timeout: 15000, message: 'the offer to create references.bib (the workspace setting was not used)' });
    });

    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(fs.readFileSync(outside(folder, 'outside-doc.bib'), 'utf8'), OUTSIDE, 'the .bib named by the document is unchanged');
    assert.strictEqual(fs.readFileSync(outside(folder, 'outside-setting.bib'), 'utf8'), OUTSIDE, 'the .bib named by the workspace setting is unchanged');
    assert.ok(!fs.existsSync(path.join(folder, 'restricted', 'references.bib')), 'nothing created without the user saying so');
  },
};
