import { Worker } from 'worker_threads';
import type { SourceEncoding } from '../core/decode';
import type { Paper, ReadResult } from '../core/model';
import { ChunkUnpacker, readSourceBytes, type FromWorker, type ReadRequest, type ToWorker } from '../core/transfer';
import type { Log } from './log';

/** Files smaller than this are parsed on the extension host: starting a worker (~30 ms) costs more than parsing them (a few ms). */
export const OFF_THREAD_BYTES = 256 * 1024;

/** How often a read waiting on its worker checks whether it is still wanted. */
const CANCEL_POLL_MS = 100;

export type ParseOutcome =
  | { ok: true; empty: boolean; encoding: SourceEncoding; result: ReadResult; thread: 'worker' | 'host'; bytes: number; parseMs: number }
  | { ok: false; problem: string; thread: 'worker' | 'host'; bytes: number };

export interface ParseOptions {
  /** Whether the read is still wanted; once false the worker is stopped and `parse` resolves `undefined`. */
  wanted: () => boolean;
  /** Papers as they arrive from the worker, in file order (not called for a read on the host). */
  onPapers?: (papers: readonly Paper[]) => void;
  /** The file on the local disk, with its size: a big one is read by the worker itself, and its bytes never come to the host. */
  local?: { path: string; size: number };
}

/** The buffer to hand to the worker: the bytes' own buffer when they fill it, else a copy (never a shared pool). */
function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
}

/**
 * Parses source files off the extension host's thread: one worker (`dist/worker.js`) per
 * read, fed the file's bytes (transferred, not copied), sending papers back in chunks.
 * A worker per read rather than one kept alive: a superseded read is stopped by
 * terminating its worker (the parse itself cannot be interrupted), and the memory of a
 * 100 MB read (its text, the reader's tables) is returned when the worker ends. Small
 * files, and every file when no worker can be started, are parsed on the host.
 */
export class SourceParser {
  private workerUnavailable: string | undefined;

  /** `workerScript`: the bundled worker's path, or undefined when the extension is not on a local disk. */
  constructor(
    private readonly workerScript: string | undefined,
    private readonly log: Log,
  ) {
    if (!workerScript) this.workerUnavailable = 'the extension is not installed on a local disk';
  }

  /**
   * Read (through `read`) and parse one file; resolves `undefined` when the read stopped
   * being wanted. Throws only what `read` throws.
   */
  async parse(read: () => Thenable<Uint8Array>, request: ReadRequest, opts: ParseOptions): Promise<ParseOutcome | undefined> {
    if (opts.local && opts.local.size >= OFF_THREAD_BYTES && !this.workerUnavailable) {
      const { path, size } = opts.local;
      const outcome = await this.inWorker({ type: 'readFile', path, request }, size, opts);
      // Unreadable there, or no worker: read it here, where failures get the usual message.
      if (outcome !== 'no-worker' && outcome !== 'unreadable') return outcome;
      if (!opts.wanted()) return undefined;
    }
    const bytes = await read();
    if (!opts.wanted()) return undefined;
    if (bytes.length < OFF_THREAD_BYTES || this.workerUnavailable) return this.onHost(bytes, request);
    const size = bytes.length;
    const buffer = ownBuffer(bytes);
    const outcome = await this.inWorker({ type: 'read', bytes: buffer, request }, size, opts, [buffer]);
    if (outcome === 'unreadable') return { ok: false, problem: 'the parse worker could not read the bytes it was sent', thread: 'worker', bytes: size };
    if (outcome !== 'no-worker') return outcome;
    // The bytes went to a worker that never ran.
    const again = await read();
    return opts.wanted() ? this.onHost(again, request) : undefined;
  }

  private onHost(bytes: Uint8Array, request: ReadRequest): ParseOutcome {
    const started = performance.now();
    const outcome = readSourceBytes(bytes, request);
    if (!outcome.ok) return { ...outcome, thread: 'host', bytes: bytes.length };
    return { ...outcome, thread: 'host', bytes: bytes.length, parseMs: performance.now() - started };
  }

  private inWorker(
    job: Extract<ToWorker, { type: 'read' | 'readFile' }>,
    size: number,
    opts: ParseOptions,
    transfer: ArrayBuffer[] = [],
  ): Promise<ParseOutcome | undefined | 'no-worker' | 'unreadable'> {
    const { request } = job;
    return new Promise((resolve) => {
      let worker: Worker;
      try {
        // No execArgv: flags of the extension host's process are not all valid in a worker.
        worker = new Worker(this.workerScript!, { execArgv: [] });
      } catch (e) {
        this.markUnavailable(e);
        resolve('no-worker');
        return;
      }
      let started = false;
      let settled = false;
      let parsed: Extract<FromWorker, { type: 'parsed' }> | undefined;
      const unpacker = new ChunkUnpacker(request.file);
      const result: ReadResult = { papers: [], diagnostics: [] };
      const failed = (problem: string): ParseOutcome => ({ ok: false, problem, thread: 'worker', bytes: size });
      const finish = (value: ParseOutcome | undefined | 'no-worker' | 'unreadable') => {
        if (settled) return;
        settled = true;
        clearInterval(poll);
        void worker.terminate();
        resolve(value);
      };
      const poll = setInterval(() => {
        if (!opts.wanted()) finish(undefined);
      }, CANCEL_POLL_MS);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        if (!opts.wanted()) return finish(undefined);
        switch (message.type) {
          case 'parsing':
            started = true;
            return;
          case 'refused':
            return finish(failed(message.problem));
          case 'unreadable':
            this.log.info(`The parse worker could not read ${request.file} (${message.message}); reading it on the extension host`);
            return finish('unreadable');
          case 'parsed':
            parsed = message;
            return;
          case 'chunk': {
            const part = unpacker.unpack(message.chunk);
            for (const p of part.papers) result.papers.push(p);
            for (const d of part.diagnostics) result.diagnostics.push(d);
            opts.onPapers?.(part.papers);
            // Ask for the next chunk after this turn of the event loop, so other work runs between chunks.
            setImmediate(() => settled || worker.postMessage({ type: 'more' }));
            return;
          }
          case 'done':
            if (!parsed) return finish(failed('the parse worker sent no result'));
            return finish({ ok: true, empty: parsed.empty, encoding: parsed.encoding, result, thread: 'worker', bytes: size, parseMs: parsed.parseMs });
          case 'failed':
            return finish(failed(`the reader failed: ${message.message}`));
        }
      });
      worker.on('error', (e) => {
        if (started) return finish(failed(`the reader failed: ${e.message}`));
        this.markUnavailable(e);
        finish('no-worker');
      });
      worker.on('exit', (code) => {
        if (started) return finish(failed(`the reader stopped (exit code ${code})`));
        this.markUnavailable(new Error(`the worker exited with code ${code} before it started`));
        finish('no-worker');
      });
      worker.postMessage(job, transfer);
    });
  }

  private markUnavailable(e: unknown): void {
    if (this.workerUnavailable) return;
    this.workerUnavailable = e instanceof Error ? e.message : String(e);
    this.log.warn(`Paper Shelf parses sources on the extension host: the parse worker could not start (${this.workerUnavailable})`);
  }
}
