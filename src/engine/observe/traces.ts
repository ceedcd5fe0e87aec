import { Ring } from './ring.ts';
import { TEXT_CAPS, TextCapper } from './text-caps.ts';
import { DEFAULT_CAPS, MAX_TRACES, type Trace, type TracePolicy, type TracesSection } from './types.ts';

const OFF = 0;
const ALL = 1;
const SAMPLE = 2;
const FIRST = 3;

/**
 * Decides which lines get a journey and keeps the most recent ones. `samples()` is asked for
 * every line of the file, so the policy is reduced to two integers up front: with tracing off
 * the whole cost is one comparison per line.
 *
 * Lines that end in a drop or an error are worth a journey even when not sampled (they are
 * what a user investigates), but only while the cap has room: once it is full, forcing them
 * in would let a flood of failures evict every sampled journey.
 *
 * A kept trace holds at most TEXT_CAPS.trace bytes of text (each text at most TEXT_CAPS.text):
 * the line first, then the steps in order while room is left; `cut` counts the texts cut.
 */
export class TraceRecorder {
  readonly enabled: boolean;
  readonly cap: number;
  /** The policy in effect, numbers made whole; null when tracing is off. */
  readonly policy: TracePolicy | null;
  private readonly mode: number;
  private readonly n: number;
  /** For 1 in n: the remainder of the traced line numbers (1 % n, so line 1 is traced). */
  private readonly rem: number;
  private readonly ring: Ring<Trace>;
  private readonly texts = new TextCapper();

  constructor(policy: TracePolicy | null, cap: number) {
    this.cap = Number.isFinite(cap) ? Math.min(MAX_TRACES, Math.max(1, Math.floor(cap))) : DEFAULT_CAPS.traces;
    this.ring = new Ring<Trace>(this.cap);
    let mode = OFF;
    let n = 0;
    if (policy?.mode === 'all') {
      mode = ALL;
      this.policy = { mode: 'all' };
    } else if (policy?.mode === 'sample') {
      mode = SAMPLE;
      n = Number.isFinite(policy.n) ? Math.max(1, Math.floor(policy.n)) : 1;
      this.policy = { mode: 'sample', n };
    } else if (policy?.mode === 'first') {
      mode = FIRST;
      // Infinity is allowed (every line); NaN or negative traces none.
      n = policy.n >= 0 ? Math.floor(policy.n) : 0;
      this.policy = { mode: 'first', n };
    } else {
      this.policy = null;
    }
    this.mode = mode;
    this.n = n;
    this.rem = mode === SAMPLE ? 1 % n : 0;
    this.enabled = mode !== OFF;
  }

  /** Whether line `lineNo` (1-based) is traced from its first step on. */
  samples(lineNo: number): boolean {
    const mode = this.mode;
    if (mode === OFF) return false;
    if (mode === ALL) return true;
    if (mode === SAMPLE) return lineNo % this.n === this.rem;
    return lineNo <= this.n;
  }

  /** Whether a line that was not sampled but ended in a drop or an error may still be traced. */
  get canForce(): boolean {
    return this.enabled && this.ring.size < this.cap;
  }

  /** Keeps a finished journey, evicting the oldest past the cap. Ignored when tracing is off. */
  add(trace: Trace): void {
    if (this.enabled) this.ring.push(capTrace(trace, this.texts));
  }

  /** Texts cut to the caps, over every trace made. */
  get cut(): number {
    return this.texts.cut;
  }

  /** Adds a piece's traces, in file order: `seen` made there, the kept ones with line numbers moved by `lineOffset`. */
  absorb(items: readonly Trace[], seen: number, lineOffset: number, cut = 0): void {
    if (!this.enabled) return;
    this.texts.cut += cut;
    this.ring.skip(seen - items.length);
    for (const trace of items) this.ring.push(lineOffset === 0 ? trace : { ...trace, lineNo: trace.lineNo + lineOffset });
  }

  get seen(): number {
    return this.ring.seen;
  }

  get kept(): number {
    return this.ring.size;
  }

  /** Traces made after the first `seen` (still kept), oldest first. */
  since(seen: number): Trace[] {
    return this.ring.since(seen);
  }

  section(): TracesSection {
    return {
      enabled: this.enabled,
      policy: this.policy && { ...this.policy },
      seen: this.ring.seen,
      kept: this.ring.size,
      items: this.ring.toArray(),
      ...(this.texts.cut ? { cut: this.texts.cut } : {}),
    };
  }
}

/**
 * Cuts a trace's texts (in place) to the caps: the line, then each step's text and error, out
 * of one budget per trace. `recheck` (imported traces) leaves texts already cut alone.
 */
export function capTrace(trace: Trace, texts: TextCapper, recheck = false): Trace {
  let left: number = TEXT_CAPS.trace;
  const take = (text: string): string => {
    const max = Math.min(TEXT_CAPS.text, left);
    const kept = recheck ? texts.recheck(text, max) : texts.keep(text, max);
    left = Math.max(0, left - texts.bytes);
    return kept;
  };
  trace.text = take(trace.text);
  for (const step of trace.steps) {
    if (step.text !== undefined) step.text = take(step.text);
    if (step.error !== undefined) step.error = take(step.error);
  }
  return trace;
}
