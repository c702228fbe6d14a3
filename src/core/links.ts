/**
 * Which links Paper Shelf opens. Only http(s) URLs are ever opened; known code hosts
 * open directly, other hosts only after the user saw the full address.
 */

/** Hosts (and their subdomains) that serve code repositories. */
export const CODE_HOSTS: readonly string[] = [
  'github.com',
  'gitlab.com',
  'bitbucket.org',
  'codeberg.org',
  'huggingface.co',
  'sr.ht',
  'git.sr.ht',
  'sourceforge.net',
  'gitee.com',
  'zenodo.org',
  'kaggle.com',
  'paperswithcode.com',
  'colab.research.google.com',
];

/** Code hosts that are source forges: a repository there is the code itself. */
const FORGES: readonly string[] = ['github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'sr.ht', 'sourceforge.net', 'gitee.com'];

/** Pages on code hosts that hold data or contests, not code. */
const NOT_CODE_PATH = /^https?:\/\/[^/]+\/(?:datasets|competitions)\//i;

/**
 * How good a code link an http(s) URL on `host` is: 2 for a repository on a source forge,
 * 1 for another code host (a model, a notebook, an archive), 0 for anything else,
 * including a dataset or a competition on a code host. An abstract linking a dataset on
 * Hugging Face and its code on GitHub has GitHub as its code.
 */
export function codeLinkRank(url: string, host: string): 0 | 1 | 2 {
  if (hostIn(FORGES, host)) return 2;
  return isCodeHost(host) && !NOT_CODE_PATH.test(url) ? 1 : 0;
}

/** Whether `host` is one of `hosts` or a subdomain of one (any case, trailing dot allowed). */
function hostIn(hosts: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return hosts.some((c) => h === c || h.endsWith(`.${c}`));
}

export type UrlVerdict =
  | { kind: 'codeHost'; url: string; host: string }
  | { kind: 'unknownHost'; url: string; host: string }
  | { kind: 'refused'; reason: string };

/** Longest address we open: real repository links are far shorter. */
const MAX_URL_LENGTH = 2048;

/**
 * Characters that have no place in an address a user is meant to read: C0/C1 controls,
 * spaces, DEL, zero-width and bidirectional-override characters (they can make the
 * shown text differ from where the link goes). The URL parser silently drops tabs and
 * newlines, so `https://git<TAB>hub.com` would otherwise open github.com.
 */
const HIDDEN_OR_CONTROL = /[\u0000-\u0020\u007f-\u00a0\u00ad\u115f\u1160\u180e\u200b-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff]/;

type Parsed = { ok: true; url: URL } | { ok: false; reason: string };

/** Parse an address we might open, or say why we never would. */
function parseOpenable(raw: string): Parsed {
  const url = raw.trim();
  if (url.length > MAX_URL_LENGTH) return { ok: false, reason: `the address is longer than ${MAX_URL_LENGTH} characters` };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (!scheme || !/^https?$/i.test(scheme)) {
    return { ok: false, reason: scheme ? `the ${scheme}: scheme is not http(s)` : 'not an http(s) URL' };
  }
  if (HIDDEN_OR_CONTROL.test(url)) return { ok: false, reason: 'the address holds control, space or invisible characters' };
  if (url.includes('\\')) return { ok: false, reason: 'the address holds a backslash, which browsers read as a slash' };
  if (!/^https?:\/\/[^/]/i.test(url)) return { ok: false, reason: 'not an http(s) URL with a host' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'not a well-formed URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, reason: `the ${parsed.protocol} scheme is not http(s)` };
  if (parsed.username || parsed.password || /^https?:\/\/[^/?#]*@/i.test(url)) {
    return { ok: false, reason: 'the address has a user name before "@", which hides the real host' };
  }
  if (!parsed.hostname) return { ok: false, reason: 'the address has no host' };
  return { ok: true, url: parsed };
}

/**
 * The host of a URL if it is one we would open: well-formed http(s), no credentials, no
 * hidden characters. Lower case, internationalised names in their `xn--` form.
 */
export function httpHost(raw: string): string | undefined {
  const p = parseOpenable(raw);
  return p.ok ? p.url.hostname.toLowerCase() : undefined;
}

export function isCodeHost(host: string): boolean {
  return hostIn(CODE_HOSTS, host);
}

/**
 * What to do with a link from a record. Allowed links come back normalised (the URL
 * parser's `href`), so what the user is shown is exactly what opens. A known code host
 * counts only when written in plain ASCII (no look-alike characters that the parser
 * maps onto ASCII) on the default port.
 */
export function classifyCodeUrl(raw: string): UrlVerdict {
  const p = parseOpenable(raw);
  if (!p.ok) return { kind: 'refused', reason: p.reason };
  const host = p.url.hostname.toLowerCase();
  const authority = /^https?:\/\/([^/?#]*)/i.exec(raw.trim())?.[1] ?? '';
  const plainAscii = /^[\x21-\x7e]*$/.test(authority) && !/%/.test(authority);
  const known = plainAscii && p.url.port === '' && isCodeHost(host);
  return { kind: known ? 'codeHost' : 'unknownHost', url: p.url.href, host };
}

/** A GitHub repository search for a paper's title. */
export function githubSearchUrl(title: string): string {
  return `https://github.com/search?q=${encodeURIComponent(title)}&type=repositories`;
}

/** A DOI resolver's prefix: `https://doi.org/`, `http://dx.doi.org/`, `https://www.doi.org/`, `doi:`. */
const DOI_PREFIX = /^(?:https?:\/\/(?:(?:dx|www)\.)?doi\.org\/|doi:\s*)/i;

/**
 * A DOI as written in a record, without its resolver prefix; a resolver URL's
 * percent-encoding is decoded (`10.1002/%28SICI%29…` is `10.1002/(SICI)…`).
 */
export function bareDoi(doi: string): string {
  const trimmed = doi.trim();
  const prefix = DOI_PREFIX.exec(trimmed)?.[0];
  if (prefix === undefined) return trimmed;
  const rest = trimmed.slice(prefix.length);
  if (!prefix.includes('/') || !rest.includes('%')) return rest;
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}
