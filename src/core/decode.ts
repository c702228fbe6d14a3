/**
 * Turning a source file's bytes into text, or a clear reason why it is not text.
 *
 * Users' bibliographies come in UTF-8 (with or without a byte-order mark), now and then
 * UTF-16 (Windows tools) or Latin-1 / Windows-1252 (old BibTeX files). Each is read as
 * what it is, with a note when it is not plain UTF-8; a binary file (a PDF, an image
 * picked by a glob) is refused instead of producing thousands of parse errors.
 */

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type Decoded =
  | {
      ok: true;
      text: string;
      encoding: SourceEncoding;
      /** What the user should know about how the file was read, with the line it concerns. */
      notes: { line: number; message: string }[];
    }
  | { ok: false; problem: string };

/** How far into a file we look for NUL bytes and UTF-16 patterns. */
const SNIFF_BYTES = 8192;

/** Decode a source file's bytes. Never throws. */
export function decodeSource(bytes: Uint8Array): Decoded {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const utf8 = decodeUtf8(bytes.subarray(3));
    if (utf8 !== undefined) return { ok: true, text: utf8, encoding: 'utf-8-bom', notes: [] };
    return latin1Fallback(bytes.subarray(3));
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes.subarray(2), 'utf-16le', 'it starts with a UTF-16 byte-order mark');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes.subarray(2), 'utf-16be', 'it starts with a UTF-16 byte-order mark');
  const sniffed = sniffUtf16(bytes);
  if (sniffed) return utf16(bytes, sniffed, 'every other byte is zero');
  const nul = bytes.subarray(0, SNIFF_BYTES).indexOf(0);
  if (nul >= 0) {
    return { ok: false, problem: `this is not a text file (it holds a NUL byte at offset ${nul}, as binary files such as PDFs and images do); nothing was read from it` };
  }
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== undefined) return { ok: true, text: utf8, encoding: 'utf-8', notes: [] };
  return latin1Fallback(bytes);
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Not valid UTF-8: read as Windows-1252 (a superset of Latin-1 for text) and say where UTF-8 broke. */
function latin1Fallback(bytes: Uint8Array): Decoded {
  const at = firstInvalidUtf8(bytes);
  const line = lineAt(bytes, at);
  return {
    ok: true,
    text: decodeWindows1252(bytes),
    encoding: 'windows-1252',
    notes: [
      {
        line,
        message: `this file is not valid UTF-8 (byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} on line ${line}); it was read as Latin-1 (Windows-1252). Check accented names; saving the file as UTF-8 avoids the guess.`,
      },
    ],
  };
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', why: string): Decoded {
  const even = bytes.length - (bytes.length % 2);
  const units = new Uint16Array(even / 2);
  for (let i = 0, j = 0; i < even; i += 2, j++) {
    units[j] = encoding === 'utf-16le' ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1];
  }
  // Chunked: String.fromCharCode.apply has an argument-count limit.
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += 8192) parts.push(String.fromCharCode(...units.subarray(i, i + 8192)));
  const text = parts.join('');
  if (text.includes('\0')) {
    return { ok: false, problem: `this file looks like UTF-16 (${why}) but holds NUL characters, so it is not text; nothing was read from it` };
  }
  return {
    ok: true,
    text,
    encoding,
    notes: [{ line: 1, message: `this file is UTF-16 (${why}); it was read, but Paper Shelf only appends citations to UTF-8 files` }],
  };
}

/** UTF-16 without a byte-order mark: in ASCII-heavy text one byte of each pair is zero. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd > pairs * 0.6 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.6 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return undefined;
}

const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  // Some runtimes (Node among them) decode the 'windows-1252' label as plain Latin-1, so
  // the 0x80–0x9F block (curly quotes, dashes, €) is mapped here.
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Offset of the first byte that breaks UTF-8 (the caller knows there is one). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
