import { describe, expect, it } from 'vitest';
import { MAX_KEYS, type CounterState } from '../../../src/engine/processors/counter.ts';
import type { ProcessorInstance } from '../../../src/engine/processors/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { create, moduleOf, record, withDefaults } from './helpers.ts';

function feed(instance: ProcessorInstance, records: LogRecord[]): CounterState {
  if (instance.kind !== 'map') throw new Error('counter is a map processor');
  for (const line of records) expect(instance.map(line)).toBe(line);
  return instance.state?.() as CounterState;
}

const lines = (...texts: string[]) => texts.map((text) => record(text));

describe('counter', () => {
  it('counts by level, most frequent first, using a level set earlier or detecting it', () => {
    const state = feed(create('counter'), [
      ...lines('INFO a', 'ERROR b', 'INFO c', 'plain'),
      { ...record('no level word'), level: 'ERROR' },
    ]);
    expect(state).toEqual({
      counts: [
        ['ERROR', 2],
        ['INFO', 2],
        ['UNKNOWN', 1],
      ],
      distinct: 3,
    });
  });

  it('passes lines on unchanged', () => {
    const line = record('INFO x');
    feed(create('counter'), [line]);
    expect(line).toEqual(record('INFO x'));
  });

  it('counts by the capture of a pattern; lines that do not match count under "(no match)"', () => {
    const state = feed(
      create('counter', { by: 'pattern', pattern: 'user=(\\w+) status=(\\d+)', group: 2 }),
      lines('user=a status=200', 'user=b status=500', 'user=c status=200', 'other'),
    );
    expect(state.counts).toEqual([
      ['200', 2],
      ['(no match)', 1],
      ['500', 1],
    ]);
  });

  it('reports at most top keys but all distinct ones', () => {
    const state = feed(
      create('counter', { by: 'pattern', pattern: 'k(\\d)', top: 2 }),
      lines('k1', 'k2', 'k2', 'k3', 'k3', 'k3'),
    );
    expect(state).toEqual({
      counts: [
        ['3', 3],
        ['2', 2],
      ],
      distinct: 3,
    });
  });

  it('stops adding keys at MAX_KEYS and counts the rest under "(other)", so memory stays bounded', () => {
    const instance = create('counter', { by: 'pattern', pattern: '(.*)', top: 1 });
    if (instance.kind !== 'map') throw new Error('map expected');
    for (let i = 0; i < MAX_KEYS + 5; i++) instance.map(record(`key${i}`));
    instance.map(record('key0'));
    const state = instance.state?.() as CounterState;
    expect(state.distinct).toBe(MAX_KEYS + 1);
    expect(state.counts).toEqual([['(other)', 5]]);
  });

  it('counts by the value of a field as text; records without it (or with null) count under "(none)"', () => {
    const at = (fields?: Record<string, unknown>) => ({ ...record('text'), fields });
    const state = feed(create('counter', { by: 'field', field: 'status' }), [
      at({ status: 200 }),
      at({ status: '200' }),
      at({ status: 404 }),
      at({ status: null }),
      at(),
    ]);
    expect(state).toEqual({
      counts: [
        ['(none)', 2],
        ['200', 2],
        ['404', 1],
      ],
      distinct: 3,
    });
  });

  it('with by "pattern" and a field, counts the capture of the pattern in that field', () => {
    const at = (component?: string) => ({ ...record('dfs.Other in the text'), fields: { component } });
    const state = feed(create('counter', { by: 'pattern', field: 'component', pattern: '^(\\w+)\\.' }), [
      at('dfs.DataNode'),
      at('dfs.FSNamesystem'),
      at('web'),
      at(),
    ]);
    expect(state.counts).toEqual([
      ['(no match)', 2],
      ['dfs', 2],
    ]);
  });

  it('by field keeps to MAX_KEYS too', () => {
    const instance = create('counter', { by: 'field', field: 'id', top: 1 });
    if (instance.kind !== 'map') throw new Error('map expected');
    for (let i = 0; i < MAX_KEYS + 3; i++) instance.map({ ...record('x'), fields: { id: i } });
    const state = instance.state?.() as CounterState;
    expect(state.distinct).toBe(MAX_KEYS + 1);
    expect(state.counts).toEqual([['(other)', 3]]);
  });

  it('check() requires a field for by "field", and refuses a field when counting by level', () => {
    const check = (params: Record<string, unknown>) => {
      const module = moduleOf('counter');
      return module.check?.(withDefaults(module.descriptor.params, params)) ?? null;
    };
    expect(check({ by: 'field' })).toEqual({ path: 'field', message: 'required when by is "field"' });
    expect(check({ field: 'component' })?.path).toBe('field');
    expect(check({ by: 'field', field: 'component', pattern: 'x' })?.path).toBe('pattern');
    expect(check({ by: 'field', field: 'component' })).toBeNull();
  });

  it('check() requires a pattern for by "pattern", a group that exists, and no stray pattern', () => {
    const check = (params: Record<string, unknown>) => {
      const module = moduleOf('counter');
      return module.check?.(withDefaults(module.descriptor.params, params)) ?? null;
    };
    expect(check({ by: 'pattern' })?.path).toBe('pattern');
    expect(check({ by: 'pattern', pattern: '(a)(b)', group: 3 })).toEqual({
      path: 'group',
      message: 'pattern has 2 capture group(s), not 3',
    });
    expect(check({ pattern: '(a)' })?.path).toBe('pattern');
    expect(check({ by: 'pattern', pattern: 'a', group: 0 })).toBeNull();
  });
});
