// A user who opens the window and at once runs a Paper Shelf command from the palette:
// the command activates the extension, and its paper picker must offer the library (the
// first load takes a moment) rather than report an empty one.
'use strict';
const assert = require('assert');
const { paletteTitle, waitFor } = require('../harness');

const TITLE = 'MD tree: a model-diagnostic tree grown on loss landscape';

module.exports = {
  title: 'a paper picker opened right after the window loads offers the papers',
  timeout: 120000,
  async run(wb, { server }) {
    const activeBefore = await wb.step('run Show Details from the palette as soon as it is listed', async () => {
      await wb.runCommandWhenListed(paletteTitle('paperShelf.showDetails'));
      // Whether the race was exercised: the output channel appears when the extension activates.
      return server.extensionLogFiles().length > 0;
    });
    wb.log(`extension ${activeBefore ? 'was already active' : 'was not active yet'} when the command ran`);

    await wb.step('the picker offers the paper', async () => {
      await wb.fillQuickInput('model-diagnostic', { timeout: 15000 }).catch(async (e) => {
        throw new Error(`${e.message}; notifications: ${JSON.stringify(await wb.notificationMessages())}`);
      });
      let labels = [];
      await waitFor(async () => (labels = await wb.quickItemLabels({ timeout: 1000 })).includes(TITLE), {
        timeout: 15000, message: `"${TITLE}" in the picker`,
      }).catch((e) => {
        throw new Error(`${e.message}; shown: ${JSON.stringify(labels)}`);
      });
      assert.deepStrictEqual(labels, [TITLE]);
    });
    await wb.screenshot('picker');
  },
};
