/**
 * The parse worker (`dist/worker.js`): reads one source file's bytes off the extension
 * host's thread and sends its papers back in chunks, at most CHUNKS_IN_FLIGHT ahead of
 * the host, so receiving them never blocks the host for long. One worker per read: the
 * host terminates it when the read is superseded, and its memory (the file's text, the
 * reader's tables) goes with it.
 */
import { readFileSync } from 'fs';
import { parentPort } from 'worker_threads';
import { CHUNKS_IN_FLIGHT, ChunkPacker, chunksOf, readSourceBytes, type FromWorker, type ToWorker } from '../core/transfer';

const port = parentPort;
if (!port) throw new Error('parse-worker runs as a worker thread');

const post = (message: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

let credit = CHUNKS_IN_FLIGHT;
let wake: (() => void) | undefined;

async function sendChunks(result: Parameters<typeof chunksOf>[0]): Promise<void> {
  const packer = new ChunkPacker();
  for (const part of chunksOf(result)) {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    const chunk = packer.pack(part.papers, part.diagnostics);
    post({ type: 'chunk', chunk }, [chunk.fieldCounts.buffer, chunk.rawFields.buffer, chunk.refs.buffer] as ArrayBuffer[]);
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'more') {
    credit++;
    wake?.();
    return;
  }
  post({ type: 'parsing' });
  let bytes: Uint8Array;
  if (message.type === 'readFile') {
    // The host never holds the bytes of a big local file (allocating them there can set
    // off a long garbage collection on its thread).
    try {
      bytes = readFileSync(message.path);
    } catch (e) {
      post({ type: 'unreadable', message: e instanceof Error ? e.message : String(e) });
      port.close();
      return;
    }
  } else {
    bytes = new Uint8Array(message.bytes);
  }
  const started = performance.now();
  const outcome = readSourceBytes(bytes, message.request);
  if (!outcome.ok) {
    post({ type: 'refused', problem: outcome.problem });
    port.close();
    return;
  }
  const { empty, encoding, result } = outcome;
  post({ type: 'parsed', empty, encoding, papers: result.papers.length, parseMs: performance.now() - started });
  sendChunks(result).then(
    () => {
      post({ type: 'done' });
      port.close();
    },
    (e: unknown) => post({ type: 'failed', message: e instanceof Error ? e.message : String(e) }),
  );
});
