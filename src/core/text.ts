/**
 * Text helpers for search and key generation: case- and accent-insensitive folding.
 *
 * Pure functions, no dependencies.
 */

/**
 * Letters that Unicode NFKD does not decompose into a base letter plus combining marks,
 * mapped to their conventional ASCII transliteration.
 */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  ı: 'i',
  þ: 'th',
  Þ: 'Th',
  ħ: 'h',
  Ħ: 'H',
};

const SPECIAL_RE = new RegExp(`[${Object.keys(SPECIAL_LETTERS).join('')}]`, 'gu');
const ASCII_ONLY = /^[\x00-\x7f]*$/;
/** Combining marks (general category M), removed after NFKD decomposition. */
const COMBINING_RE = /\p{M}/gu;

/**
 * Remove accents but keep case: NFKD, combining marks stripped, and letters without a
 * decomposition transliterated (`Schürholt`→`Schurholt`, `Łukasz`→`Lukasz`, `Æsir`→`AEsir`).
 * Other characters (digits, punctuation, non-Latin scripts) are kept.
 */
export function stripAccents(s: string): string {
  if (ASCII_ONLY.test(s)) return s;
  return s
    .normalize('NFKD')
    .replace(COMBINING_RE, '')
    .replace(SPECIAL_RE, (c) => SPECIAL_LETTERS[c] ?? c);
}

/**
 * `s`, stored flat. V8 keeps a string made with `+` or a template as a tree of its parts
 * (a 5-part key costs five objects) until a character of it is read, which flattens it in
 * place and lets the garbage collector drop the tree. For strings kept long in large
 * numbers, such as the keys of a library-sized map: 200k such keys took 56 MB as trees,
 * 14 MB flat.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * Fold a string for case- and accent-insensitive comparison: lower-case, NFKD,
 * combining marks stripped, and a few letters without a decomposition transliterated
 * (`ß`→`ss`, `æ`→`ae`, `œ`→`oe`, `ø`→`o`, `ł`→`l`, `đ`→`d`, `ı`→`i`, `þ`→`th`).
 *
 * `fold('Schürholt') === 'schurholt'`, `fold('Straße') === 'strasse'`.
 * Lower-casing comes first so that e.g. `İ` folds to `i`.
 */
export function fold(s: string): string {
  return stripAccents(s.toLowerCase());
}

/**
 * Whether a UTF-16 code unit is white space as a regular expression's `\s` means it
 * (and `String.prototype.trim`): ASCII tab to carriage return, space, the Unicode space
 * separators, line and paragraph separators, and the BOM.
 */
export function isSpaceCode(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Fold, then keep only `[a-z0-9]`: `asciiSlug('Léo Meynent') === 'leomeynent'`,
 * `asciiSlug('RL4RLA:') === 'rl4rla'`.
 */
export function asciiSlug(s: string): string {
  return fold(s).replace(/[^a-z0-9]+/g, '');
}
