/** Formatting of per-processor latency and time share (the stats table's extra columns). */

/** Headers of the columns after the six contract ones, in order. */
export const LATENCY_COLUMNS = ['p50 (µs)', 'p95 (µs)', 'p99 (µs)', 'Time share'] as const;

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A percentile of time per line in µs: most processors take well under a microsecond a line,
 * so small values keep two decimals. "–" until the processor has seen a line.
 */
export function formatLatency(us: number | undefined, linesIn = 1): string {
  if (us === undefined || !Number.isFinite(us) || !(linesIn > 0)) return '–';
  if (us < 1) return twoDecimals.format(us);
  if (us < 100) return oneDecimal.format(us);
  return whole.format(us);
}

/** A share (0–1) as a percentage with one decimal: 0.4213 -> "42.1%". */
export function formatShare(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return '–';
  return `${oneDecimal.format(share * 100)}%`;
}
