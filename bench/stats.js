// Small numeric and formatting helpers shared by the benchmark scripts.
'use strict';

/** Median of a non-empty list of numbers. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `0.42 ms`, `12.3 ms`, `1.24 s`. */
function formatMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Bytes as `123 MB` (10^6 bytes). */
function formatMB(bytes) {
  if (bytes === undefined || bytes === null) return '–';
  const mb = bytes / 1e6;
  return `${mb >= 100 ? mb.toFixed(0) : mb >= 10 ? mb.toFixed(1) : mb.toFixed(2)} MB`;
}

/** 106620 → `106,620`. */
function formatCount(n) {
  return n === undefined || n === null ? '–' : n.toLocaleString('en-US');
}

module.exports = { median, formatMs, formatMB, formatCount };
