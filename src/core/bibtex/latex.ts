/**
 * LaTeX → Unicode for display: turns BibTeX field text such as `Sch{\"u}rholt`,
 * `{\v S}koda`, `\textit{Deep} {LLM}s` or `$\alpha$-stable` into plain readable text.
 *
 * One pass over the string; accents become combining marks and the result is NFC
 * normalised. Not a TeX interpreter: formatting commands keep their argument text, logos
 * become their names, and unknown commands keep their argument (or their name when they
 * take none), so no word a reader needs is lost.
 */

/** Accent control sequences → combining mark. */
export const ACCENTS: Readonly<Record<string, string>> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
  t: '\u0361',
};

/** Commands that stand for text by themselves (letters, symbols, logos). */
const SYMBOLS: Record<string, string> = {
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł',
  i: 'ı', j: 'ȷ', aa: 'å', AA: 'Å', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ',
  dj: 'đ', DJ: 'Đ',
  textendash: '–', textemdash: '—', emdash: '—', endash: '–', Dash: '—', slash: '/',
  textquoteleft: '‘', textquoteright: '’', textquotedblleft: '“', textquotedblright: '”',
  textquotesingle: "'", textquotedbl: '"', textasciigrave: '`',
  ldots: '…', dots: '…', textellipsis: '…', textbackslash: '\\', textbar: '|',
  textless: '<', textgreater: '>', textasciitilde: '~', textasciicircum: '^', textunderscore: '_',
  textbraceleft: '{', textbraceright: '}',
  textquestiondown: '¿', textexclamdown: '¡', textasciimacron: '¯', textmu: 'µ', textdegree: '°',
  texttimes: '×', textcopyright: '©', copyright: '©', textregistered: '®', texttrademark: '™',
  S: '§', P: '¶', textsection: '§', textparagraph: '¶', pounds: '£', textsterling: '£', euro: '€',
  texteuro: '€', dag: '†', ddag: '‡', textdagger: '†', textdaggerdbl: '‡', textbullet: '•',
  guillemotleft: '«', guillemotright: '»', guillemetleft: '«', guillemetright: '»',
  glqq: '„', grqq: '“', glq: '‚', grq: '‘', flqq: '«', frqq: '»',
  textperiodcentered: '·', textordfeminine: 'ª', textordmasculine: 'º',
  quad: ' ', qquad: ' ', thinspace: ' ', enspace: ' ', space: ' ', nobreakspace: ' ',
  TeX: 'TeX', LaTeX: 'LaTeX', LaTeXe: 'LaTeX2ε', BibTeX: 'BibTeX', AmS: 'AMS', AMS: 'AMS',
  AmSTeX: 'AMS-TeX', AMSTeX: 'AMS-TeX', AmSLaTeX: 'AMS-LaTeX', MF: 'METAFONT', MP: 'MetaPost',
  METAFONT: 'METAFONT', METAPOST: 'MetaPost', ConTeXt: 'ConTeXt', XeTeX: 'XeTeX', XeLaTeX: 'XeLaTeX',
  LuaTeX: 'LuaTeX', LuaLaTeX: 'LuaLaTeX', pdfTeX: 'pdfTeX', pdfLaTeX: 'pdfLaTeX', eTeX: 'ε-TeX',
  SLiTeX: 'SLiTeX', AllTeX: '(La)TeX', TUB: 'TUGboat', POSTSCRIPT: 'PostScript', PS: 'PostScript',
  Thanh: 'Hàn Thế Thành',
};

/** Commands that produce nothing and take no argument (font switches, spacing, TeX primitives). */
const NOTHING = new Set([
  'tt', 'it', 'bf', 'em', 'sl', 'sf', 'rm', 'sc', 'md', 'up', 'normalfont', 'smc', 'small', 'large',
  'Large', 'tiny', 'footnotesize', 'scriptsize', 'normalsize', 'huge', 'Huge', 'relax', 'unskip',
  'protect', 'noindent', 'par', 'newline', 'linebreak', 'nolinebreak', 'allowbreak', 'break',
  'hfill', 'hfil', 'vfill', 'bgroup', 'egroup', 'ignorespaces', 'displaystyle', 'textstyle',
  'scriptstyle', 'left', 'right', 'bigl', 'bigr', 'Bigl', 'Bigr', 'big', 'Big', 'mathstrut', 'strut',
]);

/** Commands whose (first) braced argument is dropped: sort keys, phantoms, hyphenation hints. */
const DROP_ARGUMENT = new Set([
  'noopsort', 'SortNoop', 'sortnoop', 'noop', 'phantom', 'vphantom', 'hphantom', 'hyphenation',
  'footnote', 'label', 'index', 'vspace', 'hspace',
]);

/** Commands followed by a TeX dimension (`\kern-.1em`, `\hskip 2pt`) to drop with them. */
const DIMENSION = new Set(['kern', 'hskip', 'vskip', 'raise', 'lower', 'mkern', 'mskip']);

/** Math-mode commands → Unicode (Greek letters and common operators). */
export const MATH: Readonly<Record<string, string>> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ϵ', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'ϕ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ',
  Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  times: '×', cdot: '·', pm: '±', mp: '∓', div: '÷', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠',
  ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝', infty: '∞', partial: '∂',
  nabla: '∇', sum: '∑', prod: '∏', int: '∫', sqrt: '√', surd: '√', in: '∈', notin: '∉', subset: '⊂',
  subseteq: '⊆', supset: '⊃', cup: '∪', cap: '∩', emptyset: '∅', forall: '∀', exists: '∃',
  neg: '¬', wedge: '∧', land: '∧', vee: '∨', lor: '∨', to: '→', rightarrow: '→', leftarrow: '←',
  Rightarrow: '⇒', Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', mapsto: '↦',
  circ: '∘', bullet: '•', star: '⋆', ast: '∗', langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉',
  lfloor: '⌊', rfloor: '⌋', ell: 'ℓ', hbar: 'ℏ', Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', prime: '′',
  ldots: '…', cdots: '⋯', dots: '…', log: 'log', ln: 'ln', exp: 'exp', sin: 'sin', cos: 'cos',
  tan: 'tan', min: 'min', max: 'max', lim: 'lim', det: 'det', dim: 'dim', ker: 'ker',
  backslash: '\\', mid: '|', vert: '|', colon: ':', lbrace: '{', rbrace: '}',
};

/** Control symbols (`\` + one non-letter) that stand for a character. */
const CONTROL_SYMBOLS: Record<string, string> = {
  '&': '&', '%': '%', $: '$', _: '_', '#': '#', '{': '{', '}': '}', ' ': ' ', '\\': ' ', ',': ' ',
  ';': ' ', ':': ' ', '!': '', '-': '', '/': '', '@': '', '>': ' ', '\n': ' ', '\t': ' ', '\r': ' ',
};

/** Whitespace that needs collapsing: anything but single spaces. */
const MESSY_SPACE = /[\t\n\r\f\v\u00a0]| {2}/;

/** ASCII characters the converter acts on; runs of any others are copied in one slice. */
const SPECIAL = new Uint8Array(128);
for (const ch of '\\{}~$-`\'') SPECIAL[ch.charCodeAt(0)] = 1;

/**
 * True when the text needs no conversion (`latexToUnicode` returns it as it is): no LaTeX
 * special character, no `--`, no backquote, no `''`, and no whitespace but single inner
 * spaces. Most values are plain.
 */
export function isPlainText(s: string): boolean {
  // One regular expression: it reads a substring of a big text (what a reader's values
  // are) several times faster than a loop over `charCodeAt` does.
  return !NOT_PLAIN.test(s);
}

const NOT_PLAIN = /[\\{}~$`\x00-\x1f\xa0]|--|''| {2}|^ | $/;

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Turns BibTeX/LaTeX text into readable Unicode: accents, special letters, dashes, quotes; braces and formatting gone; whitespace collapsed. */
export function latexToUnicode(text: string): string {
  if (isPlainText(text)) return text;
  const conv = new Converter(text);
  conv.run(text.length, false);
  let out = conv.out;
  if (MESSY_SPACE.test(out)) out = out.replace(/\s+/g, ' ');
  out = out.trim();
  return conv.accented ? out.normalize('NFC') : out;
}

/** The single-pass state machine behind {@link latexToUnicode}. */
class Converter {
  out = '';
  accented = false;
  pos = 0;
  constructor(private readonly s: string) {}

  /** Converts from `pos` up to `end` (exclusive); `math` inside `$…$`. */
  run(end: number, math: boolean): void {
    const s = this.s;
    while (this.pos < end) {
      const c = s.charCodeAt(this.pos);
      switch (c) {
        case 92: // backslash
          this.command(end, math);
          break;
        case 123: // {
        case 125: // }
          this.pos++;
          break;
        case 126: // ~
          this.out += ' ';
          this.pos++;
          break;
        case 36: // $
          this.math(end, math);
          break;
        case 45: // -
          this.dash(end, math);
          break;
        case 96: // `
        case 39: // '
          this.quote(c, end);
          break;
        default: {
          let q = this.pos + 1;
          while (q < end && !(s.charCodeAt(q) < 128 && SPECIAL[s.charCodeAt(q)])) q++;
          this.out += s.slice(this.pos, q);
          this.pos = q;
        }
      }
    }
  }

  private dash(end: number, math: boolean): void {
    const s = this.s;
    let n = 1;
    while (n < 3 && this.pos + n < end && s.charCodeAt(this.pos + n) === 45) n++;
    this.pos += n;
    this.out += math ? '−' : n === 1 ? '-' : n === 2 ? '–' : '—';
  }

  /**
   * TeX's quote ligatures: ``` `` ``` → “, `''` → ”, a single `` ` `` → ‘. A single `'` stays
   * an apostrophe (what users type and search for).
   */
  private quote(c: number, end: number): void {
    if (this.pos + 1 < end && this.s.charCodeAt(this.pos + 1) === c) {
      this.out += c === 96 ? '“' : '”';
      this.pos += 2;
    } else {
      this.out += c === 96 ? '‘' : "'";
      this.pos++;
    }
  }

  /** `$…$` or `$$…$$`: the contents with math commands turned into symbols. */
  private math(end: number, inMath: boolean): void {
    const s = this.s;
    if (inMath) {
      this.pos++;
      return;
    }
    let open = 1;
    if (s.charCodeAt(this.pos + 1) === 36) open = 2;
    const close = s.indexOf(open === 2 ? '$$' : '$', this.pos + open);
    if (close < 0 || close >= end) {
      this.pos += open;
      return;
    }
    this.pos += open;
    this.run(close, true);
    this.pos = close + open;
  }

  private command(end: number, math: boolean): void {
    const s = this.s;
    const start = this.pos + 1;
    if (start >= end) {
      this.pos = end;
      return;
    }
    let p = start;
    if (isLetter(s.charCodeAt(p))) {
      while (p < end && isLetter(s.charCodeAt(p))) p++;
    } else {
      p++;
    }
    const name = s.slice(start, p);
    this.pos = p;
    const accent = ACCENTS[name];
    if (accent !== undefined) {
      this.accent(accent, end, math);
      return;
    }
    if (!isLetter(name.charCodeAt(0))) {
      this.out += CONTROL_SYMBOLS[name] ?? name;
      return;
    }
    // As in TeX, blanks after a control word are swallowed in text (`\TeX book` is
    // "TeXbook"); in math, where TeX ignores spaces anyway, they are kept for readability.
    if (!math) this.skipBlanks(end);
    const sym = (math ? MATH[name] : undefined) ?? SYMBOLS[name];
    if (sym !== undefined) {
      this.out += sym;
      return;
    }
    if (NOTHING.has(name)) return;
    if (DIMENSION.has(name)) {
      this.skipDimension(end);
      return;
    }
    if (name === 'verb' || name === 'path') {
      this.verbatim(end);
      return;
    }
    if (DROP_ARGUMENT.has(name)) {
      this.skipGroup(end);
      return;
    }
    // A braced argument is converted by the main loop (braces dropped); with none, the
    // command's name is the most readable stand-in (`\TUG` → `TUG`).
    if (s.charCodeAt(this.pos) !== 123) this.out += MATH[name] ?? (math ? '' : name);
  }

  /** Applies a combining accent to the next character, `{…}` group's first character, or `\i`-style command. */
  private accent(mark: string, end: number, math: boolean): void {
    const s = this.s;
    this.skipBlanks(end);
    if (this.pos >= end) return;
    const c = s.charCodeAt(this.pos);
    const before = this.out.length;
    if (c === 123) {
      const close = matchingBrace(s, this.pos, end);
      this.pos++;
      this.run(close, math);
      this.pos = Math.min(close + 1, end);
    } else if (c === 92) {
      this.command(end, math);
    } else {
      this.out += s[this.pos++];
    }
    const base = this.out.slice(before);
    if (base.length === 0) {
      this.out += spacingAccent(mark);
      return;
    }
    // The mark goes after the first letter and any marks it already has (`\'{\^e}` is ế).
    const first = /^.\p{M}*/su.exec(base)![0];
    const letter = first[0] === 'ı' ? 'i' : first[0] === 'ȷ' ? 'j' : first[0]; // `\'\i` is í
    this.out = this.out.slice(0, before) + letter + first.slice(1) + mark + base.slice(first.length);
    this.accented = true;
  }

  private skipBlanks(end: number): void {
    const s = this.s;
    while (this.pos < end) {
      const c = s.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  /** Skips a `{…}` group at `pos` (after blanks), if there is one. */
  private skipGroup(end: number): void {
    this.skipBlanks(end);
    if (this.s.charCodeAt(this.pos) === 123) this.pos = Math.min(matchingBrace(this.s, this.pos, end) + 1, end);
  }

  /** Skips a TeX dimension such as `-.1em`, `2pt` or `{0.5ex}`. */
  private skipDimension(end: number): void {
    const s = this.s;
    if (s.charCodeAt(this.pos) === 123) {
      this.skipGroup(end);
      return;
    }
    while (this.pos < end && /[-+.\d]/.test(s[this.pos])) this.pos++;
    this.skipBlanks(end);
    const unit = /^(?:pt|em|ex|mu|bp|cm|mm|in|pc|dd|cc|sp)/.exec(s.slice(this.pos, this.pos + 2));
    if (unit) {
      this.pos += 2;
      if (s.charCodeAt(this.pos) === 32) this.pos++; // TeX's optional space after a unit
    }
  }

  /** `\verb|…|` / `\path|…|` (or `\path{…}`): the contents literally. */
  private verbatim(end: number): void {
    const s = this.s;
    if (this.pos >= end) return;
    const delim = s[this.pos];
    const closer = delim === '{' ? '}' : delim;
    const close = s.indexOf(closer, this.pos + 1);
    if (close < 0 || close >= end) return;
    this.out += s.slice(this.pos + 1, close);
    this.pos = close + 1;
  }
}

/** Position of the `}` matching the `{` at `open`, or `end` when unbalanced. */
function matchingBrace(s: string, open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
    else if (c === 92) i++;
  }
  return end;
}

/** The spacing form of an accent with nothing to sit on (e.g. `\^{}` → `^`). */
function spacingAccent(mark: string): string {
  switch (mark) {
    case '\u0302':
      return '^';
    case '\u0303':
      return '~';
    case '\u0301':
      return '´';
    case '\u0300':
      return '`';
    case '\u0308':
      return '¨';
    default:
      return '';
  }
}
