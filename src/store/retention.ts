/** Retention settings: how much of each run, and how many runs, the store keeps. */

import { MAX_TRACES } from '../engine/observe/types.ts';
import type { Result } from '../engine/types.ts';
import type { LinesightDatabase, RunCaps } from './schema.ts';
import { writeTransaction } from './tx.ts';

export interface RetentionSettings {
  /** Runs kept; the oldest are evicted first. */
  runsKept: number;
  tracesPerRun: number;
  errorsPerRun: number;
  eventsPerRun: number;
  /** Points per metric series; older points are merged in pairs, so a chart still spans the whole run. */
  metricPointsPerSeries: number;
  /** Total size of all stored runs (estimated); the oldest runs are evicted first. */
  storageBudgetBytes: number;
}

const MB = 1024 * 1024;

/**
 * Each setting described for the Settings panel and checked by `validateRetention`: whole
 * numbers within [min, max]. The panel can render itself from this table.
 */
export const RETENTION_FIELDS: Record<keyof RetentionSettings, { label: string; default: number; min: number; max: number; unit?: 'bytes' }> = {
  runsKept: { label: 'Runs kept', default: 50, min: 1, max: 1000 },
  tracesPerRun: { label: 'Traces per run', default: 1000, min: 1, max: MAX_TRACES },
  errorsPerRun: { label: 'Errors per run', default: 1000, min: 0, max: 100_000 },
  eventsPerRun: { label: 'Events per run', default: 5000, min: 0, max: 100_000 },
  metricPointsPerSeries: { label: 'Metric points per series', default: 10_000, min: 100, max: 1_000_000 },
  storageBudgetBytes: { label: 'Storage budget', default: 500 * MB, min: 10 * MB, max: 1024 * 1024 * MB, unit: 'bytes' },
};

const KEYS = Object.keys(RETENTION_FIELDS) as (keyof RetentionSettings)[];

export const DEFAULT_RETENTION: RetentionSettings = Object.fromEntries(KEYS.map((k) => [k, RETENTION_FIELDS[k].default])) as unknown as RetentionSettings;

export interface RetentionIssue {
  path: keyof RetentionSettings | '';
  message: string;
}

/**
 * Strict check, for what a user typed: every field present, a whole number in range; unknown
 * keys rejected. Issues name the field and the allowed range.
 */
export function validateRetention(input: unknown): Result<RetentionSettings, RetentionIssue[]> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, error: [{ path: '', message: 'retention settings must be an object' }] };
  }
  const record = input as Record<string, unknown>;
  const issues: RetentionIssue[] = [];
  for (const key of Object.keys(record)) {
    if (!(key in RETENTION_FIELDS)) issues.push({ path: '', message: `unknown setting "${key}"; known: ${KEYS.join(', ')}` });
  }
  for (const key of KEYS) {
    const { min, max } = RETENTION_FIELDS[key];
    const value = record[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      issues.push({ path: key, message: `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}` });
    }
  }
  return issues.length ? { ok: false, error: issues } : { ok: true, value: pick(record) };
}

/**
 * Lenient repair, for what was stored (possibly by an older version, possibly edited by hand):
 * missing or non-numeric fields take their default, out-of-range ones the nearest bound.
 * This is also the settings' migration: a new field simply starts at its default.
 */
export function clampRetention(input: unknown): RetentionSettings {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const out = {} as RetentionSettings;
  for (const key of KEYS) {
    const { min, max, default: fallback } = RETENTION_FIELDS[key];
    const value = record[key];
    out[key] = typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
  }
  return out;
}

function pick(record: Record<string, unknown>): RetentionSettings {
  return Object.fromEntries(KEYS.map((k) => [k, record[k]])) as unknown as RetentionSettings;
}

/** The per-run caps these settings put in force (pass them to the engine too, so both keep the same items). */
export function runCaps(settings: RetentionSettings): RunCaps {
  return {
    traces: settings.tracesPerRun,
    errors: settings.errorsPerRun,
    events: settings.eventsPerRun,
    metricPoints: settings.metricPointsPerSeries,
  };
}

const RETENTION_KEY = 'retention';

export async function loadRetention(db: LinesightDatabase): Promise<RetentionSettings> {
  return clampRetention(await db.get('settings', RETENTION_KEY));
}

/** Saves settings a user entered; invalid ones are refused with the issues and nothing is written. A storage failure comes back as one issue. */
export async function saveRetention(db: LinesightDatabase, settings: unknown): Promise<Result<RetentionSettings, RetentionIssue[]>> {
  const checked = validateRetention(settings);
  if (!checked.ok) return checked;
  const saved = await writeTransaction(db, ['settings'], async (tx) => {
    await tx.objectStore('settings').put(checked.value, RETENTION_KEY);
  });
  return saved.ok ? checked : { ok: false, error: [{ path: '', message: saved.error.message }] };
}
