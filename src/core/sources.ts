/**
 * Reading several files at once into one list of records with unique keys, for the CLI
 * (and any host that has the files' text). Pure: the caller reads the files.
 */
import * as z from 'zod/mini';
import { parseBibtex } from './bibtex/parse';
import { parseCslJson } from './csl';
import { disambiguate } from './keys';
import type { SourceDiagnostic, SourceKind } from './library';
import { parseIsoDate, parseListing } from './listing';
import type { Paper, ReadResult } from './model';

/** `.bib` / `.bibtex` (any case) are BibTeX, `.json` CSL-JSON; anything else is read as a listing. */
export function inputKind(path: string): SourceKind {
  if (/\.bib(?:tex)?$/i.test(path)) return 'bibtex';
  if (/\.json$/i.test(path)) return 'csl';
  return 'listing';
}

/** Read one source's text with the reader for its kind. */
export function parseSource(kind: SourceKind, text: string, opts: { file: string; captured: string; keyPattern?: string }): ReadResult {
  switch (kind) {
    case 'bibtex':
      return parseBibtex(text, { file: opts.file });
    case 'csl':
      return parseCslJson(text, { file: opts.file });
    case 'listing':
      return parseListing(text, opts);
  }
}

export interface SourceInput {
  /** As it should appear in `source.file` and in messages. */
  file: string;
  text: string;
  /** Capture date of a listing, `YYYY-MM-DD`; unused for BibTeX. */
  captured: string;
  keyPattern?: string;
}

export interface SourcesResult {
  /** All records, file by file in input order, with keys unique across files. */
  papers: Paper[];
  diagnostics: SourceDiagnostic[];
}

/**
 * Read every input and make keys unique across all of them. Keys from BibTeX files
 * (written by the user) are claimed first, then generated listing keys; a key already
 * taken gets the next free suffix (`a`, `b`, …) and a warning naming where it was taken.
 */
export function readSources(inputs: readonly SourceInput[]): SourcesResult {
  const diagnostics: SourceDiagnostic[] = [];
  const perFile = inputs.map((input) => {
    const kind = inputKind(input.file);
    const result = parseSource(kind, input.text, input);
    for (const d of result.diagnostics) diagnostics.push({ ...d, file: input.file });
    return { kind, papers: result.papers };
  });
  // Keys written by the user (BibTeX, CSL) are claimed before generated ones.
  const claimOrder = [
    ...perFile.filter((f) => f.kind !== 'listing').flatMap((f) => f.papers),
    ...perFile.filter((f) => f.kind === 'listing').flatMap((f) => f.papers),
  ];
  const holder = new Map<string, Paper>();
  for (const p of claimOrder) if (!holder.has(p.key)) holder.set(p.key, p);
  for (const { paper, from } of disambiguate(claimOrder)) {
    const first = holder.get(from);
    diagnostics.push({
      file: paper.source.file,
      line: paper.source.line,
      severity: 'warning',
      message: `key '${from}' is already used${first ? ` at ${first.source.file}:${first.source.line}` : ''}; this record gets '${paper.key}'`,
    });
  }
  return { papers: perFile.flatMap((f) => f.papers), diagnostics };
}

const ManifestSchema = z.object({
  listings: z.array(z.object({ file: z.string(), captured: z.string() })),
});

/**
 * The capture date a `manifest.json` records for a listing file name (see
 * seeds/manifest.json): `{ captured }`, `{}` when the manifest does not list the file,
 * or `{ problem }` when the manifest cannot be used.
 */
export function capturedFromManifest(manifestText: string, fileName: string): { captured?: string; problem?: string } {
  let json: unknown;
  try {
    json = JSON.parse(manifestText);
  } catch (e) {
    return { problem: `not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) return { problem: 'expected { "listings": [{ "file": …, "captured": "YYYY-MM-DD" }] }' };
  const entry = parsed.data.listings.find((l) => l.file === fileName);
  if (!entry) return {};
  if (!parseIsoDate(entry.captured)) {
    return { problem: `captured date '${entry.captured}' of ${fileName} is not a valid YYYY-MM-DD date` };
  }
  return { captured: entry.captured };
}
