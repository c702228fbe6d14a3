import * as vscode from 'vscode';
import type { Paper } from '../core/model';
import { authorList, formatDate } from '../core/format';

function escapeMdLabel(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
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
  md.appendText(p.title);
  md.appendMarkdown('**\n\n');
  md.appendText(authorList(p) || 'Unknown authors');
  const category = p.category ? `${p.category.name ?? p.category.code}${p.category.archive ? ` (${p.category.archive})` : ''}` : '';
  md.appendMarkdown('\n\n');
  md.appendText([formatDate(p), category, p.key].filter(Boolean).join(' · '));
  if (p.abstract) {
    md.appendMarkdown('\n\n');
    md.appendText(p.abstract.length > abstractChars ? `${p.abstract.slice(0, abstractChars).trimEnd()}…` : p.abstract);
  }
  const links: string[] = [];
  if (p.codeUrl && /^https?:\/\//i.test(p.codeUrl)) links.push(`$(file-code) [${escapeMdLabel(p.codeUrl)}](${encodeMdUrl(p.codeUrl)})`);
  if (opts.detailsLink) {
    links.push(`[$(info) Show details](command:paperShelf.showDetails?${encodeURIComponent(JSON.stringify([p.key]))})`);
    md.isTrusted = { enabledCommands: ['paperShelf.showDetails'] };
  }
  if (links.length) md.appendMarkdown(`\n\n${links.join(' · ')}`);
  return md;
}
