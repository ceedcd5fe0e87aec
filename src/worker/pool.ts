/**
 * The pool of range workers the engine worker hands a run's ranges to. Each worker scans one
 * range at a time; a worker that stops answering (crashed, out of memory, closed) is noticed
 * within a couple of seconds and the range's scan fails, which ends the run with a message.
 */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { ScanPool } from '../engine/run.ts';
import type { ScanInput } from '../engine/scan/scanner.ts';
import type { RunPiece, ScanRange, ScanSetup } from '../engine/scan/types.ts';
import type { EntrySearch, SearchBlock } from '../engine/logs/search.ts';
import type { ReadingPlan } from '../engine/logs/views.ts';
import type { OutputOptions } from './output.ts';
import type { RangeApi } from './range.ts';

/**
 * How often a busy worker is asked whether it is alive, and how long it may take to answer. A
 * worker that goes away is heard at once where the browser closes its channel (Chromium's
 * MessagePort `close`); the pings are for the others, and give a loaded machine time.
 */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 8000;

interface Member {
  worker: Worker;
  remote: Remote<RangeApi>;
  busy: boolean;
  /** Set when the worker failed: it is replaced before the next scan. */
  dead: string | null;
  /** Our end of the worker's lifeline: `close` when the worker is gone. */
  lifeline: MessagePort;
}

export class WorkerPool implements ScanPool {
  private readonly members: Member[] = [];
  private nextTask = 1;
  /** Where each range of the current run keeps its output (given the range and how many there are), when output is kept. */
  output: ((range: number, ranges: number) => OutputOptions) | null = null;

  constructor(readonly size: number) {}

  /** Searches blocks of a file on the next free worker (a Logs view's search). */
  async search(file: File, plan: ReadingPlan, blocks: SearchBlock[], search: EntrySearch, signal: AbortSignal): Promise<{ first: number; bits: Uint32Array }> {
    const member = await this.acquire();
    try {
      signal.throwIfAborted();
      return await member.remote.search(file, plan, blocks, search);
    } finally {
      this.release(member);
    }
  }

  async scan(input: ScanInput, setup: ScanSetup, range: ScanRange, onPiece: (piece: RunPiece) => void, signal: AbortSignal): Promise<unknown> {
    const member = await this.acquire();
    const task = this.nextTask++;
    let failed!: (reason: Error) => void;
    const failure = new Promise<never>((_, reject) => (failed = reject));
    const onError = (event: ErrorEvent | MessageEvent) => {
      member.dead = event instanceof ErrorEvent && event.message ? event.message : 'the worker stopped';
      failed(new Error(member.dead));
    };
    const onClose = () => {
      member.dead = 'the worker was closed (it may have run out of memory)';
      failed(new Error(member.dead));
    };
    member.worker.addEventListener('error', onError);
    member.worker.addEventListener('messageerror', onError);
    member.lifeline.addEventListener('close', onClose);
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
        member.remote.scan(task, file, input.stream === true, setup, range, (setup.keepOutput ? this.output?.(range.index, range.of) : null) ?? null, proxy(onPiece)),
        failure,
      ]);
    } finally {
      clearInterval(watch);
      signal.removeEventListener('abort', cancel);
      member.worker.removeEventListener('error', onError);
      member.worker.removeEventListener('messageerror', onError);
      member.lifeline.removeEventListener('close', onClose);
      if (member.dead !== null) this.replace(member);
      this.release(member);
    }
  }

  /** Stops every worker (the engine worker is going away, or a run must stop at once). */
  terminate(): void {
    for (const member of this.members) {
      member.lifeline.close();
      member.worker.terminate();
    }
    this.members.length = 0;
  }

  private readonly waiting: ((member: Member) => void)[] = [];

  /** An idle worker (started when the pool has room), or the next to finish its task. */
  private acquire(): Promise<Member> {
    const idle = this.members.find((m) => !m.busy && m.dead === null);
    const member = idle ?? (this.members.length < this.size ? this.add() : null);
    if (member) {
      member.busy = true;
      return Promise.resolve(member);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(member: Member): void {
    member.busy = false;
    const next = this.waiting.shift();
    if (!next) return;
    const ready = member.dead === null && this.members.includes(member) ? member : this.add();
    ready.busy = true;
    next(ready);
  }

  private add(): Member {
    const member = start();
    this.members.push(member);
    return member;
  }

  private replace(member: Member): void {
    member.lifeline.close();
    member.worker.terminate();
    const at = this.members.indexOf(member);
    if (at !== -1) this.members.splice(at, 1);
  }
}

function start(): Member {
  const worker = new Worker(new URL('./range.ts', import.meta.url), { type: 'module', name: 'linesight-range' });
  const remote = wrap<RangeApi>(worker);
  const channel = new MessageChannel();
  channel.port1.start();
  void remote.hold(transfer(channel.port2, [channel.port2]));
  return { worker, remote, busy: false, dead: null, lifeline: channel.port1 };
}
