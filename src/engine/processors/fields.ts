/** Reading a record's fields (set by `parse` or `json`) for processors that filter, route or count on one. */
import type { LogRecord } from '../types.ts';

export type FieldReader = (record: LogRecord) => unknown;

/**
 * Reads the field `name` of a record, undefined when the record has no such field. Chosen once
 * per processor, so the common case is one property read: only names that objects inherit
 * ("constructor", "toString", ...) pay for an own-property check, which keeps a JSON line
 * without such a key from yielding Object.prototype's function.
 */
export function fieldReader(name: string): FieldReader {
  if (!(name in Object.prototype)) return (record) => record.fields?.[name];
  return (record) => {
    const fields = record.fields;
    return fields !== undefined && Object.hasOwn(fields, name) ? fields[name] : undefined;
  };
}

/** A field's value as text (numbers as written by String, objects as JSON); null when absent or null. */
export function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Decimal numbers as logs write them; not hex, `Infinity` or empty text, which Number() takes. */
const DECIMAL = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A field's value as a number: numbers as they are, decimal strings parsed; NaN for anything else. */
export function fieldNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN;
}
