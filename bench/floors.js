// The two floors no reader can beat: a regex that only finds record headers, and JSON.parse
// of the same records; and the count of records present in a data set.
'use strict';

/** Characters of an entry type: BibTeX's identifier characters (Mendeley writes `@web_page`). */
const TYPE = `[^\\s"#%'(),={}@]+`;
/** `@type{key,` or `@type(key,`: an entry header, the least a BibTeX reader must find (the regex floor). */
const BIB_HEADER = new RegExp(`@[ \\t]*(${TYPE})[ \\t\\r\\n]*[{(][ \\t\\r\\n]*[^,\\s{}()"=#%]+[ \\t\\r\\n]*,`, 'g');
/** `@type{` at the start of a line: an entry, with or without a key (Mendeley exports `@article{,`). */
const ENTRY_START = new RegExp(`^[ \\t]*@[ \\t]*(${TYPE})[ \\t]*[{(]`, 'gm');
const NOT_ENTRIES = new Set(['string', 'preamble', 'comment']);

/** Number of `@type{key,` headers in a BibTeX text (`@string`, `@preamble`, `@comment` excluded): the regex floor. */
function countBibHeaders(text) {
  let n = 0;
  BIB_HEADER.lastIndex = 0;
  for (let m = BIB_HEADER.exec(text); m; m = BIB_HEADER.exec(text)) {
    if (!NOT_ENTRIES.has(m[1].toLowerCase())) n++;
  }
  return n;
}

/** Offsets of the entries of a BibTeX text: `@type{` or `@type(` starting a line, `@string`/`@preamble`/`@comment` excluded. */
function bibEntryOffsets(text) {
  const out = [];
  ENTRY_START.lastIndex = 0;
  for (let m = ENTRY_START.exec(text); m; m = ENTRY_START.exec(text)) {
    if (!NOT_ENTRIES.has(m[1].toLowerCase())) out.push(m.index);
  }
  return out;
}

/** A listing record header such as `LGMay 20Code` or `MLJul 17, 2024`, on its own line. */
const LISTING_HEADER = /^[A-Z]{2}[ \t]?[A-Z][a-z]{2,8}\.?[ \t]?\d{1,2}(?:,[ \t]?\d{4})?[ \t]?(?:[A-Za-z]{0,20})[ \t]*\r?$/gm;

/** Number of record headers in a listing: the regex floor for listings, and the records present. */
function countListingHeaders(text) {
  let n = 0;
  LISTING_HEADER.lastIndex = 0;
  while (LISTING_HEADER.exec(text)) n++;
  return n;
}

module.exports = { countBibHeaders, bibEntryOffsets, countListingHeaders };
