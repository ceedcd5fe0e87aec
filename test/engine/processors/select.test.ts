import { describe, expect, it } from 'vitest';
import { MAX_REMEMBERED_KEYS } from '../../../src/engine/processors/dedupe.ts';
import { registry } from '../../../src/engine/processors/registry.ts';
import type { MapFn } from '../../../src/engine/processors/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { createMap, record } from './helpers.ts';

const at = (text: string, ts?: number, fields?: Record<string, unknown>, lineNo = 1): LogRecord => ({ ...record(text, lineNo), ts, fields });
/** Texts of the records a map keeps. */
const kept = (map: MapFn, records: LogRecord[]) => records.filter((r) => map(r) !== null).map((r) => r.text);

describe('dedupe', () => {
  it('drops a line that repeats one among the window of records before it', () => {
    const map = createMap('dedupe', { window: 2 });
    expect(kept(map, ['a', 'a', 'b', 'a', 'c', 'd', 'a', 'a'].map((t) => record(t)))).toEqual(['a', 'b', 'c', 'd', 'a']);
  });

  it('compares the values of fields, a missing field apart from an empty one', () => {
    const map = createMap('dedupe', { fields: ['user', 'action'] });
    const records = [
      at('1', undefined, { user: 'a', action: 'login' }),
      at('2', undefined, { user: 'a', action: 'login', extra: 1 }),
      at('3', undefined, { user: 'a', action: 'logout' }),
      at('4', undefined, { user: 'a' }),
      at('5', undefined, { user: 'a', action: '' }),
      at('6', undefined, { user: 'a' }),
    ];
    expect(kept(map, records)).toEqual(['1', '3', '4', '5']);
  });

  it('with windowMs, drops repeats within that much log time of the last one; lines without a time pass', () => {
    const map = createMap('dedupe', { windowMs: 1000 });
    const records = [at('x', 0), at('x', 500), at('x', 1400), at('x', 2500), at('y', 2600), at('x'), at('x', 2600)];
    // 500 and 1400 are each within 1 s of the one before; 2500 is 1.1 s after 1400.
    expect(records.filter((r) => map(r) !== null).map((r) => r.ts)).toEqual([0, 2500, 2600, undefined]);
  });

  it('remembers keys by a hash past 64 characters, and a bounded number of them in a time window', () => {
    const map = createMap('dedupe', { windowMs: 1e9 });
    const long = 'x'.repeat(10_000);
    expect(kept(map, [at(long, 1), at(`${long}y`, 2), at(long, 3)])).toEqual([long, `${long}y`]);
    const many = createMap('dedupe', { windowMs: 1e9 });
    for (let i = 0; i < MAX_REMEMBERED_KEYS + 10; i++) many(at(`k${i}`, i));
    // The oldest keys were forgotten to stay within the bound; the newest are still known.
    expect(many(at('k0', 1e6))).not.toBeNull();
    expect(many(at(`k${MAX_REMEMBERED_KEYS + 9}`, 1e6))).toBeNull();
  });
});

describe('throttle', () => {
  it('lets at most limit records per key through in each window of log time', () => {
    const map = createMap('throttle', { limit: 2, windowMs: 1000, fields: ['user'] });
    const records = [0, 100, 200, 999, 1000, 1100, 1200].map((ts, i) => at(`a${i}`, ts, { user: 'a' }));
    records.splice(2, 0, at('b', 150, { user: 'b' }), at('none', undefined, { user: 'a' }));
    expect(kept(map, records)).toEqual(['a0', 'a1', 'b', 'none', 'a4', 'a5']);
  });

  it('shares one key across all records without fields', () => {
    const map = createMap('throttle', { limit: 1, windowMs: 60_000 });
    expect(kept(map, [at('a', 0), at('b', 1), at('c', 60_000)])).toEqual(['a', 'c']);
  });
});

describe('sample', () => {
  it('keeps lines 1, rate + 1, 2 × rate + 1, … by their line number, wherever they are read', () => {
    const map = createMap('sample', { rate: 3 });
    const lines = Array.from({ length: 10 }, (_, i) => at(`l${i + 1}`, undefined, undefined, i + 1));
    expect(kept(map, lines)).toEqual(['l1', 'l4', 'l7', 'l10']);
    // A range read by another worker gives the same answer for the same lines.
    expect(kept(createMap('sample', { rate: 3 }), lines.slice(6))).toEqual(['l7', 'l10']);
  });

  it('by key: the records of a key are kept or dropped together, about 1 key in rate', () => {
    const map = createMap('sample', { rate: 10, fields: ['trace'] });
    const keys = Array.from({ length: 5000 }, (_, i) => `t${i}`);
    const keptKeys = keys.filter((key) => map(at('x', undefined, { trace: key })) !== null);
    expect(keptKeys.length).toBeGreaterThan(400);
    expect(keptKeys.length).toBeLessThan(600);
    for (const key of keys.slice(0, 200)) {
      const first = map(at('1', undefined, { trace: key })) !== null;
      expect(map(at('2', undefined, { trace: key })) !== null, key).toBe(first);
    }
  });
});

describe('set, rename, drop', () => {
  it('sets a field, keeping an existing one when overwrite is false', () => {
    expect(createMap('set', { field: 'env', value: 'prod' })(record('x'))?.fields).toEqual({ env: 'prod' });
    const keep = createMap('set', { field: 'env', value: 1, overwrite: false });
    expect(keep(at('x', undefined, { env: 'dev' }))?.fields).toEqual({ env: 'dev' });
    expect(keep(at('x', undefined, { other: true }))?.fields).toEqual({ other: true, env: 1 });
  });

  it('renames a field; a record without it passes unchanged', () => {
    const map = createMap('rename', { from: 'msg', to: 'message' });
    expect(map(at('x', undefined, { msg: 'hi', a: 1 }))?.fields).toEqual({ a: 1, message: 'hi' });
    expect(map(at('x', undefined, { a: 1 }))?.fields).toEqual({ a: 1 });
    const keep = createMap('rename', { from: 'msg', to: 'message', overwrite: false });
    expect(keep(at('x', undefined, { msg: 'a', message: 'b' }))?.fields).toEqual({ msg: 'a', message: 'b' });
  });

  it('drops fields and keeps the record', () => {
    const map = createMap('drop', { fields: ['password', 'toString'] });
    const out = map(at('x', undefined, { user: 'a', password: 'p' }));
    expect(out?.fields).toEqual({ user: 'a' });
    expect(map(record('no fields'))?.text).toBe('no fields');
  });
});

describe('which processors are ordered', () => {
  it('declares ordered exactly where the output depends on the lines before', () => {
    const ordered = [...registry.values()].filter((m) => m.descriptor.ordered !== undefined).map((m) => m.descriptor.type);
    expect(ordered.sort()).toEqual(['dedupe', 'line_counter', 'throttle']);
  });
});
