// A hand-written SVG chart of read time against library size, one line per reader, both
// axes logarithmic. Left panel BibTeX, right panel listings.
'use strict';
const { formatCount } = require('./stats');

const STYLE = {
  'ours-bibtex': { color: '#0969da', width: 3 },
  'ours-bibtex-syntax': { color: '#54aeff', width: 2, dash: '6 3' },
  'ours-listing': { color: '#0969da', width: 3 },
  retorquere: { color: '#bc4c00', width: 2 },
  'latex-utensils': { color: '#8250df', width: 2 },
  'citation-js': { color: '#cf222e', width: 2 },
  'regex-floor': { color: '#57606a', width: 1.5, dash: '2 3' },
  'json-floor': { color: '#1a7f37', width: 1.5, dash: '2 3' },
};

const PANEL = { width: 470, height: 330, left: 62, right: 14, top: 34, bottom: 44 };
const LEGEND_ROW = 17;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function msLabel(ms) {
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/** Decades covering [lo, hi]. */
function decades(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/**
 * One panel: `series` are the scaled data sets (a line per reader), `extra` one more data
 * set drawn as a lone diamond per reader; `target` a dashed horizontal line in ms.
 */
function panel(results, { title, kind, series, extra, target, x0, timeoutMs }) {
  const rows = results.results.filter((r) => r.kind === kind && (series.includes(r.dataset) || r.dataset === extra));
  const readers = [...new Set(rows.map((r) => r.parser))];
  if (!readers.length) return { svg: '', height: 0 };
  const ok = rows.filter((r) => r.status === 'ok');
  const times = [...ok.map((r) => r.medianMs), target, timeoutMs];
  const yTicks = decades(Math.min(...times), Math.max(...times));
  const [yLo, yHi] = [Math.log10(yTicks[0]), Math.log10(yTicks[yTicks.length - 1])];
  const counts = rows.map((r) => r.present);
  const [xLo, xHi] = [Math.log10(Math.min(...counts)) - 0.08, Math.log10(Math.max(...counts)) + 0.08];
  const w = PANEL.width - PANEL.left - PANEL.right;
  const h = PANEL.height - PANEL.top - PANEL.bottom;
  const X = (n) => x0 + PANEL.left + ((Math.log10(n) - xLo) / (xHi - xLo)) * w;
  const Y = (ms) => PANEL.top + h - ((Math.log10(ms) - yLo) / (yHi - yLo)) * h;
  const out = [];

  out.push(`<text x="${x0 + PANEL.left}" y="20" font-size="14" font-weight="600">${esc(title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + w}" y1="${Y(t)}" y2="${Y(t)}" stroke="#d0d7de" stroke-width="1"/>`);
    out.push(`<text x="${x0 + PANEL.left - 6}" y="${Y(t) + 4}" text-anchor="end" font-size="11">${msLabel(t)}</text>`);
  }
  for (const n of [5000, 10000, 20000, 50000, 100000].filter((n) => Math.log10(n) >= xLo && Math.log10(n) <= xHi)) {
    out.push(`<line x1="${X(n)}" x2="${X(n)}" y1="${PANEL.top}" y2="${PANEL.top + h}" stroke="#eaeef2" stroke-width="1"/>`);
    out.push(`<text x="${X(n)}" y="${PANEL.top + h + 16}" text-anchor="middle" font-size="11">${n / 1000}k</text>`);
  }
  out.push(`<text x="${x0 + PANEL.left + w / 2}" y="${PANEL.top + h + 34}" text-anchor="middle" font-size="11">records in the file (log scale)</text>`);
  out.push(`<rect x="${x0 + PANEL.left}" y="${PANEL.top}" width="${w}" height="${h}" fill="none" stroke="#8c959f"/>`);
  out.push(
    `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + w}" y1="${Y(target)}" y2="${Y(target)}" stroke="#1a7f37" stroke-width="1.5" stroke-dasharray="8 4"/>`,
    `<text x="${x0 + PANEL.left + 4}" y="${Y(target) - 5}" font-size="11" fill="#1a7f37">target ${msLabel(target)}</text>`,
    `<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + w}" y1="${Y(timeoutMs)}" y2="${Y(timeoutMs)}" stroke="#cf222e" stroke-width="1" stroke-dasharray="3 3"/>`,
    `<text x="${x0 + PANEL.left + w - 4}" y="${Y(timeoutMs) + 13}" text-anchor="end" font-size="11" fill="#cf222e">stopped after ${msLabel(timeoutMs)}</text>`,
  );

  for (const id of readers) {
    const s = STYLE[id] ?? { color: '#000', width: 1.5 };
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    const line = series
      .map((d) => rows.find((r) => r.parser === id && r.dataset === d))
      .filter(Boolean)
      .map((r) => ({ r, x: X(r.present), y: r.status === 'ok' ? Y(r.medianMs) : Y(timeoutMs) }));
    // A line joins measured points, and a timeout; a reader that failed or lost records gets hollow markers only.
    const drawn = line.filter((p) => (p.r.status === 'ok' && p.r.count >= p.r.present) || p.r.status === 'timeout');
    if (drawn.length > 1) {
      out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="${s.width}"${dash} points="${drawn.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}"/>`);
    }
    for (const p of line) {
      if (p.r.status === 'ok') {
        const failed = p.r.count < p.r.present;
        out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="4" fill="${failed ? '#fff' : s.color}" stroke="${s.color}" stroke-width="1.5"/>`);
      } else if (p.r.status === 'timeout') {
        out.push(`<text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle" font-size="13" font-weight="700" fill="${s.color}">×</text>`);
      }
    }
    const lone = rows.find((r) => r.parser === id && r.dataset === extra && r.status === 'ok');
    if (lone) {
      const [x, y] = [X(lone.present), Y(lone.medianMs)];
      const fill = lone.count < lone.present ? '#fff' : s.color;
      out.push(`<path d="M${x.toFixed(1)},${(y - 5).toFixed(1)} l5,5 l-5,5 l-5,-5 z" fill="${fill}" stroke="${s.color}" stroke-width="1.5"/>`);
    }
  }

  // Legend under the plot.
  let ly = PANEL.height + 6;
  for (const id of readers) {
    const s = STYLE[id] ?? { color: '#000', width: 1.5 };
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    out.push(`<line x1="${x0 + PANEL.left}" x2="${x0 + PANEL.left + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="${s.width}"${dash}/>`);
    out.push(`<text x="${x0 + PANEL.left + 30}" y="${ly + 4}" font-size="11">${esc(results.parsers[id]?.label ?? id)}</text>`);
    ly += LEGEND_ROW;
  }
  const extraSet = results.datasets.find((d) => d.id === extra);
  const keyNotes = [
    extraSet ? `◆ ${extraSet.label} (${formatCount(extraSet.present)} records)` : '',
    '○ hollow: records lost or the reader failed   × stopped (timeout)',
  ].filter(Boolean);
  for (const k of keyNotes) {
    out.push(`<text x="${x0 + PANEL.left}" y="${ly + 4}" font-size="11" fill="#57606a">${esc(k)}</text>`);
    ly += LEGEND_ROW;
  }
  return { svg: out.join('\n'), height: ly };
}

/** The whole chart as an SVG document. */
function renderChart(results) {
  const timeoutMs = results.options.timeoutMs;
  const bib = panel(results, {
    title: 'BibTeX readers: time to read one file',
    kind: 'bibtex',
    series: ['bib-10k', 'bib-50k', 'bib-100k'],
    extra: 'texlive-x10',
    target: 1000,
    x0: 0,
    timeoutMs,
  });
  const listing = panel(results, {
    title: 'Listing reader: time to read one file',
    kind: 'listing',
    series: ['listing-10k', 'listing-50k', 'listing-100k'],
    extra: undefined,
    target: 500,
    x0: PANEL.width + 10,
    timeoutMs,
  });
  const width = 2 * PANEL.width + 10;
  const height = Math.max(bib.height, listing.height) + 24;
  const m = results.machine;
  const caption = `Median of up to ${results.options.maxRuns} runs after a warm-up · Node ${m.node} · ${m.cpus} CPUs · ${results.date.slice(0, 10)} · npm run bench`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif" fill="#1f2328">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    bib.svg,
    listing.svg,
    `<text x="${PANEL.left}" y="${height - 8}" font-size="10" fill="#57606a">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

module.exports = { renderChart };
