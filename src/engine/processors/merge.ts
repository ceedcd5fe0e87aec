/**
 * Merging the states of processors that are not `ordered` across byte ranges of one file: the
 * pool runs such a pipeline on several workers, each over a range, and merges what each
 * instance holds (its `partial()`), in file order, into what one pass would hold.
 */
import { counterSummary, KeyCounter, mergeCounterStates } from './counter-table.ts';
import type { PartialState } from './types.ts';

/** The partial states of one processor over consecutive ranges of a file, in file order, as one. */
export function mergePartialStates(parts: readonly PartialState[]): PartialState | null {
  const first = parts[0];
  if (first === undefined) return null;
  if (first.kind === 'counter') {
    const tables = parts.flatMap((part) => (part.kind === 'counter' ? [part.table] : []));
    return { kind: 'counter', table: mergeCounterStates(tables), top: first.top };
  }
  const masked: Record<string, number> = {};
  for (const part of parts) {
    if (part.kind !== 'redact') continue;
    for (const [kind, n] of Object.entries(part.masked)) masked[kind] = (masked[kind] ?? 0) + n;
  }
  return { kind: 'redact', masked };
}

/** What `state()` of one instance over the whole file gives, from its (merged) partial state. */
export function stateOfPartial(partial: PartialState): unknown {
  return partial.kind === 'counter' ? counterSummary(partial.table, partial.top) : { masked: { ...partial.masked } };
}

/**
 * One processor's state gathered piece by piece, pieces in file order (what `takePartial` gives
 * in each range, ranges in file order): what `state()` of one instance over the file gives.
 */
export class StateAccumulator {
  private counter: KeyCounter | null = null;
  private top = 0;
  private masked: Record<string, number> | null = null;

  add(part: PartialState): void {
    if (part.kind === 'counter') {
      const first = this.counter === null;
      this.counter ??= new KeyCounter(part.table.caps);
      this.top = part.top;
      this.counter.merge(part.table, first);
    } else {
      this.masked ??= {};
      for (const [kind, n] of Object.entries(part.masked)) this.masked[kind] = (this.masked[kind] ?? 0) + n;
    }
  }

  /** The state so far, or undefined before any part came. */
  state(): unknown {
    if (this.counter) return this.counter.summary(this.top);
    if (this.masked) return { masked: { ...this.masked } };
    return undefined;
  }
}
