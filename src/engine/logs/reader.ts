/**
 * Reading entries back from a file through its index: a block's bytes are sliced from the file
 * and split and joined exactly as the scan did (the block starts an entry; continuation lines
 * join the entry above), so entry k of the index is entry k read back.
 */
import { EntryJoiner, headerTest } from '../formats/multiline.ts';
import { LineParser } from '../formats/parser.ts';
import { createParseContext, type LogFormat } from '../formats/types.ts';
import type { BlobLike } from '../lines/source.ts';
import { LineSplitter, type LineEnd } from '../lines/splitter.ts';
import type { LogRecord } from '../types.ts';

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
 * The entries of bytes that start an entry: `bytes` are the file's from `offset`, whose first
 * line is line `firstLine` + 1 (0-based `firstLine`). `leading`: the bytes start before the
 * file's first header.
 */
export function entriesOf(bytes: Uint8Array, offset: number, firstLine: number, reading: EntryReading, leading = false): ReadEntry[] {
  const splitter = new LineSplitter({ maxLineBytes: reading.maxLineBytes, lineEnd: reading.lineEnd });
  const records: LogRecord[] = [];
  let lineNo = firstLine;
  const add = (batch: ReturnType<LineSplitter['push']>) => {
    if (!batch) return;
    for (let i = 0; i < batch.texts.length; i++) {
      records.push({ lineNo: ++lineNo, offset: offset + batch.offsets[i], text: batch.texts[i] });
    }
  };
  add(splitter.push(bytes));
  add(splitter.finish());
  let entries = records;
  if (reading.multiline && reading.format.hasHeaders) {
    const isHeader = headerTest(reading.format, createParseContext({ timeZoneOffsetMinutes: reading.timeZoneOffsetMinutes }));
    // The block starts an entry whatever its first line is (the scan's entry began there, or was
    // cut there by a cap), unless it is before the file's first header, where lines stand alone.
    let first = !leading;
    const joiner = new EntryJoiner((text) => (first ? ((first = false), true) : isHeader(text)));
    entries = joiner.push(records);
    entries.push(...joiner.finish());
  }
  return entries.map((r) => ({ offset: r.offset, lineNo: r.lineNo, lines: countLines(r.text), text: r.text }));
}

function countLines(text: string): number {
  let n = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
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
