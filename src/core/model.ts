/**
 * The record model shared by every reader, the CLI, the extension and the webview.
 *
 * Pure TypeScript: this folder never imports `vscode` (enforced by ESLint and by
 * unit tests that load it in plain Node).
 */
import { z } from 'zod';

/** Characters allowed in a citation key: safe inside `\cite{}` and Pandoc `[@…]`. */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_:.\-+/]*$/;

export const AuthorSchema = z.object({
  given: z.string(),
  family: z.string().min(1),
});
export type Author = z.infer<typeof AuthorSchema>;

export const CategorySchema = z.object({
  /** The code as written in the listing, e.g. `LG`. */
  code: z.string().min(1),
  /** The arXiv archive, e.g. `cs.LG` or `stat.ML`; null when the code is not one we know. */
  archive: z.string().nullable(),
  /** A readable name, e.g. `Machine Learning`; null when unknown. */
  name: z.string().nullable(),
});
export type Category = z.infer<typeof CategorySchema>;

export const SourceRefSchema = z.object({
  /** Path or URI string of the file the record came from. */
  file: z.string(),
  /** 1-based line of the record's first line. */
  line: z.number().int().min(1),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

/** Only http(s) URLs are ever kept as links or opened. */
export const HttpUrlSchema = z
  .string()
  .refine((s) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(s), { message: 'must be an http(s) URL' });

/**
 * The public shape of a paper. The CLI's JSON output is exactly these fields, in this
 * order: keep the names stable (documented in README.md, "CLI").
 */
export const PaperSchema = z.object({
  key: z.string().regex(KEY_PATTERN, 'citation key contains characters unsafe in \\cite{} or [@…]'),
  title: z.string().min(1),
  authors: z.array(AuthorSchema),
  authorsTruncated: z.boolean(),
  year: z.number().int().nullable(),
  month: z.number().int().min(1).max(12).nullable(),
  day: z.number().int().min(1).max(31).nullable(),
  category: CategorySchema.nullable(),
  abstract: z.string(),
  hasCode: z.boolean(),
  codeUrl: HttpUrlSchema.nullable(),
  source: SourceRefSchema,
});
export type PaperFields = z.infer<typeof PaperSchema>;

/** The public field names, in output order. */
export const PUBLIC_FIELDS = Object.keys(PaperSchema.shape) as (keyof PaperFields)[];

/**
 * Extra data a reader may attach (not part of the CLI's JSON). A BibTeX entry keeps its
 * type and fields (already turned into Unicode for display) so it can be written back.
 */
export interface PaperExtra {
  /** BibTeX entry type in lower case, e.g. `article`; absent for listing records. */
  entryType?: string;
  /** Other fields (lower-case names → display values), e.g. `journal`, `doi`, `url`. */
  fields?: Record<string, string>;
  doi?: string;
  arxivId?: string;
  /** Further sources holding the same paper (after de-duplication). */
  alsoIn?: SourceRef[];
}

export interface Paper extends PaperFields {
  extra?: PaperExtra;
}

/** A problem found while reading user data: names the file and line. */
export interface Diagnostic {
  /** 1-based line. */
  line: number;
  /** 1-based column, when known. */
  column?: number;
  message: string;
  severity?: 'error' | 'warning';
}

/** What a reader returns: the records it could read and the problems it found. */
export interface ReadResult {
  papers: Paper[];
  diagnostics: Diagnostic[];
}

/** Project a paper onto exactly the public fields (for the CLI's JSON). */
export function toPublicJson(p: Paper): PaperFields {
  const out: Record<string, unknown> = {};
  for (const f of PUBLIC_FIELDS) out[f] = p[f];
  return out as PaperFields;
}

/**
 * Turn zod issues from user data into readable one-line messages, e.g.
 * `codeUrl: must be an http(s) URL`.
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
