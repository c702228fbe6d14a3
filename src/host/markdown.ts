import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { authorList, formatDate } from '../core/format';

/**
 * VS Code turns `$(name)` into an icon anywhere in the rendered HTML, attributes included,
 * after decoding a link's percent-escapes: a link to a URL holding `$(` would come out as
 * broken markup. Such a URL is shown as text instead.
 */
const ICON_SYNTAX = /\$\(/;

/**
 * A link label, or a URL shown as text, escaped as text: `:` so that no autolink forms;
 * parentheses stay bare, so that a theme icon's escape (`\$(zap)`) reaches the renderer
 * whole and shows as text, not as an icon.
 */
function escapeMdLabel(s: string): string {
  return s.replace(/[\\`*_{}[\]#+\-.!|<>&$:]/g, '\\$&');
}

/**
 * Appends record text as text. `appendText` escapes Markdown syntax but leaves `&` and `<`
 * alone, so `&lt;` in a record would show as `<`, and `<javascript:…>` or `<https://…>`
 * would become a link: both go in as character references.
 */
function appendLiteral(md: vscode.MarkdownString, text: string): void {
  md.appendText(text.replace(/[&<]/g, (c) => (c === '&' ? '&amp;' : '&lt;')));
}

function encodeMdUrl(u: string): string {
  return u.replace(/[()\s<>]/g, (c) => encodeURIComponent(c));
}

/**
 * A paper as Markdown, for the tree's tooltips, hovers, completion documentation and
 * the Cited view: title, all authors, date, category, key, the start of the abstract
 * and the code link. Record fields go in as text (escaped), never as Markdown. With
 * `detailsLink`, a link that opens the detail panel (the only command it may run).
 */
export function paperMarkdown(p: Paper, opts: { detailsLink?: boolean; abstractChars?: number } = {}): vscode.MarkdownString {
  const abstractChars = opts.abstractChars ?? 400;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**');
  appendLiteral(md, p.title);
  md.appendMarkdown('**\n\n');
  appendLiteral(md, authorList(p) || 'Unknown authors');
  const category = p.category ? `${p.category.name ?? p.category.code}${p.category.archive ? ` (${p.category.archive})` : ''}` : '';
  md.appendMarkdown('\n\n');
  appendLiteral(md, [formatDate(p), category, p.key].filter(Boolean).join(' · '));
  if (p.abstract) {
    md.appendMarkdown('\n\n');
    appendLiteral(md, p.abstract.length > abstractChars ? `${p.abstract.slice(0, abstractChars).trimEnd()}…` : p.abstract);
  }
  const links: string[] = [];
  if (p.codeUrl && /^https?:\/\//i.test(p.codeUrl)) {
    const label = escapeMdLabel(p.codeUrl);
    links.push(`$(file-code) ${ICON_SYNTAX.test(p.codeUrl) ? label : `[${label}](${encodeMdUrl(p.codeUrl)})`}`);
  }
  if (opts.detailsLink) {
    links.push(`[$(info) Show details](command:paperShelf.showDetails?${encodeURIComponent(JSON.stringify([p.key]))})`);
    md.isTrusted = { enabledCommands: ['paperShelf.showDetails'] };
  }
  if (links.length) md.appendMarkdown(`\n\n${links.join(' · ')}`);
  return md;
}
