import { describe, expect, it } from 'vitest';
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
