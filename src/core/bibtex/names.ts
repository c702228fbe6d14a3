/**
 * BibTeX name lists, following BibTeX's own rules (Patashnik, "Designing BibTeX styles"):
 * names are separated by the word `and` outside braces; each name is `First von Last`,
 * `von Last, First` or `von Last, Jr, First`; `von` words are those starting with a
 * lower-case letter; a braced group such as `{Barnes and Noble, Inc.}` is one word; a
 * final `and others` marks a truncated list. Works on raw (LaTeX) text; the caller turns
 * the parts into Unicode.
 */

/** One name split into BibTeX's four parts (raw LaTeX text, possibly empty). */
export interface NameParts {
  first: string;
  von: string;
  last: string;
  jr: string;
}

export interface NameList {
  names: NameParts[];
  /** True when the list ends with `and others`. */
  others: boolean;
}

/** Splits a raw `author`/`editor` value into names. Linear in the length of the value. */
export function parseNameList(value: string): NameList {
  const names: NameParts[] = [];
  let others = false;
  for (const raw of splitOnAnd(value)) {
    const words = splitWords(raw);
    if (words.length === 0) continue;
    if (words.length === 1 && words[0].text === 'others' && words[0].commasBefore === 0) {
      others = true;
      continue;
    }
    names.push(splitName(words));
  }
  return { names, others };
}

/** A word of a name and the number of commas (outside braces) that precede it in the name. */
interface Word {
  text: string;
  commasBefore: number;
}

/** Splits at ` and ` (any case) outside braces. */
function splitOnAnd(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    else if (depth === 0 && isBlank(c) && i + 4 < n && isAnd(value, i + 1) && isBlank(value.charCodeAt(i + 4))) {
      parts.push(value.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

function isAnd(s: string, i: number): boolean {
  return (s.charCodeAt(i) | 32) === 97 && (s.charCodeAt(i + 1) | 32) === 110 && (s.charCodeAt(i + 2) | 32) === 100;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 126; // `~` ties words too
}

/** Splits one name into words at blanks and commas outside braces. */
function splitWords(name: string): Word[] {
  const words: Word[] = [];
  let depth = 0;
  let commas = 0;
  let start = -1;
  const n = name.length;
  const flush = (end: number): void => {
    if (start >= 0) words.push({ text: name.slice(start, end), commasBefore: commas });
    start = -1;
  };
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (depth === 0 && (isBlank(c) || c === 44)) {
      flush(i);
      if (c === 44) commas++;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125) depth = Math.max(0, depth - 1);
    if (start < 0) start = i;
  }
  flush(n);
  return words;
}

/**
 * The case of a word as BibTeX sees it: the first letter at brace depth 0, or, for a
 * group opening with a control sequence (`{\"u}ber`), the first letter after it. A group
 * without one (`{Van} Damme`) counts as upper case. 'none' when there is no letter.
 */
function wordCase(word: string): 'lower' | 'upper' | 'none' {
  const n = word.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = word.charCodeAt(i);
    if (c === 123) {
      if (depth === 0 && word.charCodeAt(i + 1) === 92) return specialCharCase(word, i + 2);
      depth++;
    } else if (c === 125) {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      if (c >= 97 && c <= 122) return 'lower';
      if (c >= 65 && c <= 90) return 'upper';
      if (c > 127) {
        const ch = word[i];
        if (ch.toLowerCase() !== ch.toUpperCase()) return ch === ch.toLowerCase() ? 'lower' : 'upper';
      }
    } else if (depth > 0) {
      return 'upper';
    }
  }
  return 'none';
}

/** Case of a BibTeX "special character" `{\cmd x}`: the letter after the command (`\ss` counts as lower). */
function specialCharCase(word: string, i: number): 'lower' | 'upper' {
  const n = word.length;
  let j = i;
  while (j < n && /[A-Za-z]/.test(word[j])) j++;
  const name = word.slice(i, j);
  if (/^(?:ss|o|O|ae|AE|oe|OE|l|L|i|j|aa|AA)$/.test(name)) {
    return name[0] === name[0].toLowerCase() ? 'lower' : 'upper';
  }
  for (let k = j === i ? i + 1 : j; k < n; k++) {
    const c = word.charCodeAt(k);
    if (c >= 97 && c <= 122) return 'lower';
    if (c >= 65 && c <= 90) return 'upper';
    if (c === 125) break;
  }
  return 'upper';
}

function join(words: Word[]): string {
  return words.map((w) => w.text).join(' ');
}

/** Assigns the words of one name to First, von, Last and Jr. */
function splitName(words: Word[]): NameParts {
  const commas = words[words.length - 1].commasBefore;
  if (commas === 0) return splitFirstVonLast(words);
  const part = (k: number): Word[] => words.filter((w) => w.commasBefore === k);
  const vonLast = part(0);
  // `von Last, First` or `von Last, Jr, First`; extra commas are folded into First.
  const jr = commas >= 2 ? join(part(1)) : '';
  const first = join(words.filter((w) => w.commasBefore >= (commas >= 2 ? 2 : 1)));
  const { von, last } = splitVonLast(vonLast);
  return { first, von, last, jr };
}

/** `First von Last`: von is the run from the first to the last lower-case word before the final word. */
function splitFirstVonLast(words: Word[]): NameParts {
  const n = words.length;
  let vonStart = -1;
  let vonEnd = -1;
  for (let i = 0; i < n - 1; i++) {
    if (wordCase(words[i].text) === 'lower') {
      if (vonStart < 0) vonStart = i;
      vonEnd = i;
    }
  }
  if (vonStart < 0) return { first: join(words.slice(0, n - 1)), von: '', last: words[n - 1].text, jr: '' };
  return {
    first: join(words.slice(0, vonStart)),
    von: join(words.slice(vonStart, vonEnd + 1)),
    last: join(words.slice(vonEnd + 1)),
    jr: '',
  };
}

/** `von Last` before a comma: von is the leading run ending at the last lower-case word (the final word is always Last). */
function splitVonLast(words: Word[]): { von: string; last: string } {
  let vonEnd = -1;
  for (let i = 0; i < words.length - 1; i++) {
    if (wordCase(words[i].text) === 'lower') vonEnd = i;
  }
  return { von: join(words.slice(0, vonEnd + 1)), last: join(words.slice(vonEnd + 1)) };
}
