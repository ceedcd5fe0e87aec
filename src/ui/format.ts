/** Number and time formatting for the UI: plain functions, no state. */
import type { ConfigIssue, TraceStep } from '../worker/client.ts';

// A fixed locale keeps figures identical across machines, so users, screenshots and tests
// compare like with like.
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const BYTE_UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/** 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return whole.format(n);
}

/** Processor time in milliseconds with one decimal: 1234.56 -> "1,234.6". */
export function formatMs(ms: number): string {
  return oneDecimal.format(ms);
}

/** Binary units, as file managers show them: 1536 -> "1.5 KB"; three significant figures at most. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${whole.format(bytes)} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** "850 ms", "1.2 s", "3 min 4 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Lines per second; millions get a short form because that is where exact digits stop mattering. */
export function formatLineRate(perSec: number): string {
  if (perSec >= 1_000_000) return `${(perSec / 1_000_000).toFixed(2)} M lines/s`;
  return `${formatCount(perSec)} lines/s`;
}

/** 52428800 -> "50.0 MB/s". */
export function formatByteRate(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** Share of a whole as a percentage; an empty whole is 0 %, not NaN, and a rare key is not "0.0%". */
export function formatPercent(part: number, total: number): string {
  const share = total > 0 ? (part / total) * 100 : 0;
  if (share > 0 && share < 0.1) return '<0.1%';
  return `${share < 10 && share > 0 ? share.toFixed(1) : Math.round(share)}%`;
}

/** How a config issue reads to a user: `path: message` (issues about the whole text have no path). */
export function issueText(issue: ConfigIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** A step's duration in microseconds: sub-10 µs keeps a decimal, since most steps are that fast. */
export function formatMicros(us: number): string {
  return us < 10 ? `${oneDecimal.format(us)} µs` : `${formatCount(us)} µs`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An event's ISO timestamp as local wall-clock time with milliseconds: "14:03:07.125". */
export function formatClock(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** `level → start[error] → error_counter`: the route a traced line took, router branches in brackets. */
export function formatPath(steps: readonly TraceStep[]): string {
  return steps.map((s) => (s.branch === undefined ? s.processor : `${s.processor}[${s.branch}]`)).join(' → ');
}

/**
 * Descriptor text with Markdown code spans, split so a component can render each part as a text
 * node or a <code> element: `a \`b\` c` -> [a , b (code),  c]. Never HTML: descriptions are data.
 */
export function codeSpans(text: string): { text: string; code: boolean }[] {
  return text
    .split('`')
    .map((part, i) => ({ text: part, code: i % 2 === 1 }))
    .filter((part) => part.text !== '');
}

/** An ISO timestamp as local date and time to the second, sortable as text: "2026-01-01 12:00:05". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** An error in words, for a sentence that says what failed. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
