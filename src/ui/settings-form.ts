/**
 * The Settings form's fields, in the units a person types: whole numbers, and the storage
 * budget in MB. Checked by the store's own `validateRetention`, with its messages said in the
 * form's units. Pure functions, so the rules are tested without a DOM.
 */
import { RETENTION_FIELDS, validateRetention, type RetentionSettings } from '../store/index.ts';

export type RetentionKey = keyof RetentionSettings;
export const RETENTION_KEYS = Object.keys(RETENTION_FIELDS) as RetentionKey[];

const MB = 1024 * 1024;
const en = (n: number) => n.toLocaleString('en-US');

/** A field as the form shows it: its label, its bounds and its default, in the form's unit. */
export function fieldOf(key: RetentionKey): { label: string; min: number; max: number; default: number } {
  const field = RETENTION_FIELDS[key];
  const scale = field.unit === 'bytes' ? MB : 1;
  return {
    label: field.unit === 'bytes' ? `${field.label} (MB)` : field.label,
    min: field.min / scale,
    max: field.max / scale,
    default: field.default / scale,
  };
}

/** The settings as the form's text fields. */
export function toDraft(settings: RetentionSettings): Record<RetentionKey, string> {
  const draft = {} as Record<RetentionKey, string>;
  for (const key of RETENTION_KEYS) draft[key] = String(RETENTION_FIELDS[key].unit === 'bytes' ? settings[key] / MB : settings[key]);
  return draft;
}

/**
 * The form's text back as settings, or a message per field that is not right. A cleared field
 * is a mistake, not zero.
 */
export function fromDraft(draft: Record<RetentionKey, string>): { values: RetentionSettings | null; issues: Partial<Record<RetentionKey, string>> } {
  const raw: Record<string, number> = {};
  for (const key of RETENTION_KEYS) {
    const text = draft[key].trim();
    const n = text === '' ? NaN : Number(text);
    // Whole MB only: a fraction would pass as whole bytes but is not what the message asks for.
    raw[key] = RETENTION_FIELDS[key].unit === 'bytes' ? (Number.isInteger(n) ? n * MB : NaN) : n;
  }
  const checked = validateRetention(raw);
  if (checked.ok) return { values: checked.value, issues: {} };
  const issues: Partial<Record<RetentionKey, string>> = {};
  for (const issue of checked.error) {
    if (issue.path === '') continue;
    const { min, max } = fieldOf(issue.path);
    issues[issue.path] = RETENTION_FIELDS[issue.path].unit === 'bytes' ? `must be a whole number of MB from ${en(min)} to ${en(max)}` : issue.message;
  }
  return { values: null, issues };
}
