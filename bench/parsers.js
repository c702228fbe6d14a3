// The readers the benchmark compares. Each adapter parses one file's text; a thrown error
// means the reader failed on that file.
'use strict';
const path = require('path');
const paths = require('./paths');
const { core } = require('./core');
const { countBibHeaders, countListingHeaders } = require('./floors');

const NOT_ENTRIES = new Set(['string', 'preamble', 'comment']);

/** The records our reader returns for one file of a data set (also the JSON floor's input). */
function readRecords(dataset, file, text) {
  if (dataset.kind === 'listing') {
    return core('listing').parseListing(text, { file, captured: capturedOf(dataset) }).papers;
  }
  return core('bibtex/parse').parseBibtex(text, { file }).papers;
}

function capturedOf(dataset) {
  return dataset.captured ?? require(path.join(paths.dataDir, 'manifest.json')).captured;
}

/**
 * id → { label, kinds (data set kinds it reads), floor?, json? (reads the data set's JSON
 * instead of its files), load(dataset) → Promise<{ parse(text, file) → result, count(result) → records }> }.
 * `parse` does all the work; `count` only reads the result.
 */
const PARSERS = {
  'ours-listing': {
    label: 'Paper Shelf listing reader',
    kinds: ['listing'],
    load: async (dataset) => {
      const { parseListing } = core('listing');
      const captured = capturedOf(dataset);
      return { parse: (text, file) => parseListing(text, { file, captured }), count: (r) => r.papers.length };
    },
  },
  'ours-bibtex': {
    label: 'Paper Shelf BibTeX reader (parseBibtex: records)',
    kinds: ['bibtex'],
    load: async () => {
      const { parseBibtex } = core('bibtex/parse');
      return { parse: (text, file) => parseBibtex(text, { file }), count: (r) => r.papers.length };
    },
  },
  'ours-bibtex-syntax': {
    label: 'Paper Shelf BibTeX syntax pass only (readBibtex)',
    kinds: ['bibtex'],
    load: async () => {
      const { readBibtex } = core('bibtex/read');
      return { parse: (text) => readBibtex(text), count: (r) => r.entries.length };
    },
  },
  retorquere: {
    label: '@retorquere/bibtex-parser (Better BibTeX)',
    kinds: ['bibtex'],
    load: async () => {
      // Its CommonJS build does not load (the package is "type": "module"); import the ES module.
      const { parse } = await import('@retorquere/bibtex-parser');
      return { parse: (text) => parse(text), count: (r) => r.entries.length };
    },
  },
  'latex-utensils': {
    label: 'latex-utensils bibtexParser (LaTeX Workshop)',
    kinds: ['bibtex'],
    load: async () => {
      const { bibtexParser } = require('latex-utensils');
      return {
        parse: (text) => bibtexParser.parse(text),
        count: (r) => r.content.filter((e) => !NOT_ENTRIES.has(String(e.entryType).toLowerCase())).length,
      };
    },
  },
  'citation-js': {
    label: '@citation-js/plugin-bibtex (to CSL)',
    kinds: ['bibtex'],
    load: async () => {
      require('@citation-js/plugin-bibtex');
      const { plugins } = require('@citation-js/core');
      return {
        parse: (text) => plugins.input.chain(text, { forceType: '@biblatex/text', generateGraph: false }),
        count: (r) => r.length,
      };
    },
  },
  'regex-floor': {
    label: 'floor: regex finding record headers only',
    kinds: ['bibtex', 'listing'],
    floor: true,
    load: async (dataset) => ({ parse: dataset.kind === 'listing' ? countListingHeaders : countBibHeaders, count: (n) => n }),
  },
  'json-floor': {
    label: 'floor: JSON.parse of the same records',
    kinds: ['bibtex', 'listing'],
    floor: true,
    json: true,
    load: async () => ({ parse: (text) => JSON.parse(text), count: (r) => r.length }),
  },
};

module.exports = { PARSERS, readRecords };
