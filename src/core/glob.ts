/**
 * Globs as `paperShelf.sources` writes them, matched by Paper Shelf itself where VS Code's
 * `findFiles` does not reach (absolute and `~/` globs: it searches workspace folders only).
 * `*` and `?` within a path segment, `**` across segments, `{a,b}` alternatives, `[abc]`
 * and `[!abc]` classes; paths use `/`.
 */

const GLOB_CHARS = /[*?[\]{}]/;

/** Whether a `paperShelf.sources` entry is a glob. */
export function isGlob(entry: string): boolean {
  return GLOB_CHARS.test(entry);
}

/** The directory a glob starts from (no glob character in it) and the pattern below it. */
export function splitGlob(glob: string): { base: string; pattern: string } {
  const g = glob.replace(/\\/g, '/');
  const first = g.search(GLOB_CHARS);
  if (first < 0) return { base: g, pattern: '' };
  const slash = g.lastIndexOf('/', first);
  if (slash < 0) return { base: '', pattern: g };
  return { base: g.slice(0, slash) || '/', pattern: g.slice(slash + 1) };
}

/**
 * A regular expression matching a whole `/`-separated relative path against `pattern`;
 * throws with a readable message when the pattern is malformed (an unclosed `{`).
 */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] !== '*') {
        re += '[^/]*';
      } else if (pattern[i + 2] === '/') {
        re += '(?:.*/)?'; // `**/`: any number of directories, none included
        i += 2;
      } else {
        re += '.*';
        i++;
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) {
      re += '|';
    } else if (c === '[' && pattern.indexOf(']', i + 2) > i) {
      const close = pattern.indexOf(']', i + 2);
      const inside = pattern.slice(i + 1, close).replace(/[\\\]^]/g, '\\$&');
      re += inside.startsWith('!') ? `[^/${inside.slice(1)}]` : `[${inside}]`;
      i = close;
    } else {
      re += c.replace(/[.+^$()|\\[\]{}]/g, '\\$&');
    }
  }
  if (braces > 0) throw new Error(`"${pattern}" has a "{" that is not closed`);
  return new RegExp(`^${re}$`);
}

/** How many directory levels below its base a pattern can reach (Infinity with `**`). */
export function globDepth(pattern: string): number {
  return pattern.includes('**') ? Infinity : pattern.split('/').length;
}
