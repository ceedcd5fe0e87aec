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

/**
 * Sets a field, giving the record fields when it has none. A key named "__proto__" becomes a
 * field like any other (as JSON.parse makes it), not the object's prototype.
 */
export function setField(record: LogRecord, name: string, value: unknown): void {
  const fields = record.fields ?? (record.fields = {});
  if (name === '__proto__') Object.defineProperty(fields, name, { value, writable: true, enumerable: true, configurable: true });
  else fields[name] = value;
}

/** Whether the record has its own field `name` (not one objects inherit). */
export function hasField(record: LogRecord, name: string): boolean {
  return record.fields !== undefined && Object.hasOwn(record.fields, name);
}

/** Separates field values in a key; a missing field is its own value, unlike an empty one. */
const KEY_SEPARATOR = '\u0000';
const MISSING = '\u0001';

/**
 * What a processor that groups records by key (dedupe, throttle, sample) reads as the key: the
 * values of `fields` as text, or the line's text when no fields are named.
 */
export function keyReader(fields: readonly string[] | undefined): (record: LogRecord) => string {
  if (fields === undefined || fields.length === 0) return (record) => record.text;
  const readers = fields.map(fieldReader);
  if (readers.length === 1) {
    const read = readers[0];
    return (record) => fieldText(read(record)) ?? MISSING;
  }
  return (record) => {
    let key = fieldText(readers[0](record)) ?? MISSING;
    for (let i = 1; i < readers.length; i++) key += KEY_SEPARATOR + (fieldText(readers[i](record)) ?? MISSING);
    return key;
  };
}
