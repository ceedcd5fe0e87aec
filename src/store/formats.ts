/**
 * The user's custom log formats and the remembered "Log format" choice, in the key-value
 * `settings` store. Both are checked as they are read: they may come from an older version, or
 * have been edited by hand; what this version cannot use is left out (and said why), never
 * passed on to a run.
 */

import { compileCustomFormat, compileCustomFormats, FORMAT_ID, SPEC_KEYS, type CustomFormatSpec, type FormatIssue } from '../engine/formats/custom.ts';
import type { Result } from '../engine/types.ts';
import type { LinesightDatabase } from './schema.ts';
import { writeTransaction } from './tx.ts';

export type { CustomFormatSpec, FormatIssue };

const CUSTOM_FORMATS_KEY = 'customFormats';
const FORMAT_CHOICE_KEY = 'formatChoice';
/** The stored shape's version: a later one is read by adding a case to `readCustomFormats`. */
const FORMATS_VERSION = 1;

/** "Detect automatically": the choice when none is stored, or the stored one is unusable. */
export const AUTO_FORMAT_CHOICE = 'auto';

/** A plain copy with the spec's own keys only (a checked spec has no others). */
function copySpec(spec: CustomFormatSpec): CustomFormatSpec {
  const copy: Record<string, unknown> = {};
  for (const key of SPEC_KEYS) if (spec[key] !== undefined) copy[key] = spec[key];
  return copy as unknown as CustomFormatSpec;
}

/** Checks one spec a user wrote; the issues name its keys (`pattern`, `timestampLayout`, ...). */
export function checkCustomFormat(spec: unknown): Result<CustomFormatSpec, FormatIssue[]> {
  const compiled = compileCustomFormat(spec);
  return compiled.ok ? { ok: true, value: copySpec(spec as CustomFormatSpec) } : compiled;
}

/**
 * The stored value as a list of usable specs. Specs this version refuses, and repeated ids, are
 * left out with their issues (under `customFormats[i]`).
 */
export function readCustomFormats(value: unknown): { formats: CustomFormatSpec[]; refused: FormatIssue[] } {
  if (value === undefined) return { formats: [], refused: [] };
  const stored = value as { version?: unknown; formats?: unknown } | null;
  if (stored === null || typeof stored !== 'object' || stored.version !== FORMATS_VERSION || !Array.isArray(stored.formats)) {
    return { formats: [], refused: [{ path: 'customFormats', message: 'not a list of custom formats this version of Linesight can read' }] };
  }
  const specs: unknown[] = stored.formats;
  const { accepted, issues } = compileCustomFormats(specs);
  return { formats: accepted.map((i) => copySpec(specs[i] as CustomFormatSpec)), refused: issues };
}

/**
 * The list with `spec` saved in it: it takes the place of the format it edits (`replacing`, its
 * id before the edit) or of one with the same id, else it goes last.
 */
export function withCustomFormat(list: readonly CustomFormatSpec[], spec: CustomFormatSpec, replacing?: string): CustomFormatSpec[] {
  const at = list.findIndex((f) => f.id === (replacing ?? spec.id));
  const rest = list.filter((f) => f.id !== spec.id && f.id !== replacing);
  const index = at < 0 ? rest.length : Math.min(at, rest.length);
  return [...rest.slice(0, index), spec, ...rest.slice(index)];
}

export async function loadCustomFormats(db: LinesightDatabase): Promise<{ formats: CustomFormatSpec[]; refused: FormatIssue[] }> {
  return readCustomFormats(await db.get('settings', CUSTOM_FORMATS_KEY));
}

/**
 * Saves a format a user wrote (see `withCustomFormat` for where it goes). A spec that does not
 * compile is refused with its issues and nothing is written; a storage failure comes back as one
 * issue. Resolves with the saved list.
 */
export async function saveCustomFormat(db: LinesightDatabase, spec: unknown, replacing?: string): Promise<Result<CustomFormatSpec[], FormatIssue[]>> {
  const checked = checkCustomFormat(spec);
  if (!checked.ok) return checked;
  const saved = await writeTransaction(db, ['settings'], async (tx) => {
    const store = tx.objectStore('settings');
    const list = withCustomFormat(readCustomFormats(await store.get(CUSTOM_FORMATS_KEY)).formats, checked.value, replacing);
    await store.put({ version: FORMATS_VERSION, formats: list }, CUSTOM_FORMATS_KEY);
    return list;
  });
  return saved.ok ? saved : { ok: false, error: [{ path: '', message: saved.error.message }] };
}

/** Removes the format with this id; resolves with the list left, or why it could not. */
export async function deleteCustomFormat(db: LinesightDatabase, id: string): Promise<Result<CustomFormatSpec[], string>> {
  const saved = await writeTransaction(db, ['settings'], async (tx) => {
    const store = tx.objectStore('settings');
    const list = readCustomFormats(await store.get(CUSTOM_FORMATS_KEY)).formats.filter((f) => f.id !== id);
    await store.put({ version: FORMATS_VERSION, formats: list }, CUSTOM_FORMATS_KEY);
    return list;
  });
  return saved.ok ? saved : { ok: false, error: saved.error.message };
}

/**
 * The remembered run choices of "Log format": the format ("auto" or a format id) and the zone
 * of timestamps written without one, in minutes east of UTC. Whether the id still names a
 * format (a custom one may have been deleted) is for the caller, who knows the formats.
 */
export interface FormatChoice {
  format: string;
  timeZoneOffsetMinutes: number;
}

export const DEFAULT_FORMAT_CHOICE: FormatChoice = { format: AUTO_FORMAT_CHOICE, timeZoneOffsetMinutes: 0 };

/** UTC-12:00 to UTC+14:00, in quarter hours: every zone in use. */
export function isTimeZoneOffset(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -720 && (value as number) <= 840 && (value as number) % 15 === 0;
}

/** Each part is checked on its own: a bad zone does not lose a good format, nor the reverse. */
export function readFormatChoice(value: unknown): FormatChoice {
  const { format, timeZoneOffsetMinutes } = (value ?? {}) as { format?: unknown; timeZoneOffsetMinutes?: unknown };
  return {
    format: typeof format === 'string' && (format === AUTO_FORMAT_CHOICE || FORMAT_ID.test(format)) ? format : AUTO_FORMAT_CHOICE,
    timeZoneOffsetMinutes: isTimeZoneOffset(timeZoneOffsetMinutes) ? timeZoneOffsetMinutes : 0,
  };
}

export async function loadFormatChoice(db: LinesightDatabase): Promise<FormatChoice> {
  return readFormatChoice(await db.get('settings', FORMAT_CHOICE_KEY));
}

export async function saveFormatChoice(db: LinesightDatabase, choice: FormatChoice): Promise<Result<FormatChoice, string>> {
  if (readFormatChoice(choice).format !== choice.format) return { ok: false, error: `"${choice.format}" is not a format id` };
  if (!isTimeZoneOffset(choice.timeZoneOffsetMinutes)) return { ok: false, error: `${choice.timeZoneOffsetMinutes} minutes is not a time zone offset` };
  const saved = await writeTransaction(db, ['settings'], async (tx) => {
    const stored = { version: FORMATS_VERSION, format: choice.format, timeZoneOffsetMinutes: choice.timeZoneOffsetMinutes };
    await tx.objectStore('settings').put(stored, FORMAT_CHOICE_KEY);
    return { format: choice.format, timeZoneOffsetMinutes: choice.timeZoneOffsetMinutes };
  });
  return saved.ok ? saved : { ok: false, error: saved.error.message };
}
