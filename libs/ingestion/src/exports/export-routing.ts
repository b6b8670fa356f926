import { Readable } from 'node:stream';
import { recognisesExport } from './export-file.parser';
import { EXPORT_PRESETS } from './export-presets';
import { MAX_EXPORT_BYTES } from './export-table.reader';

/** How much of an upload is read to tell a platform export from our own layout: headers sit in the first lines. */
const SNIFF_BYTES = 64 * 1024;

/** Where an uploaded file goes: the streaming parser of our own layout, or the export reader (whole). */
export type RoutedUpload = { readonly kind: 'EXPORT'; readonly bytes: Buffer } | { readonly kind: 'OWN_LAYOUT'; readonly body: Readable };

async function readAll(first: readonly Buffer[], rest: AsyncIterator<unknown>): Promise<Buffer> {
  const chunks = [...first];
  let length = chunks.reduce((total, chunk) => total + chunk.length, 0);
  // Past the bound the file is refused by parseExportFile; reading further would only fill memory.
  while (length <= MAX_EXPORT_BYTES) {
    const next = await rest.next();
    if (next.done === true) break;
    const chunk = toBuffer(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks, length);
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError('The upload must produce bytes');
}

async function* replay(first: readonly Buffer[], rest: AsyncIterator<unknown>): AsyncGenerator<Buffer> {
  yield* first;
  for (;;) {
    const next = await rest.next();
    if (next.done === true) return;
    yield toBuffer(next.value);
  }
}

/**
 * Routes an upload: `EXPORT` when the caller asked for a preset or mapping (`wanted` true) or
 * when the first lines are a known platform export (`wanted` null); our own layout otherwise,
 * streamed as before with the bytes already read put back in front.
 */
export async function routeUpload(body: Readable, wanted: boolean | null): Promise<RoutedUpload> {
  if (wanted === false) return { kind: 'OWN_LAYOUT', body };
  const iterator = (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  if (wanted === true) return { kind: 'EXPORT', bytes: await readAll([], iterator) };
  const first: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < SNIFF_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    const chunk = toBuffer(next.value);
    first.push(chunk);
    length += chunk.length;
  }
  const prefix = Buffer.concat(first, length);
  // A line cut in the middle could hold an unclosed quote: look at whole lines only.
  const lastLineEnd = ended ? prefix.length : prefix.lastIndexOf(0x0a) + 1;
  if (lastLineEnd > 0 && recognisesExport(prefix.subarray(0, lastLineEnd), EXPORT_PRESETS)) {
    return { kind: 'EXPORT', bytes: ended ? prefix : await readAll([prefix], iterator) };
  }
  return { kind: 'OWN_LAYOUT', body: Readable.from(replay([prefix], iterator)) };
}
