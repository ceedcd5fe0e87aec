import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { LineSplitter, type LineSplitterOptions, type SplitterStats } from '../../../src/engine/lines/index.ts';
import type { LineBatch } from '../../../src/engine/types.ts';
import { LOGHUB_DIR } from '../processors/loghub.ts';

const utf8 = new TextEncoder();

/** Concatenates text (UTF-8 encoded) and raw bytes, so tests can spell invalid sequences. */
export function bytes(...parts: (string | number[])[]): Uint8Array {
  const encoded = parts.map((p) => (typeof p === 'string' ? utf8.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(encoded.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of encoded) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `input` at the given increasing positions; empty pieces are kept on purpose. */
export function cutAt(input: Uint8Array, points: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(input.slice(from, p));
    from = p;
  }
  chunks.push(input.slice(from));
  return chunks;
}

export function chunksOf(input: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < input.length; at += size) chunks.push(input.slice(at, at + size));
  return chunks;
}

export interface Split {
  texts: string[];
  offsets: number[];
  stats: SplitterStats;
}

/** Runs chunks through a fresh splitter, checking the batch contract on the way. */
export function split(chunks: Iterable<Uint8Array>, options?: LineSplitterOptions): Split {
  const splitter = new LineSplitter(options);
  const texts: string[] = [];
  const offsets: number[] = [];
  const take = (batch: LineBatch | null) => {
    if (batch === null) return;
    expect(batch.texts.length).toBeGreaterThan(0);
    expect(batch.firstLineNo).toBe(texts.length + 1);
    expect(batch.offsets.length).toBe(batch.texts.length);
    texts.push(...batch.texts);
    offsets.push(...batch.offsets);
  };
  for (const chunk of chunks) take(splitter.push(chunk));
  take(splitter.finish());
  expect(splitter.stats.lines).toBe(texts.length);
  return { texts, offsets, stats: splitter.stats };
}

/** A Loghub sample (tests that call it carry the `loghub` tag: they skip when the samples are not there). */
export function loghub(system: string): { log: Uint8Array; csv: string } {
  return {
    log: new Uint8Array(readFileSync(`${LOGHUB_DIR}${system}/${system}_2k.log`)),
    csv: readFileSync(`${LOGHUB_DIR}${system}/${system}_2k.log_structured.csv`, 'utf8'),
  };
}
