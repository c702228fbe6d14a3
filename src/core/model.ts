/**
 * The record model shared by every reader, the CLI, the extension and the webview.
 *
 * Pure TypeScript: this folder never imports `vscode` (enforced by ESLint and by
 * unit tests that load it in plain Node).
 */
// zod/mini: the same validation as zod with a tree-shakable API, so the bundles stay
// small (zod's classic API alone is ~280 KB minified; this is ~20 KB).
import * as z from 'zod/mini';

/**
 * Characters allowed in a citation key: all work inside `\cite{}`, and Pandoc reads
 * every one of them in the `[@{key}]` form (plain `@key` where it can). Real files use
 * `'`, `?` and `*` (`O'Hara_1999`, `CorneilOS??`, `IJCAI01*425`), so they stay.
 */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_:.\-+/'?*]*$/;

/** What {@link PaperSchema} says of a key that breaks {@link KEY_PATTERN}. */
const KEY_MESSAGE = 'citation key contains characters unsafe in \\cite{} or [@…]';

const nonEmpty = (what: string) => z.string().check(z.minLength(1, `${what} is empty`));

export const AuthorSchema = z.object({
  given: z.string(),
  family: nonEmpty('family name'),
});
export type Author = z.infer<typeof AuthorSchema>;

export const CategorySchema = z.object({
  /** The code as written in the listing, e.g. `LG`. */
  code: nonEmpty('category code'),
  /** The arXiv archive, e.g. `cs.LG` or `stat.ML`; null when the code is not one we know. */
  archive: z.nullable(z.string()),
  /** A readable name, e.g. `Machine Learning`; null when unknown. */
  name: z.nullable(z.string()),
});
export type Category = z.infer<typeof CategorySchema>;

export const SourceRefSchema = z.object({
  /** Path or URI string of the file the record came from. */
  file: z.string(),
  /** 1-based line of the record's first line. */
  line: z.int().check(z.minimum(1, 'line must be 1 or more')),
});
export type SourceRef = z.infer<typeof SourceRefSchema>;

const HTTP_URL = /^https?:\/\/[^\s/$.?#][^\s]*$/i;

/** Whether {@link HttpUrlSchema} accepts a string (without zod's cost, for readers checking every URL they find). */
export function isHttpUrl(s: string): boolean {
  return HTTP_URL.test(s);
}

/** Only http(s) URLs are ever kept as links or opened. */
export const HttpUrlSchema = z.string().check(z.refine(isHttpUrl, { message: 'must be an http(s) URL' }));

/**
 * The public shape of a paper. The CLI's JSON output is exactly these fields, in this
 * order: keep the names stable (documented in README.md, "CLI").
 */
export const PaperSchema = z.object({
  key: z.string().check(z.regex(KEY_PATTERN, KEY_MESSAGE)),
  title: nonEmpty('title'),
  authors: z.array(AuthorSchema),
  authorsTruncated: z.boolean(),
  year: z.nullable(z.int()),
  month: z.nullable(z.int().check(z.minimum(1, 'month must be 1–12'), z.maximum(12, 'month must be 1–12'))),
  day: z.nullable(z.int().check(z.minimum(1, 'day must be 1–31'), z.maximum(31, 'day must be 1–31'))),
  category: z.nullable(CategorySchema),
  abstract: z.string(),
  hasCode: z.boolean(),
  codeUrl: z.nullable(HttpUrlSchema),
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
 * Why a paper built by a reader breaks {@link PaperSchema}, as {@link describeZodError}
 * words it; undefined when the paper meets it. For readers, which build every field with
 * the schema's type: the rules the types do not give are checked directly, since zod's walk
 * over each record costs more than reading it. A key that breaks {@link KEY_PATTERN} is the
 * one failure a file can produce by the thousand (`@misc{\x,` is 9 bytes), and a zod error
 * costs ~15 µs (it is an `Error`, with a stack), so that case is worded here as the schema
 * words it; any other failure goes through the schema, which decides and says what is wrong.
 * Data from outside the type system (JSON, messages) goes through `PaperSchema` itself.
 */
export function paperProblem(p: PaperFields): string | undefined {
  if (typeof p.key === 'string' && meetsRulesBesideKey(p)) return KEY_PATTERN.test(p.key) ? undefined : `key: ${KEY_MESSAGE}`;
  const checked = PaperSchema.safeParse(p);
  return checked.success ? undefined : describeZodError(checked.error);
}

/**
 * The checks of {@link PaperSchema} other than the key's that a value of type
 * {@link PaperFields} may fail, and the file name a JavaScript caller may pass untyped:
 * when they pass and the key matches {@link KEY_PATTERN}, so does the schema.
 */
function meetsRulesBesideKey(p: PaperFields): boolean {
  return (
    p.title !== '' &&
    p.authors.every((a) => a.family !== '') &&
    (p.year === null || Number.isSafeInteger(p.year)) &&
    (p.month === null || (Number.isSafeInteger(p.month) && p.month >= 1 && p.month <= 12)) &&
    (p.day === null || (Number.isSafeInteger(p.day) && p.day >= 1 && p.day <= 31)) &&
    (p.category === null || p.category.code !== '') &&
    (p.codeUrl === null || isHttpUrl(p.codeUrl)) &&
    typeof p.source.file === 'string' &&
    Number.isSafeInteger(p.source.line) &&
    p.source.line >= 1
  );
}

/** One issue as text. Our checks carry their own messages; type mismatches are described here. */
function issueText(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type') return `expected ${i.expected}`;
  return i.message || i.code.replace(/_/g, ' ');
}

/**
 * Turn zod issues from user data into readable one-line messages, e.g.
 * `codeUrl: must be an http(s) URL`.
 */
export function describeZodError(error: { issues: readonly z.core.$ZodIssue[] }): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${issueText(i)}` : issueText(i))).join('; ');
}
