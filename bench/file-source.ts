import { createReadStream, openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { BlobLike } from '../src/engine/lines/index.ts';

/**
 * The file as the engine sees a File in the browser, read the way the browser reads one: slices
 * read at once (`slice().arrayBuffer()`, file-system reads at an offset), and a native stream
 * for compressed files. Node's own Blob (fs.openAsBlob) reads a slice three times slower than
 * the file system, so it would measure Node rather than the engine.
 */
export async function fileSource(path: string, chunkBytes = 1 << 20): Promise<BlobLike> {
  const blob = await openAsBlob(path);
  const handle = await open(path, 'r');
  const slice = (start = 0, end = blob.size): Blob => {
    const from = Math.max(0, start);
    const to = Math.min(blob.size, end);
    const piece = blob.slice(from, to);
    return Object.assign(piece, {
      arrayBuffer: async () => {
        const bytes = new Uint8Array(Math.max(0, to - from));
        let at = 0;
        while (at < bytes.length) {
          const { bytesRead } = await handle.read(bytes, at, bytes.length - at, from + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return bytes.buffer;
      },
    });
  };
  return {
    name: basename(path),
    size: blob.size,
    slice,
    stream: () => Readable.toWeb(createReadStream(path, { highWaterMark: chunkBytes })) as ReadableStream<Uint8Array<ArrayBuffer>>,
  };
}
