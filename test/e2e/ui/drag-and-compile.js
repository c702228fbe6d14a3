// Drag a paper from the Papers tree into main.tex: the citation lands where it was dropped,
// references.bib gains its entry, and the saved document compiles with real pdflatex +
// bibtex without an undefined citation.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { readFileEventually, waitFor } = require('../harness');

const PAPER = { year: '2023', title: 'A Three-regime Model of Network Pruning', key: 'zhou2023three' };
const LINE = 'Related work goes here.';

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120000 });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}): install texlive-latex-base and texlive-bibtex-extra`);
  return r;
}

module.exports = {
  title: 'drag a paper into main.tex: cited, in references.bib, and it compiles',
  timeout: 180000,
  async run(wb, { folder }) {
    const bibBefore = fs.readFileSync(path.join(folder, 'references.bib'), 'utf8');
    await wb.step('open main.tex', async () => {
      await wb.openFile('main.tex');
      await wb.placeCursorAtEndOfLine(LINE);
      await wb.page.keyboard.type(' See ');
    });

    await wb.step('drag the paper from the tree to the end of the sentence', async () => {
      await wb.openViewContainer('Paper Shelf');
      await wb.expandTreeRow(await wb.waitForTreeRow(PAPER.year, { viewName: 'Papers' }));
      const row = await wb.waitForTreeRow(PAPER.title, { viewName: 'Papers' });
      const target = wb.page.locator('.editor-instance .view-line', { hasText: LINE }).first();
      const box = await target.boundingBox();
      // Drop just past the end of the line's text.
      await row.dragTo(target, { targetPosition: { x: Math.min(box.width - 5, 420), y: box.height / 2 } });
      const text = await waitFor(async () => {
        const t = await wb.editorLineText(LINE);
        return t.includes(`\\cite{${PAPER.key}}`) && t;
      }, { message: `\\cite{${PAPER.key}} in main.tex`, timeout: 15000 });
      // Only our citation: not also the plain-text keys VS Code's default drop would insert.
      assert.strictEqual(text.trim(), `${LINE} See \\cite{${PAPER.key}}`);
    });
    await wb.screenshot('dropped');

    await wb.step('save: main.tex has the citation, references.bib the entry after its old content', async () => {
      await wb.focusEditorTab('main.tex');
      await wb.page.keyboard.press('Control+S');
      await readFileEventually(path.join(folder, 'main.tex'), (t) => t.includes(`\\cite{${PAPER.key}}`));
      const bib = await readFileEventually(path.join(folder, 'references.bib'), (t) => t.includes(`{${PAPER.key},`));
      assert.ok(bib.startsWith(bibBefore), 'the old content of references.bib is kept byte for byte');
      assert.strictEqual((bib.match(/^@/gm) || []).length, (bibBefore.match(/^@/gm) || []).length + 1);
    });

    await wb.step('pdflatex + bibtex compile it with no undefined citation', async () => {
      for (const [cmd, args] of [['pdflatex', ['-interaction=nonstopmode', 'main.tex']], ['bibtex', ['main']], ['pdflatex', ['-interaction=nonstopmode', 'main.tex']], ['pdflatex', ['-interaction=nonstopmode', 'main.tex']]]) {
        const r = run(cmd, args, folder);
        assert.strictEqual(r.status, 0, `${cmd} failed:\n${(r.stdout || '').slice(-2000)}`);
      }
      const log = fs.readFileSync(path.join(folder, 'main.log'), 'utf8');
      assert.ok(!/Citation `[^']*' .*undefined/.test(log), 'undefined citation in main.log');
      assert.ok(!/There were undefined references/.test(log));
      assert.ok(fs.readFileSync(path.join(folder, 'main.bbl'), 'utf8').includes(`{${PAPER.key}}`));
    });
  },
};
