// Finding and reading a paper as a user would: filter the tree, find a paper with Search
// Papers, read everything about it in the panel, copy its key, open its code repository
// (the browser gets exactly the repository's address), look at tree and panel in a light
// and a dark theme, and see the panel come back after a window reload.
'use strict';
const assert = require('assert');
const { waitFor } = require('../harness');

const VERIFY = {
  title: 'The Hidden Signal of Verifier Strictness: Controlling and Improving Step-Wise Verification via Selective Latent Steering',
  key: 'zhou2026hidden',
  authors: 'Yefan Zhou, Yilun Zhou, Austin Xu, et al.',
  code: 'https://github.com/YefanZhou/VerifySteer',
};

module.exports = {
  title: 'find a paper in two actions, read it in the panel, open its code, themes, reload',
  timeout: 180000,
  async run(wb) {
    const page = wb.page;
    await wb.step('filter the tree: only matching papers, and the view says so', async () => {
      await wb.openViewContainer('Paper Shelf');
      await wb.waitForTreeRow('2024', { viewName: 'Papers', timeout: 60000 });
      await wb.runCommand('Paper Shelf: Filter Papers…');
      await wb.fillQuickInput('pruning ZHOU');
      await page.locator('.quick-input-widget input.input').press('Enter');
      const rows = await wb.waitForTreeRows('Papers', (rs) => rs.length === 2 && rs.every((r) => r.level === 1));
      assert.deepStrictEqual(rows.map((r) => [r.label, r.description]), [['2024', '1'], ['2023', '1']]);
      const message = await wb.view('Papers').locator('.tree-explorer-viewlet-tree-view-message, .message').first().innerText();
      assert.match(message, /pruning ZHOU.*2 of 14/s);
    });
    await wb.screenshot('filtered');

    await wb.step('clear the filter: all five years again', async () => {
      await wb.runCommand('Paper Shelf: Clear Filter');
      await wb.waitForTreeRows('Papers', (rs) => rs.length === 5);
    });

    await wb.step('a filter nothing matches: the view says so and its Clear Filter button clears it', async () => {
      await wb.runCommand('Paper Shelf: Filter Papers…');
      await wb.fillQuickInput('quantum-gravity');
      await page.locator('.quick-input-widget input.input').press('Enter');
      const welcome = wb.view('Papers').locator('.welcome-view-content');
      await welcome.filter({ hasText: 'No paper matches the filter.' }).waitFor({ timeout: 15000 });
      await wb.screenshot('filter-matches-nothing');
      await welcome.getByText('Clear Filter', { exact: true }).click();
      await wb.waitForTreeRows('Papers', (rs) => rs.length === 5);
    });

    const panel = wb.webviewFrame();
    await wb.step('Search Papers finds the paper by a title word and opens it', async () => {
      await wb.runCommand('Paper Shelf: Search Papers');
      await wb.fillQuickInput('Verifier Strictness');
      await wb._acceptFocusedQuickItem(VERIFY.title, 15000);
      await panel.locator('h1').filter({ hasText: VERIFY.title }).waitFor({ timeout: 30000 });
    });

    await wb.step('the panel shows authors, date, category, abstract, key, BibTeX and the code link', async () => {
      assert.strictEqual(await panel.locator('#authors').innerText(), VERIFY.authors);
      assert.match(await panel.locator('#date').innerText(), /20 May 2026/);
      assert.strictEqual(await panel.locator('#category').innerText(), 'cs.LG');
      assert.match(await panel.locator('#abstract').innerText(), /^Generative verifiers have emerged/);
      assert.strictEqual(await panel.locator('#citation-key').innerText(), VERIFY.key);
      assert.match(await panel.locator('#bibtex').innerText(), new RegExp(`^@misc\\{${VERIFY.key},`));
      assert.strictEqual(await panel.locator('#code-link').innerText(), VERIFY.code);
    });

    await wb.step('Copy puts the key on the clipboard and says so', async () => {
      await panel.getByRole('button', { name: 'Copy', exact: true }).click();
      await waitFor(async () => (await panel.locator('#status').innerText()).includes(`Copied ${VERIFY.key}`), { message: 'the "Copied" status' });
    });
    await wb.screenshot('panel-light');

    await wb.step('Open Code hands exactly the repository address to the browser', async () => {
      // The browser stays offline (the harness aborts every outside request), so the
      // request itself is what shows where the new page was sent.
      const requested = wb.context.waitForEvent('request', { predicate: (r) => !r.url().startsWith('http://127.0.0.1'), timeout: 20000 });
      await panel.getByRole('button', { name: 'Open Code' }).click();
      // VS Code's own link protection asks before any external site opens: the dialog must
      // name exactly the repository, and the user says Open.
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15000 });
      assert.ok((await dialog.innerText()).includes(VERIFY.code), await dialog.innerText());
      await dialog.getByRole('button', { name: 'Open', exact: true }).click();
      const request = await requested;
      assert.strictEqual(request.url().replace(/\/$/, ''), VERIFY.code);
      assert.ok(request.isNavigationRequest(), 'a page was opened, not a background fetch');
      for (const other of wb.context.pages()) if (other !== page) await other.close();
    });

    await wb.step('switch to a dark theme', async () => {
      // Ctrl+K Ctrl+T opens the theme picker ("Preferences: Color Theme" in the palette
      // ranks the marketplace command first); focus the workbench, not the webview, first.
      await (await wb.waitForTreeRow('2025', { viewName: 'Papers' })).click();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+T');
      await wb.pickQuickItem('Dark Modern');
      await waitFor(async () => /vs-dark/.test((await page.locator('.monaco-workbench').getAttribute('class')) || ''), { message: 'the dark theme' });
      await panel.locator('h1').filter({ hasText: VERIFY.title }).waitFor();
    });
    await wb.screenshot('panel-dark');

    await wb.step('after a window reload the panel is back with the same paper', async () => {
      await wb.reloadWindow();
      const restored = wb.webviewFrame();
      await restored.locator('h1').filter({ hasText: VERIFY.title }).waitFor({ timeout: 60000 });
      assert.strictEqual(await restored.locator('#citation-key').innerText(), VERIFY.key);
    });
    await wb.screenshot('panel-restored');
  },
};
