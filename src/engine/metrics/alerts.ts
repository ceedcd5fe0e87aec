/**
 * Alert rules and the state machine of the alerts they raise (the report's `alerts`).
 *
 * The engine decides *when* a condition holds; people decide what to do about it. So the rule
 * side only fires and auto-resolves, and the user side acknowledges, resolves and suppresses,
 * and every change lands in the alert's history (who: `rule` or `user`; what; when) — the audit
 * trail a report carries. States:
 *
 *   (none) ──condition──► firing ──ack──► acknowledged
 *   firing / acknowledged ──condition false (rule) or resolve (user)──► resolved
 *   resolved ──condition, once the cool-down since resolving has passed──► firing
 *   any ──suppress(until)──► suppressed ──until passed (rule) or unsuppress (user)──► resolved
 *                                         (and fires at once if the condition still holds)
 *
 * A suppression lasts until a time, or for the rest of the run (`until` null): that one never
 * passes, so a finished run's report shows the alert suppressed for the run.
 *
 * An alert is keyed by its rule, plus the processor when the rule watches every processor
 * (`processor` absent), so each processor gets its own alert. A target with no value in an
 * evaluation (no minute of log time ended since the last one, a processor not seen yet) keeps
 * its state: missing data is not good news.
 */

import { LEVELS, type Level } from '../types.ts';
import type { CircuitState } from '../observe/types.ts';
import type { AlertUnit } from './alert-units.ts';

export type { AlertUnit } from './alert-units.ts';

export type AlertSeverity = 'low' | 'medium' | 'high' | 'critical';
export type AlertComparison = '>' | '>=' | '<' | '<=';
export type AlertState = 'firing' | 'acknowledged' | 'resolved' | 'suppressed';
export type AlertAction = 'fired' | 'acknowledged' | 'resolved' | 'suppressed' | 'unsuppressed';

export type AlertMetric =
  /** Share (0–1) of a processor's lines that failed. */
  | { kind: 'processor_error_rate'; processor?: string }
  /** A processor's 95th percentile of time per line, µs. */
  | { kind: 'processor_p95_us'; processor?: string }
  /** A level's lines in a minute of the log's own time: a count, or a share (0–1) of the minute's lines. */
  | { kind: 'level_per_minute'; level: Level; share?: boolean }
  | { kind: 'throughput_lps' }
  /** 1 while a processor's circuit is open or half-open (on trial), 0 when closed. */
  | { kind: 'circuit_open'; processor?: string };

export interface AlertRule {
  id: string;
  name: string;
  metric: AlertMetric;
  comparison: AlertComparison;
  threshold: number;
  severity: AlertSeverity;
  /** After an alert resolves, the same alert fires again only once this much time has passed. */
  cooldownMs: number;
  enabled: boolean;
}

export const BUILT_IN_RULES: readonly AlertRule[] = Object.freeze([
  {
    id: 'error-lines-per-minute',
    name: 'ERROR lines above 5% of a minute of log time',
    metric: { kind: 'level_per_minute', level: 'ERROR', share: true },
    comparison: '>',
    threshold: 0.05,
    severity: 'high',
    cooldownMs: 60_000,
    enabled: true,
  },
  {
    id: 'processor-error-rate',
    name: 'Processor error rate above 1%',
    metric: { kind: 'processor_error_rate' },
    comparison: '>',
    threshold: 0.01,
    severity: 'medium',
    cooldownMs: 60_000,
    enabled: true,
  },
  {
    id: 'circuit-open',
    name: 'Circuit open',
    metric: { kind: 'circuit_open' },
    comparison: '>=',
    threshold: 1,
    severity: 'high',
    cooldownMs: 60_000,
    enabled: true,
  },
] satisfies AlertRule[]);

export interface ProcessorMetricValues {
  id: string;
  errorRate?: number;
  p95Us?: number;
  circuit?: CircuitState;
}

/** Per level (indexed like LEVELS): extremes over the minutes of log time ended since the last evaluation. */
export interface MinuteLevelValues {
  minutes: number;
  maxCount: ArrayLike<number>;
  minCount: ArrayLike<number>;
  maxShare: ArrayLike<number>;
  minShare: ArrayLike<number>;
}

/** The current value of each thing rules can watch; absent ones leave their alerts as they are. */
export interface MetricValues {
  processors?: readonly ProcessorMetricValues[];
  /** From MinuteLevels.take(); null when no minute ended since the last evaluation. */
  levelMinutes?: MinuteLevelValues | null;
  throughputLps?: number;
}

export interface AlertHistoryEntry {
  /** ISO 8601. */
  at: string;
  action: AlertAction;
  by: 'rule' | 'user';
  value?: number;
  /** For `suppressed`: until when (ISO 8601); null: until the run ends. */
  until?: string | null;
}

export function unitOf(metric: AlertMetric): AlertUnit {
  switch (metric.kind) {
    case 'processor_error_rate':
      return 'share';
    case 'processor_p95_us':
      return 'us';
    case 'level_per_minute':
      return metric.share ? 'share' : 'lines';
    case 'throughput_lps':
      return 'lines_per_sec';
    case 'circuit_open':
      return 'circuit';
  }
}

/** An alert as the report and the UI show it. */
export interface AlertView {
  /** Rule id, plus `:processor` for rules watching every processor. */
  id: string;
  rule: string;
  name: string;
  processor?: string;
  /** Absent in reports made before units were written. */
  unit?: AlertUnit;
  severity: AlertSeverity;
  state: AlertState;
  /** When it last fired (ISO 8601); null if it was never fired. */
  firedAt: string | null;
  /** The value that made it fire last. */
  value: number | null;
  threshold: number;
  /** Latest value seen while it was active. */
  lastValue: number | null;
  /** While suppressed: until when (ISO 8601); null: until the run ends. */
  suppressedUntil?: string | null;
  history: AlertHistoryEntry[];
  /** Oldest history entries dropped beyond MAX_ALERT_HISTORY. */
  historyDropped?: number;
}

export interface AlertChange {
  alert: AlertView;
  action: AlertAction;
  by: 'rule' | 'user';
  at: string;
}

/** Oldest history entries go first beyond this: a flapping alert must not grow without bound. */
export const MAX_ALERT_HISTORY = 200;

interface AlertRecord {
  id: string;
  rule: AlertRule;
  processor?: string;
  state: AlertState;
  firedAt: number;
  value: number | null;
  lastValue: number | null;
  resolvedAt: number;
  /** Epoch ms; Infinity: until the run ends. */
  suppressedUntil: number;
  history: AlertHistoryEntry[];
  historyDropped: number;
}

export class AlertEngine {
  private rules: AlertRule[];
  private readonly records = new Map<string, AlertRecord>();

  constructor(
    rules: readonly AlertRule[] = BUILT_IN_RULES,
    private readonly onChange?: (change: AlertChange) => void,
  ) {
    this.rules = rules.map((r) => ({ ...r }));
  }

  /** Replaces the rules; alerts of rules now gone or disabled resolve at the next evaluation. */
  setRules(rules: readonly AlertRule[]): void {
    this.rules = rules.map((r) => ({ ...r }));
    for (const record of this.records.values()) {
      const updated = this.rules.find((r) => r.id === record.rule.id);
      if (updated) record.rule = updated;
    }
  }

  getRules(): AlertRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Applies the rules to the current values; `now` is wall-clock epoch ms. */
  evaluate(values: MetricValues, now: number): void {
    for (const record of this.records.values()) {
      if (record.state === 'suppressed' && now >= record.suppressedUntil) {
        record.state = 'resolved';
        record.resolvedAt = -Infinity; // the suppression served as the cool-down
        this.log(record, now, 'unsuppressed', 'rule');
      }
      const active = record.state === 'firing' || record.state === 'acknowledged';
      if (active && !this.rules.some((r) => r.id === record.rule.id && r.enabled)) {
        this.resolveRecord(record, now, 'rule');
      }
    }
    for (const rule of this.rules) {
      if (!rule.enabled) continue;
      const { metric } = rule;
      switch (metric.kind) {
        case 'processor_error_rate':
        case 'processor_p95_us':
        case 'circuit_open': {
          const processors = values.processors;
          if (processors === undefined) break;
          for (const p of processors) {
            if (metric.processor !== undefined && p.id !== metric.processor) continue;
            const value =
              metric.kind === 'processor_error_rate'
                ? p.errorRate
                : metric.kind === 'processor_p95_us'
                  ? p.p95Us
                  : p.circuit === undefined
                    ? undefined
                    : p.circuit === 'closed'
                      ? 0
                      : 1;
            const key = metric.processor === undefined ? `${rule.id}:${p.id}` : rule.id;
            this.step(rule, key, metric.processor === undefined ? p.id : metric.processor, value, now);
          }
          break;
        }
        case 'level_per_minute': {
          const minutes = values.levelMinutes;
          if (!minutes || minutes.minutes === 0) break;
          const level = LEVELS.indexOf(metric.level);
          if (level < 0) break;
          // "Some minute since the last evaluation crossed the threshold": the extreme on the
          // side the comparison looks at.
          const high = rule.comparison === '>' || rule.comparison === '>=';
          const column = metric.share
            ? high
              ? minutes.maxShare
              : minutes.minShare
            : high
              ? minutes.maxCount
              : minutes.minCount;
          this.step(rule, rule.id, undefined, column[level], now);
          break;
        }
        case 'throughput_lps':
          this.step(rule, rule.id, undefined, values.throughputLps, now);
          break;
      }
    }
  }

  private step(rule: AlertRule, key: string, processor: string | undefined, value: number | undefined, now: number): void {
    if (value === undefined || Number.isNaN(value)) return;
    const holds = compare(value, rule.comparison, rule.threshold);
    let record = this.records.get(key);
    if (record === undefined) {
      if (!holds) return;
      record = {
        id: key,
        rule,
        ...(processor === undefined ? {} : { processor }),
        state: 'resolved',
        firedAt: NaN,
        value: null,
        lastValue: null,
        resolvedAt: -Infinity,
        suppressedUntil: NaN,
        history: [],
        historyDropped: 0,
      };
      this.records.set(key, record);
    }
    switch (record.state) {
      case 'suppressed':
        return;
      case 'firing':
      case 'acknowledged':
        record.lastValue = value;
        if (!holds) this.resolveRecord(record, now, 'rule', value);
        return;
      case 'resolved':
        if (holds && now - record.resolvedAt >= rule.cooldownMs) {
          record.state = 'firing';
          record.firedAt = now;
          record.value = value;
          record.lastValue = value;
          this.log(record, now, 'fired', 'rule', value);
        }
        return;
    }
  }

  /** The user has seen a firing alert; it stays until it resolves. */
  acknowledge(id: string, now: number): boolean {
    const record = this.records.get(id);
    if (record?.state !== 'firing') return false;
    record.state = 'acknowledged';
    this.log(record, now, 'acknowledged', 'user');
    return true;
  }

  /** The user closes an alert; if the condition still holds it fires again after the cool-down. */
  resolve(id: string, now: number): boolean {
    const record = this.records.get(id);
    if (record === undefined || record.state === 'resolved') return false;
    this.resolveRecord(record, now, 'user');
    return true;
  }

  /** No firing until `untilMs` (epoch ms), or for the rest of the run when it is null. */
  suppress(id: string, untilMs: number | null, now: number): boolean {
    const record = this.records.get(id);
    const until = untilMs ?? Infinity;
    if (record === undefined || !(until > now)) return false;
    record.state = 'suppressed';
    record.suppressedUntil = until;
    this.log(record, now, 'suppressed', 'user', undefined, until);
    return true;
  }

  /** Ends a suppression early. */
  unsuppress(id: string, now: number): boolean {
    const record = this.records.get(id);
    if (record?.state !== 'suppressed') return false;
    record.state = 'resolved';
    record.resolvedAt = -Infinity;
    this.log(record, now, 'unsuppressed', 'user');
    return true;
  }

  /** The report's `alerts`, in the order they first fired. */
  alerts(): AlertView[] {
    return [...this.records.values()].map(view);
  }

  /** Alerts currently firing (the header's list). */
  firing(): AlertView[] {
    return this.alerts().filter((a) => a.state === 'firing');
  }

  private resolveRecord(record: AlertRecord, now: number, by: 'rule' | 'user', value?: number): void {
    record.state = 'resolved';
    record.resolvedAt = now;
    this.log(record, now, 'resolved', by, value);
  }

  private log(record: AlertRecord, now: number, action: AlertAction, by: 'rule' | 'user', value?: number, until?: number): void {
    const at = new Date(now).toISOString();
    const entry: AlertHistoryEntry = { at, action, by };
    if (value !== undefined) entry.value = value;
    if (until !== undefined) entry.until = isoOrRunEnd(until);
    record.history.push(entry);
    if (record.history.length > MAX_ALERT_HISTORY) {
      record.history.shift();
      record.historyDropped++;
    }
    this.onChange?.({ alert: view(record), action, by, at });
  }
}

function view(r: AlertRecord): AlertView {
  return {
    id: r.id,
    rule: r.rule.id,
    name: r.rule.name,
    ...(r.processor === undefined ? {} : { processor: r.processor }),
    unit: unitOf(r.rule.metric),
    severity: r.rule.severity,
    state: r.state,
    firedAt: Number.isNaN(r.firedAt) ? null : new Date(r.firedAt).toISOString(),
    value: r.value,
    threshold: r.rule.threshold,
    lastValue: r.lastValue,
    ...(r.state === 'suppressed' ? { suppressedUntil: isoOrRunEnd(r.suppressedUntil) } : {}),
    history: r.history.map((h) => ({ ...h })),
    ...(r.historyDropped > 0 ? { historyDropped: r.historyDropped } : {}),
  };
}

/** An instant as ISO 8601; the end of the run (Infinity) as null. */
function isoOrRunEnd(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

function compare(value: number, comparison: AlertComparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

const LEVEL_COUNT = LEVELS.length;

/**
 * Lines per level per minute of log time, for `level_per_minute` rules. A minute ends when a
 * line of a later minute arrives (or at `flush()`); `take()` hands over the extremes of the
 * minutes ended since the last take, so a burst in one minute is seen even when many minutes
 * pass between two evaluations. A late line from an earlier minute counts in the current one
 * (approximate, but bounded memory); minutes without lines are not minutes here.
 */
export class MinuteLevels {
  private minute = NaN;
  private readonly current = new Float64Array(LEVEL_COUNT);
  private ended = 0;
  private readonly maxCount = new Float64Array(LEVEL_COUNT);
  private readonly minCount = new Float64Array(LEVEL_COUNT).fill(Infinity);
  private readonly maxShare = new Float64Array(LEVEL_COUNT);
  private readonly minShare = new Float64Array(LEVEL_COUNT).fill(Infinity);

  add(epochMs: number, levelIndex: number): void {
    this.addMany(epochMs, levelIndex, 1);
  }

  /** `n` lines at once (a piece's count for one minute and level). */
  addMany(epochMs: number, levelIndex: number, n: number): void {
    if (!Number.isFinite(epochMs)) return;
    const minute = Math.floor(epochMs / 60_000);
    if (minute > this.minute) this.end();
    if (!(minute <= this.minute)) this.minute = minute;
    this.current[levelIndex >= 0 && levelIndex < LEVEL_COUNT ? levelIndex : LEVEL_COUNT - 1] += n;
  }

  /** Ends the current minute (the log's last minute is complete when the run is). */
  flush(): void {
    this.end();
    this.minute = NaN;
  }

  /** Extremes over the minutes ended since the last take; null if none ended. */
  take(): MinuteLevelValues | null {
    if (this.ended === 0) return null;
    const out: MinuteLevelValues = {
      minutes: this.ended,
      maxCount: this.maxCount.slice(),
      minCount: this.minCount.slice(),
      maxShare: this.maxShare.slice(),
      minShare: this.minShare.slice(),
    };
    this.ended = 0;
    this.maxCount.fill(0);
    this.minCount.fill(Infinity);
    this.maxShare.fill(0);
    this.minShare.fill(Infinity);
    return out;
  }

  private end(): void {
    const c = this.current;
    let total = 0;
    for (let l = 0; l < LEVEL_COUNT; l++) total += c[l];
    if (total === 0) return;
    for (let l = 0; l < LEVEL_COUNT; l++) {
      const share = c[l] / total;
      if (c[l] > this.maxCount[l]) this.maxCount[l] = c[l];
      if (c[l] < this.minCount[l]) this.minCount[l] = c[l];
      if (share > this.maxShare[l]) this.maxShare[l] = share;
      if (share < this.minShare[l]) this.minShare[l] = share;
    }
    c.fill(0);
    this.ended++;
  }
}
