/**
 * Alert values in words, for the app and the HTML snapshot alike. No imports: the page uses this
 * module as it is (see src/worker/client.ts).
 */

/** What an alert's value and threshold measure, so every view writes them alike. */
export type AlertUnit = 'share' | 'us' | 'lines' | 'lines_per_sec' | 'circuit';

/** A value in its unit: "20%", "0.05%", "open", "1,250 µs", "812 lines/s". */
export function alertValueText(unit: AlertUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (unit === 'share') {
    const p = value * 100;
    return `${p >= 10 ? p.toFixed(1) : p.toFixed(2)}`.replace(/\.?0+$/, '') + '%';
  }
  if (unit === 'circuit') return value >= 1 ? 'open' : 'closed';
  const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: value < 10 ? 2 : 0 }).format(value);
  if (unit === 'us') return `${number} µs`;
  if (unit === 'lines_per_sec') return `${number} lines/s`;
  return number;
}

/** An alert's unit; for a report made before alerts carried theirs, told from its rule's id. */
export function alertUnit(alert: { rule: string; unit?: AlertUnit }): AlertUnit {
  if (alert.unit) return alert.unit;
  const { rule } = alert;
  if (/rate|share|error-lines-per-minute/.test(rule)) return 'share';
  if (rule.includes('circuit')) return 'circuit';
  if (rule.includes('p95')) return 'us';
  if (rule.includes('throughput')) return 'lines_per_sec';
  return 'lines';
}
