/**
 * `paper-shelf` command line: print the records of listings, .bib and CSL-JSON files as JSON or BibTeX.
 *
 * Thin: argument handling and file access live here, reading lives in src/core.
 */
import * as fs from 'fs';
import * as path from 'path';
import { toBibtexFile } from './core/bibtex/write';
import { toCslJson } from './core/csl';
import { decodeSource } from './core/decode';
import { parseIsoDate } from './core/listing';
import { toPublicJson } from './core/model';
import { capturedFromManifest, inputKind, readSources, type SourceInput } from './core/sources';

export const USAGE = `Usage: paper-shelf FILE... [--format json|bibtex|csl] [--captured YYYY-MM-DD]

Prints the papers in paper listings, BibTeX files (.bib, .bibtex) and CSL-JSON files (.json).

Options:
  --format json|bibtex|csl
                          Output format (default: json). JSON is an array of objects
                          with the fields key, title, authors, authorsTruncated, year,
                          month, day, category, abstract, hasCode, codeUrl, source.
                          bibtex writes a .bib file, csl a CSL-JSON file (an export).
  --captured YYYY-MM-DD   The day the listings were copied. Dates without a year take
                          this year (or the year before, if the date would be later).
                          Default: the "captured" date a manifest.json beside the
                          listing gives for it, else the file's modification date.
  -h, --help              Show this help.

Problems are reported on stderr as FILE:LINE: MESSAGE; records that can be read are
still printed. Keys are unique across all files given.

Exit status: 0 when every record was read, 1 when some records had problems,
2 on usage errors or unreadable files.
`;

/** Where the CLI writes; tests pass fakes. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

interface Options {
  files: string[];
  format: 'json' | 'bibtex' | 'csl';
  captured?: string;
  help: boolean;
}

/** Run the CLI; returns the exit status. */
export function main(argv: readonly string[], io: CliIo): number {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    io.stderr(`paper-shelf: ${options}\nRun 'paper-shelf --help' for usage.\n`);
    return 2;
  }
  if (options.help) {
    io.stdout(USAGE);
    return 0;
  }
  const inputs: SourceInput[] = [];
  const unreadable: string[] = [];
  for (const file of options.files) {
    const input = readInput(file, options.captured, io);
    if (typeof input === 'string') unreadable.push(input);
    else inputs.push(input);
  }
  if (unreadable.length > 0) {
    io.stderr(unreadable.map((m) => `paper-shelf: ${m}\n`).join(''));
    return 2;
  }
  const { papers, diagnostics } = readSources(inputs);
  for (const d of diagnostics) {
    io.stderr(`${d.file}:${d.line}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}\n`);
  }
  io.stdout(
    options.format === 'bibtex'
      ? toBibtexFile(papers)
      : options.format === 'csl'
        ? toCslJson(papers)
        : `${JSON.stringify(papers.map(toPublicJson), null, 2)}\n`,
  );
  return diagnostics.some((d) => d.severity !== 'warning') ? 1 : 0;
}

function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { files: [], format: 'json', help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      options.files.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      options.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (name !== '--format' && name !== '--captured') return `unknown option '${name}'`;
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) return `${name} needs a value`;
    if (name === '--format') {
      if (value !== 'json' && value !== 'bibtex' && value !== 'csl') return `--format must be json, bibtex or csl, not '${value}'`;
      options.format = value;
    } else {
      if (!parseIsoDate(value)) return `--captured must be a date YYYY-MM-DD, not '${value}'`;
      options.captured = value;
    }
  }
  if (!options.help && options.files.length === 0) return 'no input files';
  return options;
}

/** Read one file, or a message naming it when it cannot be read. */
function readInput(file: string, captured: string | undefined, io: CliIo): SourceInput | string {
  let bytes: Uint8Array;
  let modified: Date;
  try {
    bytes = fs.readFileSync(file);
    modified = fs.statSync(file).mtime;
  } catch (e) {
    return `cannot read '${file}': ${describeFsError(e)}`;
  }
  // As the extension reads it: UTF-8 with or without BOM, UTF-16, Latin-1; a binary file refused.
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return `cannot read '${file}': ${decoded.problem}`;
  for (const note of decoded.notes) io.stderr(`${file}:${note.line}: warning: ${note.message}\n`);
  const { text } = decoded;
  if (inputKind(file) !== 'listing') return { file, text, captured: '' };
  return { file, text, captured: captured ?? defaultCaptured(file, modified, io) };
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return (code !== undefined ? FS_ERRORS[code] : undefined) ?? (e instanceof Error ? e.message : String(e));
}

/** The manifest's capture date for a listing, else the file's modification date (local time). */
function defaultCaptured(file: string, modified: Date, io: CliIo): string {
  const manifest = path.join(path.dirname(file), 'manifest.json');
  const fallback = `using the modification date of ${file}`;
  let manifestText: string | undefined;
  try {
    manifestText = fs.readFileSync(manifest, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      io.stderr(`${manifest}: warning: cannot read it (${describeFsError(e)}); ${fallback}\n`);
    }
  }
  if (manifestText !== undefined) {
    const { captured, problem } = capturedFromManifest(manifestText, path.basename(file));
    if (captured) return captured;
    if (problem) io.stderr(`${manifest}: warning: ${problem}; ${fallback}\n`);
  }
  return localIsoDate(modified);
}

function localIsoDate(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  process.exitCode = main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
