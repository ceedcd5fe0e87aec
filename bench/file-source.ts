import { createReadStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobLike } from '../src/engine/lines/index.ts';

/**
 * The file as the engine sees a File in the browser: a native stream of its bytes. Node's own
 * Blob stream (fs.openAsBlob) is three times slower than reading the file, so it would measure
 * Node rather than the engine; 1 MiB file-system reads stand in for the browser's native stream.
 * Chromium's File stream gives 64 KiB chunks, and each chunk's lines are one batch: pass
 * `chunkBytes` where the batch size matters (garbage collection does, with `parse`).
 */
export async function fileSource(path: string, chunkBytes = 1 << 20): Promise<BlobLike> {
  const blob = await openAsBlob(path);
  return {
    name: basename(path),
    size: blob.size,
    slice: (start, end) => blob.slice(start, end),
    stream: () => Readable.toWeb(createReadStream(path, { highWaterMark: chunkBytes })) as ReadableStream<Uint8Array<ArrayBuffer>>,
  };
}

