/**
 * A range worker: scans the byte ranges of a file the engine worker hands it (see
 * engine/scan/scanner.ts) and reports their pieces back. The engine worker starts a pool of these.
 */
import { expose, transfer } from 'comlink';
import { readBytes, readingOf } from '../engine/logs/reader.ts';
import { searchBlocks, type EntrySearch, type SearchBlock } from '../engine/logs/search.ts';
import type { ReadingPlan } from '../engine/logs/views.ts';
import { formatOfPlan, RangeScanner } from '../engine/scan/scanner.ts';
import type { RunPiece, ScanRange, ScanSetup } from '../engine/scan/types.ts';
import { OpfsOutput, type OutputOptions, type OutputSummary } from './output.ts';

const scans = new Map<number, AbortController>();
/** Held for the worker's lifetime: when the worker goes away, its other end hears `close`. */
let lifeline: MessagePort | null = null;

/** The buffers of a piece's index, handed over rather than copied. */
function buffersOf(piece: RunPiece): ArrayBuffer[] {
  const index = piece.index;
  if (!index) return [];
  return [index.blockOffsets, index.blockLines, index.blockEntries, index.blockBase, index.blockUnit, index.codes].map((a) => a.buffer as ArrayBuffer);
}

export const rangeApi = {
  /** Scans one range; `output` says where its output lines go (null: none kept). */
  async scan(
    task: number,
    file: File,
    stream: boolean,
    setup: ScanSetup,
    range: ScanRange,
    output: OutputOptions | null,
    onPiece: (piece: RunPiece) => void | Promise<void>,
  ): Promise<OutputSummary | null> {
    const controller = new AbortController();
    scans.set(task, controller);
    const sink = output ? await OpfsOutput.open(output) : undefined;
    try {
      let undelivered: { error: unknown } | null = null;
      // Pieces go in order over one port, so only the last waits (for all of them): the engine
      // worker merging a piece never holds this scan up.
      const send = (piece: RunPiece): Promise<void> | undefined => {
        const sent = Promise.resolve(onPiece(transfer(piece, buffersOf(piece)))).catch((error: unknown) => {
          undelivered ??= { error };
        });
        return piece.last ? sent.then(() => { if (undelivered) throw undelivered.error; }) : undefined;
      };
      await new RangeScanner(setup, sink).scan(stream ? { blob: file, stream: true } : { blob: file }, range, send, controller.signal);
      return sink?.summary ?? null;
    } finally {
      scans.delete(task);
    }
  },

  /** The entries of consecutive blocks of a file that a search keeps (see engine/logs/search.ts). */
  async search(file: File, plan: ReadingPlan, blocks: SearchBlock[], search: EntrySearch): Promise<{ first: number; bits: Uint32Array }> {
    const bytes = await readBytes(file, blocks[0].offset, blocks[blocks.length - 1].end);
    const found = searchBlocks(bytes, blocks, readingOf(plan, formatOfPlan), search);
    return transfer(found, [found.bits.buffer]);
  },

  cancel(task: number): void {
    scans.get(task)?.abort();
  },

  /** Answers while the worker is alive and gets a turn: the pool's check that it has not died. */
  ping(): true {
    return true;
  },

  /** Keeps one end of a channel whose other end tells the pool at once when this worker is gone. */
  hold(port: MessagePort): void {
    lifeline = port;
    lifeline.start();
  },
};

export type RangeApi = typeof rangeApi;

expose(rangeApi);
