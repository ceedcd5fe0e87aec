/**
 * The log-time filter that a click on the levels chart sets, applied by the Journeys and Errors
 * views to what carries the line's own time (`ts`, epoch ms). An item without a timestamp is
 * kept — hiding it would hide exactly the lines whose time is unknown — and counted, so the
 * view can say how many of those it shows.
 */
import { formatUtcRange } from './charts.svelte.ts';

/** Lines whose log time is in [startMs, endMs) (epoch ms). */
export interface TimeFilter {
  startMs: number;
  endMs: number;
}

export function applyTimeFilter<T extends { ts?: number }>(items: readonly T[], filter: TimeFilter | null): { items: T[]; untimed: number } {
  if (!filter) return { items: items as T[], untimed: 0 };
  const kept: T[] = [];
  let untimed = 0;
  for (const item of items) {
    const ts = item.ts;
    if (ts === undefined || !Number.isFinite(ts)) {
      untimed++;
      kept.push(item);
    } else if (ts >= filter.startMs && ts < filter.endMs) kept.push(item);
  }
  return { items: kept, untimed };
}

/** "2015-08-10 21:41 – 21:42 UTC" style text of a filter. */
export function describeTimeFilter(filter: TimeFilter): string {
  return formatUtcRange(filter.startMs, filter.endMs);
}
