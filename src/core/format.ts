/** Display formatting shared by the tree, the panel, hovers and completion. */
import type { Author, Paper } from './model';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `20 May 2026`, `May 2026`, `2026`, or '' when the paper has no date. */
export function formatDate(p: Pick<Paper, 'year' | 'month' | 'day'>): string {
  if (p.year === null) return '';
  if (p.month === null) return String(p.year);
  const month = MONTHS[p.month - 1];
  return p.day !== null ? `${p.day} ${month} ${p.year}` : `${month} ${p.year}`;
}

/** `Given Family`, or just the family name. */
export function authorName(a: Author): string {
  return a.given ? `${a.given} ${a.family}` : a.family;
}

/** All authors, comma-separated, with `et al.` when the list was cut. */
export function authorList(p: Pick<Paper, 'authors' | 'authorsTruncated'>): string {
  const names = p.authors.map(authorName).join(', ');
  return p.authorsTruncated ? (names ? `${names}, et al.` : 'et al.') : names;
}
