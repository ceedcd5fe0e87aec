import { describe, expect, it } from 'vitest';
import { JsonParseError } from '../../../src/engine/processors/json.ts';
import { createMap, record } from './helpers.ts';

describe('json', () => {
  it('parses an object line into fields and keeps the text', () => {
    const line = record('{"msg":"hi","n":2}');
    expect(createMap('json')(line)).toBe(line);
    expect(line.fields).toEqual({ msg: 'hi', n: 2 });
    expect(line.text).toBe('{"msg":"hi","n":2}');
  });

  it('merges into fields set by an earlier processor, the line winning on a clash', () => {
    const line = { ...record('{"a":2,"b":3}'), fields: { a: 1, z: 0 } };
    createMap('json')(line);
    expect(line.fields).toEqual({ a: 2, b: 3, z: 0 });
  });

  it('throws a JsonParseError with the parser message on a line that is not JSON', () => {
    const map = createMap('json');
    let error: unknown;
    try {
      map(record('not json'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonParseError);
    expect((error as Error).name).toBe('JsonParseError');
    expect((error as Error).message).toMatch(/JSON/);
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
  ])('throws on %s, which is JSON but not an object', (text, got) => {
    expect(() => createMap('json')(record(text))).toThrow(
      expect.objectContaining({ name: 'JsonParseError', message: `expected a JSON object, got ${got}` }),
    );
  });

  it('with levelField sets the level from that field, normalised', () => {
    const map = createMap('json', { levelField: 'severity' });
    expect(map(record('{"severity":"warning"}'))?.level).toBe('WARN');
    expect(map(record('{"severity":50}'))?.level).toBe('ERROR');
    expect(map(record('{"severity":"loud"}'))?.level).toBe('UNKNOWN');
  });

  it('leaves the level alone when levelField is absent from the line or not configured', () => {
    const withField = { ...record('{"msg":"x"}'), level: 'DEBUG' as const };
    expect(createMap('json', { levelField: 'level' })(withField)?.level).toBe('DEBUG');
    expect(createMap('json')(record('{"level":"error"}'))?.level).toBeUndefined();
  });
});
