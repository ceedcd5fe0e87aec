/**
 * The pool of range workers the engine worker hands a run's ranges to. Each worker scans one
 * range at a time; a worker that stops answering (crashed, out of memory, closed) is noticed
 * within a couple of seconds and the range's scan fails, which ends the run with a message.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { ScanPool } from '../engine/run.ts';
import type { ScanInput } from '../engine/scan/scanner.ts';
import type { RunPiece, ScanRange, ScanSetup } from '../engine/scan/types.ts';
import type { RangeApi } from './range.ts';

/** How often a busy worker is asked whether it is alive, and how long it may take to answer. */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 2500;

interface Member {
  worker: Worker;
  remote: Remote<RangeApi>;
  busy: boolean;
  /** Set when the worker failed: it is replaced before the next scan. */
  dead: string | null;
}

export class WorkerPool implements ScanPool {
  private readonly members: Member[] = [];
  private nextTask = 1;
  /** Output file names per range of the current run, when output is kept. */
  outputName: ((range: number) => string | null) | null = null;

  constructor(readonly size: number) {}

  async scan(input: ScanInput, setup: ScanSetup, range: ScanRange, onPiece: (piece: RunPiece) => void, signal: AbortSignal): Promise<unknown> {
    const member = this.take();
    const task = this.nextTask++;
    member.busy = true;
    let failed!: (reason: Error) => void;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    const onError = (event: ErrorEvent | MessageEvent) => {
      member.dead = event instanceof ErrorEvent && event.message ? event.message : 'the worker stopped';
      failed(new Error(member.dead));
    };
    member.worker.addEventListener('error', onError);
    member.worker.addEventListener('messageerror', onError);
    const cancel = () => void member.remote.cancel(task).catch(() => {});
    signal.addEventListener('abort', cancel, { once: true });
    // A worker that ran out of memory or was closed says nothing: it stops answering.
    const watch = setInterval(() => {
      const answered = member.remote.ping();
      const late = setTimeout(() => {
        member.dead = 'it stopped answering (it may have run out of memory)';
        failed(new Error(member.dead));
      }, PING_TIMEOUT_MS);
      answered.then(
        () => clearTimeout(late),
        () => {},
      );
    }, PING_EVERY_MS);
    try {
      const file = input.blob as File;
      return await Promise.race([
        member.remote.scan(task, file, input.stream === true, setup, range, this.outputName?.(range.index) ?? null, proxy(onPiece)),
        failure,
      ]);
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', cancel);
      member.worker.removeEventListener('error', onError);
      member.worker.removeEventListener('messageerror', onError);
      member.busy = false;
      if (member.dead !== null) this.replace(member);
    }
  }

  /** Stops every worker (the engine worker is going away, or a run must stop at once). */
  terminate(): void {
    for (const member of this.members) member.worker.terminate();
    this.members.length = 0;
  }

  private take(): Member {
    const idle = this.members.find((m) => !m.busy && m.dead === null);
    if (idle) return idle;
    if (this.members.length >= this.size) throw new Error('no idle range worker: the pool runs at most `size` scans at once');
    const member = start();
    this.members.push(member);
    return member;
  }

  private replace(member: Member): void {
    member.worker.terminate();
    const at = this.members.indexOf(member);
    if (at !== -1) this.members.splice(at, 1);
  }
}

function start(): Member {
  const worker = new Worker(new URL('./range.ts', import.meta.url), { type: 'module', name: 'linesight-range' });
  return { worker, remote: wrap<RangeApi>(worker), busy: false, dead: null };
}
