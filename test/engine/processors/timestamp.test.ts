import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import type { RunContext } from '../../../src/engine/processors/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { moduleOf, record, validParams } from './helpers.ts';

const withTime = (fields: Record<string, unknown>, ts?: number): LogRecord => ({ ...record('x'), fields, ts });

function timeOf(params: Record<string, unknown>, fields: Record<string, unknown>, context: RunContext = { parser: null }) {
  const instance = moduleOf('timestamp').create(validParams('timestamp', params), context);
  if (instance.kind !== 'map') throw new Error('timestamp is a map processor');
  return instance.map(withTime(fields))?.ts;
}

describe('timestamp', () => {
  it('reads ISO 8601, epochs of any unit and other known layouts with layout "auto"', () => {
    const t = Date.UTC(2024, 4, 1, 12, 30, 45, 123);
    expect(timeOf({ field: 'time' }, { time: '2024-05-01T12:30:45.123Z' })).toBe(t);
    expect(timeOf({ field: 'time' }, { time: '2024-05-01T14:30:45.123+02:00' })).toBe(t);
    expect(timeOf({ field: 'time' }, { time: t })).toBe(t);
    expect(timeOf({ field: 'time' }, { time: t / 1000 })).toBe(t);
    expect(timeOf({ field: 'time' }, { time: String(t * 1000) })).toBe(t);
    expect(timeOf({ field: 'time' }, { time: '01/May/2024:12:30:45 +0000' })).toBe(t - 123);
  });

  it('reads a layout exactly, in the run’s time zone when it has no zone', () => {
    const layout = { field: 'when', layout: 'yyyy-MM-dd HH:mm:ss,SSS' };
    expect(timeOf(layout, { when: '2024-05-01 12:30:45,123' })).toBe(Date.UTC(2024, 4, 1, 12, 30, 45, 123));
    const inParis = timeOf(layout, { when: '2024-05-01 14:30:45,123' }, { parser: null, timeZoneOffsetMinutes: 120 });
    expect(inParis).toBe(Date.UTC(2024, 4, 1, 12, 30, 45, 123));
    expect(timeOf({ field: 'when', layout: 'epoch' }, { when: 1714566645 })).toBe(1714566645000);
  });

  it('keeps the time a record had when the field is missing or not a time, or fails with strict', () => {
    const instance = moduleOf('timestamp').create(validParams('timestamp', { field: 'time' }));
    if (instance.kind !== 'map') throw new Error('map expected');
    expect(instance.map(withTime({ time: 'soon' }, 42))?.ts).toBe(42);
    expect(instance.map(withTime({}, 7))?.ts).toBe(7);
    const strict = moduleOf('timestamp').create(validParams('timestamp', { field: 'time', strict: true }));
    if (strict.kind !== 'map') throw new Error('map expected');
    expect(() => strict.map(withTime({ time: 'soon' }))).toThrow(/field "time" is not a time in layout "auto"/);
    expect(() => strict.map(withTime({}))).toThrow(/no field "time"/);
  });

  it('refuses a layout it cannot read', () => {
    const result = parsePipeline({ processors: [{ type: 'timestamp', field: 'time', layout: 'yyyy-QQ' }] });
    if (result.ok) throw new Error('expected a refusal');
    expect(formatIssues(result.error)).toMatch(/^processors\[0\]\.layout: unknown token "Q"/);
  });
});
