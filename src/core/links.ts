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

export type UrlVerdict =
  | { kind: 'codeHost'; url: string; host: string }
  | { kind: 'unknownHost'; url: string; host: string }
  | { kind: 'refused'; reason: string };

/** The host of a URL if it is a well-formed http(s) URL with credentials-free authority. */
export function httpHost(raw: string): string | undefined {
  const url = raw.trim();
  if (!/^https?:\/\//i.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  if (parsed.username || parsed.password || !parsed.hostname) return undefined;
  return parsed.hostname.toLowerCase();
}

export function isCodeHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return CODE_HOSTS.some((c) => h === c || h.endsWith(`.${c}`));
}

export function classifyCodeUrl(raw: string): UrlVerdict {
  const url = raw.trim();
  const host = httpHost(url);
  if (host === undefined) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    return { kind: 'refused', reason: scheme ? `the ${scheme}: scheme is not http(s)` : 'not an http(s) URL' };
  }
  return isCodeHost(host) ? { kind: 'codeHost', url, host } : { kind: 'unknownHost', url, host };
}

/** A GitHub repository search for a paper's title. */
export function githubSearchUrl(title: string): string {
  return `https://github.com/search?q=${encodeURIComponent(title)}&type=repositories`;
}
