/**
 * Messages between the extension host and the detail panel's webview, defined once.
 * Both sides `safeParse` every message they receive and drop (and log) what fails.
 */
import * as z from 'zod/mini';

const Link = z.object({ label: z.string(), url: z.string() });

/** What the panel shows: every field already formatted for display, as plain text. */
export const PaperViewSchema = z.object({
  key: z.string(),
  title: z.string(),
  authors: z.array(z.string()),
  authorsTruncated: z.boolean(),
  /** e.g. `20 May 2026`, `2024`, or empty. */
  date: z.string(),
  category: z.nullable(z.object({ code: z.string(), archive: z.nullable(z.string()), name: z.nullable(z.string()) })),
  abstract: z.string(),
  bibtex: z.string(),
  hasCode: z.boolean(),
  codeUrl: z.nullable(z.string()),
  /** Further links (DOI, arXiv, URL), http(s) only. */
  links: z.array(Link),
  /** `file:line` of the record, for the Reveal in Source action. */
  sourceLabel: z.string(),
});
export type PaperView = z.infer<typeof PaperViewSchema>;

/** Host → webview. */
export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), paper: PaperViewSchema }),
  z.object({ type: z.literal('missing'), key: z.string() }),
  z.object({ type: z.literal('flash'), text: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

const Key = z.string().check(z.minLength(1), z.maxLength(500));

/** Webview → host. */
export const WebviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), key: z.nullable(Key) }),
  z.object({ type: z.literal('copyKey'), key: Key }),
  z.object({ type: z.literal('copyBibtex'), key: Key }),
  z.object({ type: z.literal('insertCitation'), key: Key }),
  z.object({ type: z.literal('openCode'), key: Key }),
  z.object({ type: z.literal('searchCode'), key: Key }),
  z.object({ type: z.literal('revealInSource'), key: Key }),
  z.object({ type: z.literal('openLink'), key: Key, url: z.string().check(z.maxLength(4000)) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** State the webview keeps through `setState` so a reload can restore it. */
export const PanelStateSchema = z.object({ key: z.nullable(z.string()) });
export type PanelState = z.infer<typeof PanelStateSchema>;
