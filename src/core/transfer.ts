/**
 * Reading a source file's bytes into papers, and moving those papers from the parse
 * worker to the extension host in chunks.
 *
 * Structured clone (what `postMessage` uses) copies every string it meets. A BibTeX
 * file's fields repeat a lot (journal names, Beebe's 600-character `acknowledgement`):
 * the reader shares each value between entries, a plain clone would not, and would also
 * force every entry's lazy `extra.fields`. So a chunk sends `extra.fields` as indexes
 * into a string table that grows over one read, and the receiving side rebuilds them
 * lazily on first read, sharing the strings again. Fields the BibTeX reader has not
 * turned into Unicode yet travel raw and are converted on the receiving side when first
 * read: converting every field of a 100k-entry file before sending took as long as
 * reading it.
 */
import { decodeSource, type SourceEncoding } from './decode';
import type { SourceKind } from './library';
import type { Diagnostic, Paper, PaperExtra, ReadResult } from './model';
import { displayValue, forEachRawField } from './bibtex/parse';
import { lazyFields, type Fields } from './lazy-fields';
import { parseSource } from './sources';

/** What a reader needs besides the bytes. */
export interface ReadRequest {
  kind: SourceKind;
  /** As it appears in `source.file` and in messages. */
  file: string;
  /** Capture date of a listing, `YYYY-MM-DD`. */
  captured: string;
  keyPattern?: string;
}

/** The outcome of reading one file's bytes. */
export type BytesOutcome =
  | {
      ok: true;
      /** Nothing but white space: a new bibliography, not a problem. */
      empty: boolean;
      encoding: SourceEncoding;
      /** The reader's papers and problems; how the bytes were decoded comes first, as warnings. */
      result: ReadResult;
    }
  | { ok: false; problem: string };

/** Decode and parse one source file. Never throws. */
export function readSourceBytes(bytes: Uint8Array, request: ReadRequest): BytesOutcome {
  const decoded = decodeSource(bytes);
  if (!decoded.ok) return { ok: false, problem: decoded.problem };
  const empty = decoded.text.trim() === '';
  const result = empty ? { papers: [], diagnostics: [] } : parseSource(request.kind, decoded.text, request);
  const notes: Diagnostic[] = decoded.notes.map((n) => ({ line: n.line, message: n.message, severity: 'warning' }));
  if (notes.length) result.diagnostics = [...notes, ...result.diagnostics];
  return { ok: true, empty, encoding: decoded.encoding, result };
}

/** Papers and diagnostics of one chunk, with `extra.fields` packed. */
export interface PaperChunk {
  /** The papers without `extra.fields`. */
  papers: Paper[];
  /** Per paper, how many (name, value) pairs of `refs` are its fields; -1 when it has no `extra.fields`. */
  fieldCounts: Int32Array;
  /** Per paper, 1 when its values are raw BibTeX (see {@link forEachRawField}), to be converted when read. */
  rawFields: Uint8Array;
  /** Name and value indexes into the read's string table, paper after paper. */
  refs: Uint32Array;
  /** Strings this chunk uses first: they take the next indexes of the table. */
  strings: string[];
  diagnostics: Diagnostic[];
}

/** The sending side: packs chunks of one read against a shared string table. */
export class ChunkPacker {
  private readonly ids = new Map<string, number>();

  pack(papers: readonly Paper[], diagnostics: readonly Diagnostic[]): PaperChunk {
    const strings: string[] = [];
    const refs: number[] = [];
    const fieldCounts = new Int32Array(papers.length);
    const id = (s: string): number => {
      let n = this.ids.get(s);
      if (n === undefined) {
        n = this.ids.size;
        this.ids.set(s, n);
        strings.push(s);
      }
      return n;
    };
    const rawFields = new Uint8Array(papers.length);
    let count = 0;
    const add = (name: string, value: string): void => {
      refs.push(id(name), id(value));
      count++;
    };
    const out = papers.map((p, i) => {
      fieldCounts[i] = -1;
      if (!p.extra) return p;
      count = 0;
      if (forEachRawField(p.extra, add)) {
        rawFields[i] = 1;
      } else {
        const fields = p.extra.fields;
        if (fields === undefined) return p;
        for (const name in fields) add(name, fields[name]);
      }
      fieldCounts[i] = count;
      return { ...p, extra: withoutFields(p.extra) };
    });
    return { papers: out, fieldCounts, rawFields, refs: Uint32Array.from(refs), strings, diagnostics: [...diagnostics] };
  }
}

/** A copy of `extra` without `fields`, made without reading it (a lazy `fields` stays unmade). */
function withoutFields(extra: PaperExtra): PaperExtra {
  const rest: Record<string, unknown> = {};
  for (const name of Object.keys(extra)) if (name !== 'fields') rest[name] = extra[name as keyof PaperExtra];
  return rest as PaperExtra;
}

/** The receiving side: rebuilds the papers of one read's chunks, in order. */
export class ChunkUnpacker {
  private readonly table: string[] = [];
  /** Raw values already converted in this read, see {@link displayValue}. */
  private readonly memo = new Map<string, string>();

  /** `file` replaces each paper's `source.file` (the same string for all, instead of a copy each). */
  constructor(private readonly file: string) {}

  unpack(chunk: PaperChunk): ReadResult {
    for (const s of chunk.strings) this.table.push(s);
    const packed: PackedFields = {
      refs: chunk.refs,
      starts: new Uint32Array(chunk.papers.length),
      counts: chunk.fieldCounts,
      raw: chunk.rawFields,
      table: this.table,
      memo: this.memo,
    };
    let at = 0;
    chunk.papers.forEach((p, i) => {
      p.source.file = this.file;
      const count = chunk.fieldCounts[i];
      if (count < 0) return;
      packed.starts[i] = at;
      at += 2 * count;
      p.extra ??= {};
      Object.defineProperty(p.extra, PACKED, { value: packed, writable: true });
      Object.defineProperty(p.extra, PACKED_AT, { value: i, writable: true });
      Object.defineProperty(p.extra, 'fields', PACKED_LAZY_FIELDS);
    });
    return { papers: chunk.papers, diagnostics: chunk.diagnostics };
  }
}

/** What the papers of one unpacked chunk make their `extra.fields` from. */
interface PackedFields {
  refs: Uint32Array;
  /** Per paper, where its pairs start in `refs`. */
  starts: Uint32Array;
  counts: Int32Array;
  /** Per paper, 1 when its values are raw BibTeX, converted with `memo`. */
  raw: Uint8Array;
  table: readonly string[];
  memo: Map<string, string>;
}

/** Where an unpacked paper's `extra` keeps its chunk and its place in it until its fields are made (not enumerable: never copied or compared). */
const PACKED = Symbol('packed fields');
const PACKED_AT = Symbol('packed fields index');

type PackedExtra = PaperExtra & { [PACKED]?: PackedFields; [PACKED_AT]?: number };

/**
 * `extra.fields` built from the packed pairs on first read (see lazy-fields.ts). The
 * chunk and the paper's place in it are kept on `extra` rather than in a closure pair per
 * paper, which cost the extension host 20 MB and 300k objects at 100k papers.
 */
const PACKED_LAZY_FIELDS = lazyFields<PackedExtra>(
  (extra) => {
    const packed = extra[PACKED];
    if (!packed) return undefined;
    const i = extra[PACKED_AT] ?? 0;
    const fields: Fields = {};
    const { refs, table } = packed;
    const memo = packed.raw[i] === 1 ? packed.memo : undefined;
    const start = packed.starts[i];
    const end = start + 2 * packed.counts[i];
    for (let k = start; k < end; k += 2) {
      const name = table[refs[k]];
      const value = table[refs[k + 1]];
      fields[name] = memo ? displayValue(name, value, memo) : value;
    }
    return fields;
  },
  (extra) => {
    extra[PACKED] = undefined;
  },
);

/**
 * The extension host to the parse worker: one `read` (the bytes) or `readFile` (a local
 * path the worker reads itself) per worker, then a `more` per chunk handled.
 */
export type ToWorker =
  | { type: 'read'; bytes: ArrayBuffer; request: ReadRequest }
  | { type: 'readFile'; path: string; request: ReadRequest }
  | { type: 'more' };

/**
 * The parse worker to the extension host: `parsing` as soon as the request arrives (the
 * worker runs), then `unreadable`, `refused`, or `parsed` followed by the chunks and `done`.
 */
export type FromWorker =
  | { type: 'parsing' }
  | { type: 'refused'; problem: string }
  /** A `readFile` the worker could not read: the host reads the file its own way, and reports what fails. */
  | { type: 'unreadable'; message: string }
  | { type: 'parsed'; empty: boolean; encoding: SourceEncoding; papers: number; parseMs: number }
  | { type: 'chunk'; chunk: PaperChunk }
  | { type: 'done' }
  | { type: 'failed'; message: string };

/** Papers (and diagnostics) per chunk: a chunk costs the host a few milliseconds to receive. */
export const CHUNK_SIZE = 500;

/** Chunks the worker may send ahead of the host's `more`: the host never gets a backlog to drain at once. */
export const CHUNKS_IN_FLIGHT = 2;

/** Split a read result into chunks of `size` papers and `size` diagnostics (at least one chunk). */
export function* chunksOf(result: ReadResult, size = CHUNK_SIZE): Generator<ReadResult> {
  const n = Math.max(1, Math.ceil(result.papers.length / size), Math.ceil(result.diagnostics.length / size));
  for (let i = 0; i < n; i++) {
    yield { papers: result.papers.slice(i * size, (i + 1) * size), diagnostics: result.diagnostics.slice(i * size, (i + 1) * size) };
  }
}
