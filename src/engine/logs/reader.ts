/**
 * Reading entries back from a file through its index: a block's bytes are sliced from the file
 * and split and joined exactly as the scan did (the block starts an entry; continuation lines
 * join the entry above), so entry k of the index is entry k read back.
 */
import { LineParser } from '../formats/parser.ts';
import { createParseContext, type LogFormat } from '../formats/types.ts';
import type { BlobLike } from '../lines/source.ts';
import { LineSplitter, type LineEnd } from '../lines/splitter.ts';

/** How the run read its file: what reading it back needs. */
export interface EntryReading {
  format: LogFormat;
  multiline: boolean;
  lineEnd: LineEnd;
  maxLineBytes: number;
  timeZoneOffsetMinutes: number;
}

/** One entry read back: where it is and what it says. */
export interface ReadEntry {
  offset: number;
  /** 1-based number of its first line. */
  lineNo: number;
  lines: number;
  text: string;
}

/** Reads the bytes [from, to) of a file. */
export async function readBytes(blob: BlobLike, from: number, to: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(from, to).arrayBuffer());
}

/**
 * The entries of the bytes of a block: `bytes` are the file's from `offset`, whose first line is
 * line `firstLine` + 1 (0-based `firstLine`); `joins(j)` says whether the block's line j joined
 * the entry above (the index keeps it), null when every line is an entry.
 */
export function entriesOf(bytes: Uint8Array, offset: number, firstLine: number, reading: EntryReading, joins: ((line: number) => boolean) | null): ReadEntry[] {
  const splitter = new LineSplitter({ maxLineBytes: reading.maxLineBytes, lineEnd: reading.lineEnd });
  const entries: ReadEntry[] = [];
  let line = 0;
  const add = (batch: ReturnType<LineSplitter['push']>) => {
    if (!batch) return;
    for (let i = 0; i < batch.texts.length; i++, line++) {
      const text = batch.texts[i];
      const last = entries[entries.length - 1];
      if (joins !== null && last !== undefined && joins(line)) {
        last.text += `\n${text}`;
        last.lines++;
      } else {
        entries.push({ offset: offset + batch.offsets[i], lineNo: firstLine + line + 1, lines: 1, text });
      }
    }
  };
  // Decoding is fast in pieces of tens of kilobytes and slow past a megabyte (see the scanner).
  for (let at = 0; at < bytes.length; at += 64 * 1024) add(splitter.push(bytes.subarray(at, at + 64 * 1024)));
  add(splitter.finish());
  return entries;
}

/** The reading of a plan (a worker's side), its format resolved. */
export function readingOf(plan: { format: { id: string; multiline: boolean }; customFormats: readonly unknown[]; lineEnd: LineEnd; maxLineBytes: number; timeZoneOffsetMinutes: number }, resolve: (id: string, custom: readonly unknown[]) => LogFormat): EntryReading {
  return {
    format: resolve(plan.format.id, plan.customFormats),
    multiline: plan.format.multiline,
    lineEnd: plan.lineEnd,
    maxLineBytes: plan.maxLineBytes,
    timeZoneOffsetMinutes: plan.timeZoneOffsetMinutes,
  };
}

/** A parser for reading fields of entries read back (its own context). */
export function readerParser(reading: EntryReading): LineParser {
  return new LineParser(reading.format, createParseContext({ timeZoneOffsetMinutes: reading.timeZoneOffsetMinutes }));
}
