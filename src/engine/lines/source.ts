import { Decompress } from 'fzstd';

export type Compression = 'gzip' | 'zstd' | 'none';

/**
 * What the engine reads: a File or Blob, or anything shaped like one (the Node benchmark
 * streams from the file system with larger chunks than Node's own Blob gives).
 */
export type BlobLike = Pick<Blob, 'size' | 'slice' | 'stream'> & { name?: string };

export interface ByteSource {
  /** The (decompressed) bytes of the file. Errors if the file cannot be read or the gzip or zstd data is bad. */
  stream: ReadableStream<Uint8Array>;
  compression: Compression;
  /** File bytes consumed so far (compressed bytes for gzip and zstd): progress is bytesRead() / blob.size. */
  bytesRead(): number;
}

/** Room for a few chunks on both sides of the byte counter lets the read run ahead of the pipeline. */
const READ_AHEAD: QueuingStrategy = { highWaterMark: 8 };
/** Decompressed bytes held ahead of the pipeline at most. */
const GUNZIP_AHEAD_BYTES = 8 << 20;
/**
 * Decoded bytes one pull of the zstd stream aims at. The compressed piece handed to the decoder
 * follows the ratio seen so far: repetitive logs compress 1,000x and more (a crash loop), and a
 * fixed piece would decode hundreds of MB at once.
 */
const UNZSTD_TARGET_BYTES = 1 << 20;
const UNZSTD_MIN_PIECE = 64;
const UNZSTD_MAX_PIECE = 256 << 10;

/**
 * Opens a file for streaming, decompressing gzip or zstd when its first bytes say so.
 * The content decides, not the name: `.log` files that are really gzip exist, and so
 * do `.gz` names on plain text.
 */
export async function openSource(blob: BlobLike): Promise<ByteSource> {
  const compression = detectCompression(new Uint8Array(await blob.slice(0, 4).arrayBuffer()));
  let read = 0;
  // Counted before decompression, so progress is measured against the file size.
  const counted = blob.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>(
      {
        transform(chunk, controller) {
          read += chunk.byteLength;
          controller.enqueue(chunk);
        },
      },
      READ_AHEAD,
      READ_AHEAD,
    ),
  );
  const stream = compression === 'gzip' ? gunzip(counted) : compression === 'zstd' ? unzstd(counted) : counted;
  return { stream, compression, bytesRead: () => read };
}

/** The file's compression, from its first bytes. */
export async function compressionOf(blob: BlobLike): Promise<Compression> {
  return detectCompression(new Uint8Array(await blob.slice(0, 4).arrayBuffer()));
}

function detectCompression(magic: Uint8Array): Compression {
  if (magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip';
  if (magic.length < 4) return 'none';
  const zstdFrame = magic[0] === 0x28 && magic[1] === 0xb5 && magic[2] === 0x2f && magic[3] === 0xfd;
  // A skippable frame (0x184D2A50 to 0x184D2A5F) may come first: pzstd writes one before each frame.
  const skippableFrame = (magic[0] & 0xf0) === 0x50 && magic[1] === 0x2a && magic[2] === 0x4d && magic[3] === 0x18;
  return zstdFrame || skippableFrame ? 'zstd' : 'none';
}

/**
 * Gzip decompression that keeps every byte decoded before an error. When the input ends
 * early, Chromium's DecompressionStream errors its readable side and discards the decoded
 * chunks not yet read; a slow reader (our pipeline) would lose lines. So the decoded side
 * is drained at once into our own queue (bounded: input is fed only while it has room) and
 * the error is raised only after the queue is empty.
 */
function gunzip(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decompressor = new DecompressionStream('gzip');
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let ended = false;
  let failure: { error: unknown } | null = null;
  let wakeReader: (() => void) | null = null;
  let wakeFeeder: (() => void) | null = null;
  const wake = (waiter: (() => void) | null) => waiter?.();

  const input = compressed.getReader();
  const stopInput = () => input.cancel().catch(() => {});
  const feed = async () => {
    const writer = decompressor.writable.getWriter();
    try {
      while (true) {
        while (queuedBytes > GUNZIP_AHEAD_BYTES && failure === null) {
          await new Promise<void>((resolve) => (wakeFeeder = resolve));
        }
        if (failure !== null) return stopInput();
        const { done, value } = await input.read();
        if (done) break;
        await writer.write(value as Uint8Array<ArrayBuffer>);
      }
      await writer.close();
    } catch {
      // The decompressor reports the error on its readable side, which drain() sees.
    }
  };
  const drain = async () => {
    const output = decompressor.readable.getReader();
    try {
      while (true) {
        const { done, value } = await output.read();
        if (done) break;
        queue.push(value);
        queuedBytes += value.byteLength;
        wake(wakeReader);
      }
      ended = true;
    } catch (error) {
      failure = { error };
      stopInput();
    }
    wake(wakeReader);
    wake(wakeFeeder);
  };

  let started = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          void feed();
          void drain();
        }
        while (queue.length === 0 && !ended && failure === null) {
          await new Promise<void>((resolve) => (wakeReader = resolve));
        }
        const chunk = queue.shift();
        if (chunk !== undefined) {
          queuedBytes -= chunk.byteLength;
          wake(wakeFeeder);
          controller.enqueue(chunk);
        } else if (failure !== null) {
          controller.error((failure as { error: unknown }).error);
        } else {
          controller.close();
        }
      },
      cancel(reason) {
        failure ??= { error: reason };
        wake(wakeFeeder);
        return stopInput();
      },
    },
    // Pull only when the pipeline reads, so queued data is always handed over before an error.
    { highWaterMark: 0 },
  );
}

/**
 * Zstd decompression in JavaScript (fzstd), as Chromium's DecompressionStream has no zstd.
 * The decoder is synchronous, so each pull decodes about a megabyte and hands it over: memory
 * stays flat whatever the compression ratio (the decoder keeps the frame's window, 8 MB at
 * most at zstd's usual levels). Frames follow one another as in the file. When the data breaks off or is
 * corrupt, the blocks decoded before are handed over first and the error comes after them.
 */
function unzstd(compressed: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const input = compressed.getReader();
  const decoded: Uint8Array[] = [];
  let decodedBytes = 0;
  const decoder = new Decompress((block) => {
    if (block.length === 0) return;
    decoded.push(block);
    decodedBytes += block.length;
  });
  let rest: Uint8Array = new Uint8Array(0);
  let ended = false;
  let failure: { error: unknown } | null = null;
  // Small at first: the ratio is not known yet.
  let pieceBytes = 256;

  const step = async () => {
    if (rest.length === 0) {
      const { done, value } = await input.read();
      if (done) {
        // Throws when the data ends inside a frame.
        decoder.push(new Uint8Array(0), true);
        ended = true;
        return;
      }
      rest = value;
    }
    const piece = rest.subarray(0, pieceBytes);
    rest = rest.subarray(piece.length);
    const before = decodedBytes;
    decoder.push(piece);
    const out = decodedBytes - before;
    // The next piece is sized to decode about the target at the ratio this one had.
    const next = out > 0 ? Math.floor((piece.length * UNZSTD_TARGET_BYTES) / out) : piece.length * 2;
    pieceBytes = Math.min(UNZSTD_MAX_PIECE, Math.max(UNZSTD_MIN_PIECE, next));
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (decodedBytes < UNZSTD_TARGET_BYTES && !ended && failure === null) {
          try {
            await step();
          } catch (error) {
            failure = { error };
            input.cancel().catch(() => {});
          }
        }
        if (decoded.length > 0) {
          for (const block of decoded) controller.enqueue(block);
          decoded.length = 0;
          decodedBytes = 0;
        } else if (failure !== null) {
          controller.error((failure as { error: unknown }).error);
        } else {
          controller.close();
        }
      },
      cancel(reason) {
        return input.cancel(reason);
      },
    },
    // Pulled only when the pipeline reads: an error is raised once everything before it was read.
    { highWaterMark: 0 },
  );
}

/** A sentence for the user from an error raised while reading a source's stream. */
export function describeInputError(err: unknown, compression: Compression): string {
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  const detail = err instanceof Error || err instanceof DOMException ? err.message : String(err);
  if (name === 'AbortError') return 'Reading the file was cancelled.';
  // What browsers raise when the file changed or vanished after it was picked (log rotation, for one).
  if (name === 'NotReadableError' || name === 'NotFoundError') {
    return `The file could not be read; it may have been moved, deleted or changed while reading: ${detail}`;
  }
  if (compression === 'gzip') return `The gzip data is truncated or corrupt: ${detail}`;
  if (compression === 'zstd') return `The zstd data is truncated or corrupt: ${detail}`;
  return `Reading the file failed: ${detail}`;
}

/** How many leading bytes sniffBinary looks at. */
export const SNIFF_BYTES = 8192;

/**
 * Why the first bytes of a (decompressed) input look like something other than a
 * UTF-8 text log, or null when they look like text. Pass at least the first 8 KiB
 * when the input is that long.
 */
export function sniffBinary(head: Uint8Array): string | null {
  const n = Math.min(head.length, SNIFF_BYTES);
  if (n >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    return 'This looks like UTF-16 text (it starts with a UTF-16 byte-order mark); UTF-16 is not supported yet. Convert it to UTF-8 first, e.g. with `iconv -f UTF-16 -t UTF-8`.';
  }

  let nul = 0;
  let nulEven = 0;
  let bad = 0;
  let i = n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < n) {
    const x = head[i];
    if (x < 0x80) {
      if (x === 0) {
        nul++;
        if ((i & 1) === 0) nulEven++;
      } else if (x < 0x20 && !TEXT_CONTROLS[x]) {
        bad++;
      }
      i++;
      continue;
    }
    const size = utf8SequenceLength(head, i, n);
    if (size > 0) {
      i += size;
    } else if (size === 0) {
      break; // a character cut by the end of the sample, not an error
    } else {
      bad++;
      i++;
    }
  }

  // UTF-16 without a byte-order mark: ASCII text with a NUL in every other byte, and the others
  // not NUL (bytes that are all NUL, as a disk image or a zeroed file, are no text at all).
  const half = n >> 1;
  const nulOdd = nul - nulEven;
  if (half >= 4 && Math.max(nulEven, nulOdd) >= half * 0.9 && Math.min(nulEven, nulOdd) <= half * 0.1) {
    return 'This looks like UTF-16 text (a NUL byte in every other position); UTF-16 is not supported yet. Convert it to UTF-8 first, e.g. with `iconv -f UTF-16 -t UTF-8`.';
  }
  if (half >= 4 && nul >= n * 0.9) return 'This holds no text: its first 8 KB are NUL bytes (a zeroed or preallocated file, or a disk image).';
  // Text logs may carry a stray NUL (a crash mid-write); binary formats are full of them.
  if (nul > n / 1000) {
    return 'This looks like a binary file (NUL bytes in the first 8 KB), not a text log.';
  }
  // Latin-1 logs show a few invalid bytes and are still worth reading; binary data shows many.
  if (bad > n / 10) {
    return 'This looks like a binary file (mostly control bytes and invalid UTF-8 in the first 8 KB), not a text log.';
  }
  return null;
}

/** Control bytes found in real text logs: BEL, BS, TAB, LF, VT, FF, CR and ESC (ANSI colours). */
const TEXT_CONTROLS: readonly boolean[] = Array.from({ length: 32 }, (_, c) =>
  [7, 8, 9, 10, 11, 12, 13, 27].includes(c),
);

/**
 * Length of the valid UTF-8 sequence starting at head[i] (a byte ≥ 0x80), 0 when it is
 * a valid prefix cut by `end`, -1 when invalid.
 */
function utf8SequenceLength(head: Uint8Array, i: number, end: number): number {
  const x = head[i];
  let size: number;
  let lo = 0x80;
  let hi = 0xbf;
  // Ranges of the second byte as in the Unicode table of well-formed sequences (no overlongs, no surrogates).
  if (x >= 0xc2 && x <= 0xdf) size = 2;
  else if (x >= 0xe0 && x <= 0xef) {
    size = 3;
    if (x === 0xe0) lo = 0xa0;
    else if (x === 0xed) hi = 0x9f;
  } else if (x >= 0xf0 && x <= 0xf4) {
    size = 4;
    if (x === 0xf0) lo = 0x90;
    else if (x === 0xf4) hi = 0x8f;
  } else return -1;
  for (let k = 1; k < size; k++) {
    if (i + k >= end) return 0;
    const y = head[i + k];
    if (k === 1 ? y < lo || y > hi : y < 0x80 || y > 0xbf) return -1;
  }
  return size;
}
