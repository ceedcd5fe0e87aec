import { describe, expect, it } from 'vitest';
import type { Params } from '../../../src/engine/processors/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { create, createMap, moduleOf, record, texts, withDefaults } from './helpers.ts';

describe('filter', () => {
  const lines = ['an important line', 'routine', 'IMPORTANT too'];

  it('keeps only lines where the pattern is found, case-sensitively by default', () => {
    expect(texts(createMap('filter', { pattern: 'important' }), lines)).toEqual(['an important line']);
  });

  it('with invert keeps the lines that do not match', () => {
    expect(texts(createMap('filter', { pattern: 'important', invert: true }), lines)).toEqual([
      'routine',
      'IMPORTANT too',
    ]);
  });

  it('with ignoreCase matches regardless of case', () => {
    expect(texts(createMap('filter', { pattern: 'important', ignoreCase: true }), lines)).toEqual([
      'an important line',
      'IMPORTANT too',
    ]);
  });

  it('gives the same answer for the same line every time (no lastIndex carried over)', () => {
    const map = createMap('filter', { pattern: 'a' });
    expect(texts(map, ['a', 'a', 'a'])).toEqual(['a', 'a', 'a']);
  });

  it('passes the same record object on, unchanged', () => {
    const line = record('keep me');
    expect(createMap('filter', { pattern: 'keep' })(line)).toBe(line);
    expect(line.text).toBe('keep me');
  });
});

describe('filter on a field', () => {
  const withFields = (text: string, fields?: Record<string, unknown>): LogRecord => ({ ...record(text), fields });
  const requests = [
    withFields('a', { status: 200, component: 'web' }),
    withFields('b', { status: 404, component: 'dfs.DataNode' }),
    withFields('c', { status: '503', component: 'dfs.FSNamesystem' }),
    withFields('d', { status: '-', component: null }),
    withFields('e status=500'),
  ];
  const kept = (params: Params, records = requests) => {
    const map = createMap('filter', params);
    return records.filter((r) => map(r) !== null).map((r) => r.text);
  };

  it('searches the pattern in the field instead of the line; a record without the field does not match', () => {
    expect(kept({ field: 'component', pattern: '^dfs\\.' })).toEqual(['b', 'c']);
    expect(kept({ field: 'status', pattern: '^5' })).toEqual(['c']);
    expect(kept({ pattern: '500' })).toEqual(['e status=500']);
  });

  it('with invert keeps records without the field (and null values)', () => {
    expect(kept({ field: 'component', pattern: '^dfs\\.', invert: true })).toEqual(['a', 'd', 'e status=500']);
  });

  it('compares numerically with a number value, reading numeric strings; other values never match', () => {
    expect(kept({ field: 'status', op: '>=', value: 400 })).toEqual(['b', 'c']);
    expect(kept({ field: 'status', op: '<', value: 400 })).toEqual(['a']);
    expect(kept({ field: 'status', op: '<=', value: 404 })).toEqual(['a', 'b']);
    expect(kept({ field: 'status', op: '>', value: 404 })).toEqual(['c']);
    expect(kept({ field: 'status', op: '==', value: 503 })).toEqual(['c']);
    expect(kept({ field: 'status', op: '!=', value: 200 })).toEqual(['b', 'c']);
    expect(kept({ field: 'status', op: '>=', value: 400, invert: true })).toEqual(['a', 'd', 'e status=500']);
  });

  it('does not read an empty or blank string as 0', () => {
    const blank = [withFields('empty', { n: '' }), withFields('blank', { n: '  ' }), withFields('zero', { n: ' 0 ' })];
    expect(kept({ field: 'n', op: '==', value: 0 }, blank)).toEqual(['zero']);
  });

  it('reads decimal text as a number, not hex or Infinity', () => {
    const values = ['500', '500.5', '-1e3', '0x1F4', 'Infinity', '5OO', '+503', '.5e3'];
    const records = values.map((n) => withFields(n, { n }));
    expect(kept({ field: 'n', op: '>=', value: 500 }, records)).toEqual(['500', '500.5', '+503', '.5e3']);
  });

  it('compares text exactly with a string value, numbers as written', () => {
    expect(kept({ field: 'component', op: '==', value: 'web' })).toEqual(['a']);
    expect(kept({ field: 'component', op: '!=', value: 'web' })).toEqual(['b', 'c']);
    expect(kept({ field: 'status', op: '==', value: '404' })).toEqual(['b']);
  });

  it('does not take a missing field from Object.prototype', () => {
    const records = [withFields('json', { constructor: 'x' }), withFields('plain', { other: 1 })];
    expect(kept({ field: 'constructor', pattern: '.' }, records)).toEqual(['json']);
    expect(kept({ field: 'toString', pattern: '.', invert: true }, records)).toEqual(['json', 'plain']);
  });

  it('reads nested JSON values as JSON text, booleans as "true"/"false"', () => {
    const records = [withFields('nested', { user: { id: 7 } }), withFields('flag', { user: true })];
    expect(kept({ field: 'user', pattern: '"id":7' }, records)).toEqual(['nested']);
    expect(kept({ field: 'user', op: '==', value: 'true' }, records)).toEqual(['flag']);
  });

  it('check() wants either a pattern or op and value, a field with op, and numbers for ordering ops', () => {
    const check = (params: Params) => {
      const module = moduleOf('filter');
      return module.check?.(withDefaults(module.descriptor.params, params)) ?? null;
    };
    expect(check({})).toEqual({ path: '', message: 'give either pattern or op and value' });
    expect(check({ field: 'status' })).toEqual({ path: '', message: 'give either pattern or op and value' });
    expect(check({ pattern: 'a', op: '==', value: 1 })?.message).toMatch(/either pattern or op and value, not both/);
    expect(check({ field: 'status', op: '>=' })?.path).toBe('value');
    expect(check({ field: 'status', value: 500 })?.path).toBe('op');
    expect(check({ field: 'status', op: '>=', value: '500' })).toEqual({
      path: 'op',
      message: '">=" compares numbers: give a number value, or use "==" or "!=" with a string',
    });
    expect(check({ op: '>=', value: 500 })?.path).toBe('field');
    expect(check({ field: 'method', op: '==', value: 'get', ignoreCase: true })?.path).toBe('ignoreCase');
    expect(check({ field: 'status', op: '>=', value: 500 })).toBeNull();
    expect(check({ field: 'status', pattern: '^5' })).toBeNull();
  });
});

describe('uppercase and lowercase', () => {
  it('change the case of the text in place', () => {
    const line = record('Mixed Case ü');
    expect(createMap('uppercase')(line)).toBe(line);
    expect(line.text).toBe('MIXED CASE Ü');
    expect(createMap('lowercase')(line)?.text).toBe('mixed case ü');
  });
});

describe('line_counter', () => {
  it('formats the seed config as "Line {count}: {line}", counting from 1', () => {
    expect(texts(createMap('line_counter', { format: 'Line {count}: {line}' }), ['a', 'b'])).toEqual([
      'Line 1: a',
      'Line 2: b',
    ]);
  });

  it('uses "{count}: {line}" by default', () => {
    expect(texts(createMap('line_counter'), ['x'])).toEqual(['1: x']);
  });

  it('counts per instance, so two counters in one pipeline do not share a count', () => {
    const first = createMap('line_counter');
    const second = createMap('line_counter');
    texts(first, ['a', 'b', 'c']);
    expect(texts(second, ['d'])).toEqual(['1: d']);
    expect(texts(first, ['e'])).toEqual(['4: e']);
  });

  it('allows placeholders repeated, adjacent, or absent', () => {
    expect(texts(createMap('line_counter', { format: '{count}{count}|{line}{line}' }), ['ab'])).toEqual([
      '11|abab',
    ]);
    expect(texts(createMap('line_counter', { format: 'constant' }), ['ab'])).toEqual(['constant']);
  });

  it('reports its count as state', () => {
    const instance = create('line_counter');
    if (instance.kind === 'map') texts(instance.map, ['a', 'b']);
    expect(instance.state?.()).toEqual({ count: 2 });
  });

  it('rejects an unknown placeholder, which would otherwise be printed on every line', () => {
    const module = moduleOf('line_counter');
    expect(module.check?.(withDefaults(module.descriptor.params, { format: '{cuont}: {line}' }))).toEqual({
      path: 'format',
      message: 'unknown placeholder {cuont}; use {count} or {line}',
    });
    expect(module.check?.({ format: '{constructor}' })).not.toBeNull();
    expect(module.check?.({ format: '{ json: {line} }' })).toBeNull();
  });
});
