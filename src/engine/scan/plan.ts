/**
 * What a run decides once, on the head of the file, before any range is read: compression,
 * whether it is text at all, how lines end, the format every range reads with, and where the
 * file is cut into ranges.
 */
import type { LogFormat } from '../formats/types.ts';
import { detectFormat } from '../formats/detect.ts';
import { ALL_FORMATS, formatById } from '../formats/registry.ts';
import { createParseContext } from '../formats/types.ts';
import { compressionOf, openSource, sniffBinary, type BlobLike, type Compression } from '../lines/source.ts';
import { detectLineEnd, LineSplitter, type LineEnd } from '../lines/splitter.ts';
import type { FormatPlan, ScanRange } from './types.ts';

/** Decoded bytes looked at: enough for detection's 200 lines of most logs. */
export const HEAD_BYTES = 64 * 1024;

export interface InputPlan {
  compression: Compression;
  /** Why the file is not a text log, when it is not. */
  binary: string | null;
  lineEnd: LineEnd;
  format: FormatPlan;
  /** The format, resolved (the coordinator parses with it too). */
  resolved: LogFormat;
  /** The first timestamp of the head, for judging outliers alike in every range. */
  anchorTs: number | null;
}

export interface PlanOptions {
  /** A format id or "auto". */
  format: string;
  multiline: boolean;
  timeZoneOffsetMinutes: number;
  /** The user's formats, compiled: tried first by detection; `format` may name one. */
  customFormats: readonly LogFormat[];
}

/** Reads the head of the file (decompressed) and decides how the whole of it is read. */
export async function planInput(blob: BlobLike, options: PlanOptions): Promise<InputPlan> {
  const { head, compression } = await readHead(blob);
  const lineEnd = detectLineEnd(head);
  const binary = head.length ? sniffBinary(head) : null;
  const lines = headLines(head, lineEnd, head.length < HEAD_BYTES);
  const chosen = options.format === 'auto' ? undefined : (options.customFormats.find((f) => f.id === options.format) ?? formatById(options.format));
  let format: LogFormat;
  let confidence = 1;
  if (chosen) {
    format = chosen;
  } else {
    const detection = detectFormat(lines, ALL_FORMATS, options.customFormats);
    format = detection.format;
    confidence = detection.confidence;
  }
  const ctx = createParseContext({ timeZoneOffsetMinutes: options.timeZoneOffsetMinutes });
  let anchorTs: number | null = null;
  for (const line of lines) {
    const ts = format.parse(line, ctx)?.timestamp;
    if (ts !== null && ts !== undefined && Number.isFinite(ts)) {
      anchorTs = ts;
      break;
    }
  }
  return {
    compression,
    binary,
    lineEnd,
    format: { id: format.id, confidence: Math.round(confidence * 1000) / 1000, overridden: chosen !== undefined, multiline: options.multiline },
    resolved: format,
    anchorTs,
  };
}

/** The first HEAD_BYTES of the decoded file; a damaged file gives what could be decoded. */
async function readHead(blob: BlobLike): Promise<{ head: Uint8Array; compression: Compression }> {
  if ((await compressionOf(blob)) === 'none') {
    return { head: new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer()), compression: 'none' };
  }
  const source = await openSource(blob);
  const reader = source.stream.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  try {
    while (bytes < HEAD_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      bytes += value.length;
    }
  } catch {
    // The scan meets the same error and says what it is, with what was read before it.
  } finally {
    reader.cancel().catch(() => {});
  }
  const head = new Uint8Array(Math.min(bytes, HEAD_BYTES));
  let at = 0;
  for (const part of parts) {
    if (at >= head.length) break;
    const take = part.subarray(0, head.length - at);
    head.set(take, at);
    at += take.length;
  }
  return { head, compression: source.compression };
}

/** The whole lines of the head (the last one only when the head is the whole file). */
function headLines(head: Uint8Array, lineEnd: LineEnd, whole: boolean): string[] {
  const splitter = new LineSplitter({ lineEnd });
  const lines = splitter.push(head)?.texts ?? [];
  if (whole) lines.push(...(splitter.finish()?.texts ?? []));
  return lines;
}

/** Smallest and largest range a file is cut into: a range is one task of a worker. */
export const MIN_RANGE_BYTES = 1 << 20;
export const MAX_RANGE_BYTES = 32 << 20;

/**
 * Cuts a file of `size` bytes into ranges for `workers` workers: several per worker (so an
 * early finisher takes more, and results arrive in file order soon), none under a megabyte.
 */
export function cutRanges(size: number, workers: number, rangeBytes?: number): ScanRange[] {
  const target = rangeBytes ?? Math.min(MAX_RANGE_BYTES, Math.max(MIN_RANGE_BYTES, Math.ceil(size / (workers * 4))));
  const count = workers <= 1 ? 1 : Math.max(1, Math.ceil(size / target));
  return cutsToRanges(size, Array.from({ length: count - 1 }, (_, i) => Math.round(((i + 1) * size) / count)));
}

/** Ranges between the given cut positions (ascending, inside the file). */
export function cutsToRanges(size: number, cuts: readonly number[]): ScanRange[] {
  const bounds = [0, ...cuts.filter((c) => c > 0 && c < size), size];
  const ranges: ScanRange[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) ranges.push({ index: i, start: bounds[i], end: bounds[i + 1], of: bounds.length - 1, file: 0 });
  return ranges;
}
