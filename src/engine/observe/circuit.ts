import type { ParamSpec } from '../processors/params.ts';
import type { CircuitConfig, CircuitState } from './types.ts';

export const DEFAULT_CIRCUIT: CircuitConfig = Object.freeze({
  consecutiveErrors: 50,
  errorRate: 0.8,
  window: 500,
  cooldownMs: 1000,
  whileOpen: 'pass',
} as const);

/** The keys of a processor's `circuit` object (or `circuit: false` to have none), for validation and the reference. */
export const CIRCUIT_PARAMS = [
  {
    name: 'consecutiveErrors',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    default: DEFAULT_CIRCUIT.consecutiveErrors,
    description: 'The circuit opens after this many errors in a row.',
    example: 20,
  },
  {
    name: 'errorRate',
    type: 'number',
    min: 0,
    max: 1,
    default: DEFAULT_CIRCUIT.errorRate,
    description:
      'The circuit also opens when the share of failing lines in a window exceeds this (0–1; 1 turns the rule off).',
    example: 0.5,
  },
  {
    name: 'window',
    type: 'integer',
    min: 1,
    max: 1_000_000,
    default: DEFAULT_CIRCUIT.window,
    description: 'Lines per window of the error-rate rule; windows follow one another without overlapping.',
    example: 200,
  },
  {
    name: 'cooldownMs',
    type: 'integer',
    min: 0,
    max: 3_600_000,
    default: DEFAULT_CIRCUIT.cooldownMs,
    description: 'Milliseconds the circuit stays open before one trial line is let through (half-open).',
    example: 5000,
  },
  {
    name: 'whileOpen',
    type: 'enum',
    values: ['pass', 'drop'],
    default: DEFAULT_CIRCUIT.whileOpen,
    description: 'What happens to lines while the circuit is open: they go around the processor unchanged, or are dropped.',
    example: 'drop',
  },
] as const satisfies readonly ParamSpec[];

export const ERROR_POLICY_PARAM: ParamSpec = {
  name: 'onError',
  type: 'enum',
  values: ['drop', 'pass', 'stop'],
  default: 'drop',
  description:
    'What a processor error does to the line: drop it, pass it on unchanged to the next processor, or stop the run.',
  example: 'pass',
};

export interface CircuitChange {
  from: CircuitState;
  to: CircuitState;
  reason: string;
}

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open'];

/**
 * Per-processor circuit breaker: a processor that keeps failing stops being called for a while,
 * so a broken stage does not cost a throw per line (or flood the error log) for the whole file.
 *
 * closed → open: `consecutiveErrors` errors in a row, or at the end of a tumbling window of
 * `window` lines an error share above `errorRate`. open → half-open: the first `allow()` once
 * `cooldownMs` have passed since opening; that call lets exactly one trial line through.
 * half-open → closed on the trial's success, → open (fresh cool-down) on its failure.
 *
 * Time is passed in (`now`, ms) rather than read, so the executor reads the clock once per
 * batch and tests control it. `success()` runs for every line a closed circuit lets through,
 * hence the state as an integer and a counter compare as its whole cost.
 */
export class CircuitBreaker {
  readonly config: CircuitConfig;
  private current = CLOSED;
  private opened = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private consecutive = 0;
  private windowLines = 0;
  private windowErrors = 0;

  constructor(
    config: CircuitConfig,
    private readonly onChange: (change: CircuitChange) => void,
  ) {
    this.config = config;
  }

  get state(): CircuitState {
    return STATES[this.current];
  }

  /** Times the circuit has opened, re-openings after a failed trial included. */
  get openings(): number {
    return this.opened;
  }

  /** Whether the next line may go through the processor. */
  allow(now: number): boolean {
    const state = this.current;
    if (state === CLOSED) return true;
    if (state === OPEN) {
      // Opened by a success ending a bad window (no clock there): the cool-down starts now.
      if (Number.isNaN(this.openedAt)) {
        this.openedAt = now;
        return false;
      }
      if (now - this.openedAt < this.config.cooldownMs) return false;
      this.trialInFlight = true;
      this.move(HALF_OPEN, `cool-down of ${this.config.cooldownMs} ms passed; trying one line`);
      return true;
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** The processor handled a line without throwing. */
  success(): void {
    if (this.current === CLOSED) {
      this.consecutive = 0;
      if (++this.windowLines >= this.config.window) this.endWindow(NaN);
      return;
    }
    if (this.current === HALF_OPEN) {
      this.trialInFlight = false;
      this.resetCounts();
      this.move(CLOSED, 'a trial line succeeded');
    }
  }

  /** The processor threw on a line. */
  failure(now: number): void {
    if (this.current === CLOSED) {
      this.windowErrors++;
      this.windowLines++;
      if (++this.consecutive >= this.config.consecutiveErrors) {
        this.open(now, `${this.consecutive} errors in a row`);
      } else if (this.windowLines >= this.config.window) {
        this.endWindow(now);
      }
      return;
    }
    if (this.current === HALF_OPEN) {
      this.trialInFlight = false;
      this.open(now, 'the trial line failed');
    }
  }

  /** `now` is NaN when a success ended the window: `allow()` then starts the cool-down. */
  private endWindow(now: number): void {
    const lines = this.windowLines;
    const rate = this.windowErrors / lines;
    this.windowLines = 0;
    this.windowErrors = 0;
    if (rate > this.config.errorRate) {
      this.open(now, `error rate ${percent(rate)} over the last ${lines} lines (threshold ${percent(this.config.errorRate)})`);
    }
  }

  private open(now: number, reason: string): void {
    this.resetCounts();
    this.openedAt = now;
    this.opened++;
    this.move(OPEN, reason);
  }

  private resetCounts(): void {
    this.consecutive = 0;
    this.windowLines = 0;
    this.windowErrors = 0;
  }

  private move(to: number, reason: string): void {
    const from = this.current;
    this.current = to;
    this.onChange({ from: STATES[from], to: STATES[to], reason });
  }
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}
