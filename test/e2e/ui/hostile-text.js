// Hostile text stays text. A listing and a .bib whose every field carries a cross-site
// scripting payload (test/fixtures/hostile/) are shown everywhere Paper Shelf shows a
// paper: the Papers tree (labels, descriptions, tooltips), the Cited view, the editor
// hover and completion on the keys in a .tex file, and the detail panel (webview).
//
// A payload that ran would set `__pwned` on its window (or top/parent), set the page title
// to PWNED, or call alert(). Every frame of the page (the workbench, the webview and its
// nested frames) gets a trap on `__pwned` and on alert/confirm/prompt before its first
// script runs; the page's dialog event is watched; after each surface, every frame is
// scanned for the marker, the title and elements built from the data (an `on*` attribute
// that holds a payload, a `javascript:` link or source, an `<iframe srcdoc>`). The text a
// user reads must equal the payload: the data is shown, not interpreted.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { paths, waitFor } = require('../harness');

const FIXTURES = path.join(paths.repoRoot, 'test', 'fixtures', 'hostile');
const { payloads } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'payloads.json'), 'utf8'));
const PAYLOADS = payloads.map((p) => p.text);
/** Each payload is the title of one listing record and of one .bib entry. */
const SOURCES = ['hostile.txt', 'hostile.bib'];
const PAPERS = PAYLOADS.length * SOURCES.length;
/** The .bib gives each entry two authors: the payload (one braced name) and "Evil, Mallory"; year 2023. */
const bibDescription = (payload) => `${payload} and Evil · 2023`;

/** The citation keys of hostile.tex's `\cite{…}` lines, with their 1-based line numbers. */
function citedKeys(texText) {
  return texText.split('\n').flatMap((line, i) => {
    const m = /^Cited: \\cite\{([^}]+)\}/.exec(line);
    return m ? [{ key: m[1], line: i + 1, column: line.indexOf('{') + 2 }] : [];
  });
}

/** Text as a user reads it: non-breaking spaces as spaces. */
const plain = (s) => s.replace(/\u00a0/g, ' ');

/**
 * Installed in every frame before its scripts run: traps on the marker and on dialogs that
 * report to the test through the `__hostileReport` binding (also from sandboxed frames,
 * where alert() is silently blocked and a page dialog event would never fire).
 */
function installTraps() {
  const report = (what) => {
    try { window.__hostileReport(`${what} in ${String(location.href).slice(0, 160)}`); } catch { /* binding not there yet */ }
  };
  if (Object.getOwnPropertyDescriptor(window, '__pwned')) return;
  let value;
  Object.defineProperty(window, '__pwned', {
    configurable: false,
    get: () => value,
    set: (v) => { value = v; report(`__pwned = ${v}`); },
  });
  for (const name of ['alert', 'confirm', 'prompt']) {
    const original = window[name];
    window[name] = function trapped(...args) {
      report(`${name}(${args.join(', ')})`);
      return original.apply(this, args);
    };
  }
}

/**
 * Every frame's marker, title and elements made from the data. Runs inside each frame;
 * `markers` are strings only a payload holds.
 */
function scanFrame(markers) {
  const holdsMarker = (v) => markers.some((m) => v.includes(m));
  const problems = [];
  const describe = (el) => `<${el.tagName.toLowerCase()} ${[...el.attributes].map((a) => `${a.name}="${a.value.slice(0, 60)}"`).join(' ')}>`;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.trim().toLowerCase();
      if (name.startsWith('on') && holdsMarker(a.value)) problems.push(`event handler from the data: ${describe(el)}`);
      if (['href', 'src', 'data', 'action', 'formaction', 'xlink:href', 'data-href'].includes(name) && /^(javascript|vbscript|data:text\/html)/.test(value.replace(/[\s\u0000-\u001f]/g, ''))) {
        problems.push(`script URL: ${describe(el)}`);
      }
      if (name === 'srcdoc') problems.push(`iframe srcdoc: ${describe(el)}`);
    }
  }
  return { pwned: window.__pwned, title: document.title, problems, url: String(location.href).slice(0, 160) };
}

/** Strings that only the payloads hold (none of them is in VS Code's own DOM). */
const MARKERS = ['__pwned', 'alert(1)', "'PWNED'"];

/**
 * Checks a rendered piece of markdown (tooltip, hover, completion docs): no element a
 * payload would create, links only to http(s) (and, in the editor hover, our own command).
 * Runs in the page on the widget's root element.
 */
function inspectRendered(root, allowedCommand) {
  const dangerous = 'script, img, svg, iframe, object, embed, form, input, button, details, meta, style, math, link, base, body, video, audio';
  const found = [...root.querySelectorAll(dangerous)]
    .filter((el) => !(el.tagName === 'BUTTON' && !el.closest('.rendered-markdown')))
    .map((el) => el.outerHTML.slice(0, 120));
  const anchors = [...root.querySelectorAll('a')];
  const links = anchors.map((a) => a.getAttribute('data-href') || a.getAttribute('href') || '');
  const linkTexts = anchors.map((a) => a.textContent.trim());
  const badLinks = links.filter((h) => h && !/^https?:\/\//i.test(h) && !(allowedCommand && h.startsWith(`command:${allowedCommand}`)));
  const handlers = [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`));
  return { found, badLinks, handlers, links, linkTexts };
}

/** Clicks the first row of a side-bar tree and waits for it to have the keyboard focus. */
async function focusFirstRow(wb, viewName) {
  const first = wb.view(viewName).locator('.monaco-list-row[data-index="0"]');
  await first.waitFor({ state: 'visible', timeout: 30000 });
  await wb.clickTreeRow(first);
  await waitFor(async () => /\bfocused\b/.test((await first.getAttribute('class')) || ''), { message: `the first row of ${viewName} to be focused` });
}

/**
 * The `{label, description}` of a tree's rows, read by moving the keyboard focus down
 * from the first row (the list scrolls the focused row into view; the mouse stays away,
 * so no tooltip covers the tree). Fails unless there are exactly `count` rows.
 */
async function walkTree(wb, viewName, count) {
  // The tree is rebuilt while the library finishes loading, which may move the focus: start over then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await walkTreeOnce(wb, viewName, count);
    } catch (e) {
      if (attempt === 3) throw e;
      const focus = await wb.page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName}.${el.className} aria-label=${el.getAttribute('aria-label')}` : 'none';
      }).catch((err) => `unknown (${err.message})`);
      wb.log(`${viewName}: walking the rows again (${e.message}; focus on ${focus})`);
      await wb.page.keyboard.press('Home');
    }
  }
}

async function walkTreeOnce(wb, viewName, count) {
  const view = wb.view(viewName);
  await focusFirstRow(wb, viewName);
  const rows = [];
  for (let i = 0; ; i++) {
    const row = view.locator(`.monaco-list-row[data-index="${i}"]`);
    await waitFor(async () => /\bfocused\b/.test((await row.getAttribute('class')) || ''), { message: `row ${i} of ${viewName} to be focused` });
    rows.push({
      label: plain((await row.locator('.label-name').innerText()).trim()),
      description: plain(((await row.locator('.label-description').allInnerTexts())[0] ?? '').trim()),
    });
    if ((await row.getAttribute('data-last-element')) === 'true') break;
    assert.ok(i < count, `${viewName} has more than ${count} rows`);
    await wb.page.keyboard.press('ArrowDown');
  }
  assert.strictEqual(rows.length, count, `${viewName}: ${rows.length} rows, expected ${count}`);
  await wb.page.keyboard.press('Home');
  return rows;
}

module.exports = {
  title: 'hostile text stays text in the tree, tooltips, hover, completion and detail panel',
  timeout: 300000,
  async run(wb, { folder }) {
    const { page, context } = wb;
    const stats = { framesScanned: 0, treeRows: 0, tooltips: 0, citedRows: 0, hovers: 0, completionDocs: 0, panels: 0 };
    const hits = [];
    const dialogs = [];

    await wb.step('install the marker and dialog traps in every frame', async () => {
      await context.exposeBinding('__hostileReport', (source, what) => { hits.push(what); });
      await context.addInitScript(installTraps);
      for (const frame of page.frames()) await frame.evaluate(installTraps).catch(() => {});
      page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
    });

    /** Fails when a payload ran anywhere or left an element made from the data in any frame. */
    const assertClean = async (where) => {
      const reports = [];
      for (const frame of page.frames()) {
        if (frame.isDetached()) continue;
        let r;
        try { r = await frame.evaluate(scanFrame, MARKERS); } catch (e) {
          if (/detached|destroyed|navigat/i.test(e.message)) continue;
          throw new Error(`could not scan frame ${frame.url()}: ${e.message}`);
        }
        stats.framesScanned += 1;
        if (r.pwned !== undefined) reports.push(`__pwned = ${r.pwned} in ${r.url}`);
        if (r.title === 'PWNED') reports.push(`document.title is PWNED in ${r.url}`);
        reports.push(...r.problems.map((p) => `${p} in ${r.url}`));
      }
      assert.deepStrictEqual([...hits, ...dialogs, ...reports], [], `${where}: a payload ran or left markup behind`);
    };

    await wb.step('point paperShelf.sources at the hostile listing and .bib', async () => {
      fs.cpSync(FIXTURES, path.join(folder, 'hostile'), { recursive: true });
      fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify({
        'paperShelf.sources': SOURCES.map((f) => `hostile/${f}`),
        'paperShelf.includeBundledLibrary': false,
        'paperShelf.groupBy': 'none',
      }, null, 2));
      await wb.openViewContainer('Paper Shelf');
    });

    const rows = await wb.step('the Papers tree: every payload is a title, as text', async () => {
      const view = wb.view('Papers');
      // The count shows once the sources have loaded; groupBy "none" may apply a moment
      // later: wait for paper rows (leaves) rather than year groups before walking them.
      await waitFor(async () => (await view.locator('.pane-header').innerText()).includes(`${PAPERS} papers`)
        && (await view.locator('.monaco-list-row[data-index="0"]').getAttribute('aria-expanded', { timeout: 1000 })) === null,
        { timeout: 60000, message: `the Papers view to count ${PAPERS} papers, listed without groups` });
      const shown = await walkTree(wb, 'Papers', PAPERS);
      for (const payload of PAYLOADS) {
        const titled = shown.filter((r) => r.label === payload);
        assert.strictEqual(titled.length, SOURCES.length, `rows titled ${JSON.stringify(payload)}: ${titled.length}; labels: ${JSON.stringify(shown.map((r) => r.label))}`);
        assert.ok(titled.some((r) => r.description === bibDescription(payload)),
          `the .bib paper's row describes its authors as ${JSON.stringify(bibDescription(payload))}; got ${JSON.stringify(titled.map((r) => r.description))}`);
      }
      stats.treeRows = shown.length;
      return shown;
    });
    await wb.screenshot('tree');
    await assertClean('the Papers tree');

    const panel = wb.webviewFrame();
    await wb.step('the traps see a marker set and an alert called inside the detail panel', async () => {
      // Walking the tree clicked its first row, which opened the panel.
      await panel.locator('#title').waitFor({ timeout: 30000 });
      await panel.locator('html').evaluate(() => { window.__pwned = 'self-test'; window.alert('self-test'); window.__pwned = undefined; });
      await waitFor(() => hits.length >= 3, { message: 'the traps to report the self-test' });
      assert.ok(hits.every((h) => h.includes('self-test') || h.includes('undefined')), JSON.stringify(hits));
      hits.length = 0;
    });

    await wb.step('each row: its tooltip and its detail panel show the payloads as text', async () => {
      const view = wb.view('Papers');
      await focusFirstRow(wb, 'Papers');
      for (let i = 0; i < rows.length; i++) {
        const row = view.locator(`.monaco-list-row[data-index="${i}"]`);
        await waitFor(async () => /\bfocused\b/.test((await row.getAttribute('class')) || ''), { message: `row ${i} to be focused` });
        const label = plain((await row.locator('.label-name').innerText()).trim());

        // The tooltip: hover the row as a user does.
        await row.hover();
        const tip = page.locator('.workbench-hover').filter({ visible: true }).last();
        await waitFor(async () => (await tip.count()) && plain(await tip.innerText()).includes(label), { timeout: 15000, message: `the tooltip of row ${i} (${label})` });
        const tipText = plain(await tip.innerText());
        assert.ok(tipText.split('\n').some((l) => l.trim() === label), `tooltip of ${JSON.stringify(label)} shows the title as its own line; text:\n${tipText}`);
        const rendered = await tip.evaluate(inspectRendered, null);
        assert.deepStrictEqual([rendered.found, rendered.badLinks, rendered.handlers], [[], [], []], `tooltip of ${JSON.stringify(label)}: ${JSON.stringify(rendered)}`);
        if (i === 0 || label === PAYLOADS[PAYLOADS.length - 1]) await wb.screenshot(`tooltip-${i}`);
        stats.tooltips += 1;

        // The detail panel: click the row.
        await wb.clickTreeRow(row);
        await waitFor(async () => (await panel.locator('#title').count()) && (await panel.locator('#title').textContent()) === label,
          { timeout: 30000, message: `the panel to show ${JSON.stringify(label)}` });
        const dom = await panel.locator('html').evaluate((html) => ({
          hrefs: html.querySelectorAll('a[href], [src^="javascript:" i]').length,
          handlers: [...html.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
          scripts: [...html.querySelectorAll('script')].map((s) => ({ src: s.getAttribute('src') || '', nonce: s.nonce || s.getAttribute('nonce') || '', text: s.textContent })),
          dangerous: [...html.querySelector('#root').querySelectorAll('script, img, svg, iframe, object, embed, form, input, details, meta, style, math, link, base, body')].length,
          authors: html.querySelector('#authors')?.textContent ?? '',
          abstract: html.querySelector('#abstract')?.textContent ?? '',
          links: [...html.querySelectorAll('#root a')].map((a) => a.textContent),
          codeLink: html.querySelector('#code-link')?.textContent ?? null,
          category: html.querySelector('#category')?.textContent ?? '',
        }));
        assert.deepStrictEqual(dom.handlers, [], `panel of ${JSON.stringify(label)}: on* attributes`);
        assert.strictEqual(dom.hrefs, 0, `panel of ${JSON.stringify(label)}: a link with an href (the panel's links have none) or a javascript: source`);
        assert.strictEqual(dom.dangerous, 0, `panel of ${JSON.stringify(label)}: elements made from the data`);
        const own = dom.scripts.filter((s) => /\/dist\/webview\.js$/.test(s.src) && s.nonce);
        assert.strictEqual(own.length, 1, `the panel's own nonce'd script: ${JSON.stringify(dom.scripts)}`);
        // VS Code's webview host adds one inline script of its own: the acquireVsCodeApi shim.
        const vscodeShim = (s) => !s.src && s.text.includes('acquireVsCodeApi') && !MARKERS.some((m) => s.text.includes(m));
        assert.deepStrictEqual(dom.scripts.filter((s) => s !== own[0] && !vscodeShim(s)), [],
          `scripts other than the panel's own: ${JSON.stringify(dom.scripts)}`);
        const isBib = rows[i].description === bibDescription(label);
        if (isBib) {
          assert.strictEqual(dom.authors, `${label}, Mallory Evil`);
          assert.strictEqual(dom.category, `cs.${label}`);
          assert.ok(dom.links.includes(`DOI 10.1234/${label}`), `the DOI link label is the payload: ${JSON.stringify(dom.links)}`);
        }
        assert.ok(dom.abstract.includes(label), `the abstract shows the payload: ${JSON.stringify(dom.abstract)}`);
        // The tooltip shows the code URL the panel shows, as its one link or (when VS Code's
        // sanitizer dropped a link it found suspect) as text.
        assert.ok(rendered.linkTexts.every((t) => t === dom.codeLink), `links of the tooltip of ${JSON.stringify(label)}: ${JSON.stringify(rendered.linkTexts)}; the panel's code link: ${dom.codeLink}`);
        if (dom.codeLink !== null) assert.ok(tipText.includes(dom.codeLink), `the tooltip of ${JSON.stringify(label)} shows the code URL ${dom.codeLink}:\n${tipText}`);
        if (i === 0 || label === PAYLOADS[PAYLOADS.length - 1]) await wb.screenshot(`panel-${i}`);
        stats.panels += 1;
        if (i + 1 < rows.length) await page.keyboard.press('ArrowDown');
      }
    });
    await assertClean('tooltips and detail panel');

    const tex = fs.readFileSync(path.join(FIXTURES, 'hostile.tex'), 'utf8');
    const cites = citedKeys(tex);
    await wb.step('open hostile.tex: the Cited view lists the .bib papers by their titles', async () => {
      await wb.openFile('hostile/hostile.tex');
      const cited = await walkTree(wb, 'Cited in This Document', cites.length);
      assert.deepStrictEqual(cited.map((r) => r.label).sort(), [...PAYLOADS].sort());
      stats.citedRows = cited.length;
    });
    await wb.screenshot('cited-view');
    await assertClean('the Cited view');

    await wb.step('the editor hover on each cited key shows its paper as text', async () => {
      const bib = new Map(cites.map((c, i) => [c.key, PAYLOADS[i]]));
      await wb.focusEditorTab('hostile.tex');
      for (const c of cites) {
        const title = bib.get(c.key);
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+G');
        await wb.fillQuickInput(`:${c.line}:${c.column}`);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const hover = page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first();
        await waitFor(async () => (await hover.count()) && plain(await hover.innerText()).includes(c.key), { timeout: 15000, message: `the hover of ${c.key}` });
        const text = plain(await hover.innerText());
        assert.ok(text.split('\n').some((l) => l.trim() === title), `hover of ${c.key} shows ${JSON.stringify(title)} as its own line:\n${text}`);
        assert.ok(text.includes(`${title}, Mallory Evil`), `hover of ${c.key} lists the authors:\n${text}`);
        const rendered = await hover.evaluate(inspectRendered, 'paperShelf.showDetails');
        assert.deepStrictEqual([rendered.found, rendered.badLinks, rendered.handlers], [[], [], []], `hover of ${c.key}: ${JSON.stringify(rendered)}`);
        if (c === cites[0]) await wb.screenshot('editor-hover');
        stats.hovers += 1;
      }
      await page.keyboard.press('Escape');
    });
    await assertClean('the editor hover');

    await wb.step('completion in \\cite{}: every paper, its documentation as text', async () => {
      const line = tex.split('\n').findIndex((l) => l.startsWith('Complete here: \\cite{}')) + 1;
      await page.keyboard.press('Control+G');
      await wb.fillQuickInput(`:${line}:${'Complete here: \\cite{'.length + 1}`);
      await page.keyboard.press('Enter');
      await waitFor(async () => (await page.locator('.editor-group-container.active .monaco-editor.focused').count()) > 0, { message: 'the editor to have focus' });
      const widget = page.locator('.editor-widget.suggest-widget');
      // Ctrl+Space right after the Go to Line box closes may come too early: press again until the list shows.
      await waitFor(async () => {
        if (await widget.locator('.monaco-list-row').first().isVisible()) return true;
        await page.keyboard.press('Control+Space');
        return widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: 2000 }).then(() => true, () => false);
      }, { timeout: 20000, message: 'the suggestion list' });
      const details = page.locator('.suggest-details-container .suggest-details');
      if (!(await details.isVisible())) await page.keyboard.press('Control+Space');
      await details.waitFor({ state: 'visible', timeout: 10000 });
      const seen = new Map(PAYLOADS.map((p) => [p, 0]));
      const keys = new Set();
      for (let i = 0; i < PAPERS; i++) {
        const focused = widget.locator('.monaco-list-row.focused');
        const key = (await focused.locator('.label-name').innerText()).trim();
        assert.ok(!keys.has(key), `completion item ${i} (${key}) came round again: ${keys.size} distinct items`);
        keys.add(key);
        const text = await waitFor(async () => {
          const t = plain(await details.innerText());
          return t.includes(key) && t;
        }, { timeout: 10000, message: `the documentation of ${key}` });
        const title = PAYLOADS.find((p) => text.split('\n').some((l) => l.trim() === p));
        assert.ok(title, `the documentation of ${key} shows no payload title as its own line:\n${text}`);
        seen.set(title, seen.get(title) + 1);
        const rendered = await widget.locator('.monaco-list-rows').evaluate(inspectRendered, null);
        const docs = await details.evaluate(inspectRendered, null);
        assert.deepStrictEqual([rendered.found, rendered.handlers, docs.found, docs.badLinks, docs.handlers], [[], [], [], [], []],
          `completion of ${key}: ${JSON.stringify({ rendered, docs })}`);
        if (i === 0) await wb.screenshot('completion');
        stats.completionDocs += 1;
        await page.keyboard.press('ArrowDown');
      }
      assert.deepStrictEqual([...seen].filter(([, n]) => n !== SOURCES.length), [], 'each payload titles one listing and one .bib completion item');
      await page.keyboard.press('Escape');
    });
    await assertClean('completion');

    const fields = 'title, authors, abstract, category, DOI, URL, code URL, note, journal, key';
    console.log(`    hostile text: ${PAYLOADS.length} payloads × ${SOURCES.length} sources (${PAPERS} papers; fields: ${fields}); ` +
      `surfaces checked: Papers tree ${stats.treeRows} rows (labels + descriptions), ${stats.tooltips} tooltips, ${stats.panels} detail panels, ` +
      `Cited view ${stats.citedRows} rows, ${stats.hovers} editor hovers, ${stats.completionDocs} completion items with documentation; ` +
      `${stats.framesScanned} frame scans; markers set: ${hits.length}, dialogs: ${dialogs.length}`);
  },
};
