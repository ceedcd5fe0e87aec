import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { readPairs } from '../../../src/engine/processors/kv.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { createMap, record } from './helpers.ts';

function issuesOf(processor: Record<string, unknown>): string {
  const result = parsePipeline({ processors: [processor] });
  if (result.ok) throw new Error('expected the config to be refused');
  return formatIssues(result.error);
}

const ACCESS = '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326';

describe('extract', () => {
  it('sets a field per named group that took part in the match', () => {
    const map = createMap('extract', { pattern: '"(?<method>[A-Z]+) (?<path>\\S+) [^"]*" (?<status>\\d{3})(?: (?<bytes>\\d+))?' });
    const out = map(record(ACCESS)) as LogRecord;
    expect(out.fields).toEqual({ method: 'GET', path: '/apache_pb.gif', status: '200', bytes: '2326' });
    const partial = map(record('"POST /login HTTP/1.1" 302')) as LogRecord;
    expect(partial.fields).toEqual({ method: 'POST', path: '/login', status: '302' });
  });

  it('matches in a field, keeps the fields the record has, and says what to do without a match', () => {
    const inField = createMap('extract', { pattern: 'took (?<ms>\\d+)ms', field: 'message' });
    const withField: LogRecord = { ...record('x'), fields: { message: 'query took 12ms', level: 'INFO' } };
    expect(inField(withField)?.fields).toEqual({ message: 'query took 12ms', level: 'INFO', ms: '12' });
    expect(inField(record('took 5ms in the line only'))?.fields).toBeUndefined();
    const dropping = createMap('extract', { pattern: '(?<n>\\d+)', noMatch: 'drop' });
    expect(dropping(record('none here'))).toBeNull();
    const failing = createMap('extract', { pattern: '(?<n>\\d+)', noMatch: 'error' });
    expect(() => failing(record('none here'))).toThrow(/does not match the line/);
  });

  it('refuses a pattern without a named group, and one the linear-time engine cannot run', () => {
    expect(issuesOf({ type: 'extract', pattern: '(\\d+)' })).toMatch(/^processors\[0\]\.pattern: has no named group/);
    expect(issuesOf({ type: 'extract', pattern: '(?<n>\\d+)(?=ms)' })).toBe(
      'processors[0].pattern: lookahead (?=...) is not supported: patterns run on a linear-time engine so no pattern can hang',
    );
  });

  it('keeps "__proto__" as a field like any other', () => {
    const out = createMap('extract', { pattern: '(?<__proto__>\\w+)' })(record('hello')) as LogRecord;
    expect(Object.hasOwn(out.fields ?? {}, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.fields)).toBe(Object.prototype);
  });
});

describe('kv', () => {
  const pairs = (text: string, separator = '=', delimiter = ' ') => {
    const out: [string, string][] = [];
    readPairs(text, separator, delimiter, (k, v) => out.push([k, v]));
    return out;
  };

  it('reads logfmt pairs, quoted values with escapes, and skips words without a separator', () => {
    expect(pairs('ts=2024 level=info msg="user \\"bob\\" logged in" took=12ms  done')).toEqual([
      ['ts', '2024'],
      ['level', 'info'],
      ['msg', 'user "bob" logged in'],
      ['took', '12ms'],
    ]);
    expect(pairs("a='x y' =lost b= c=\"open")).toEqual([
      ['a', 'x y'],
      ['b', ''],
      ['c', 'open'],
    ]);
    expect(pairs('GET /index.html 200')).toEqual([]);
  });

  it('takes other separators and delimiters', () => {
    expect(pairs('user:alice, role:admin, x', ':', ', ')).toEqual([
      ['user', 'alice'],
      ['role', 'admin'],
    ]);
    expect(pairs('a=1&b=2&&c=3', '=', '&')).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('sets fields, with a prefix and only the keys asked for', () => {
    const map = createMap('kv', { prefix: 'kv_', keys: ['user', 'status'] });
    expect(map(record('user=alice status=200 secret=x'))?.fields).toEqual({ kv_user: 'alice', kv_status: '200' });
    const fromField = createMap('kv', { field: 'message' });
    expect(fromField({ ...record('x'), fields: { message: 'a=1 b=2' } })?.fields).toEqual({ message: 'a=1 b=2', a: '1', b: '2' });
  });

  it('refuses an empty separator or one equal to the delimiter', () => {
    expect(issuesOf({ type: 'kv', separator: '' })).toBe('processors[0].separator: cannot be empty');
    expect(issuesOf({ type: 'kv', separator: ' ' })).toBe('processors[0].delimiter: must differ from the separator');
  });

  it('reads a 1 MB line of pairs in one pass', () => {
    const line = Array.from({ length: 50_000 }, (_, i) => `k${i}=v${i}`).join(' ');
    const out = createMap('kv')(record(line)) as LogRecord;
    expect(Object.keys(out.fields ?? {})).toHaveLength(50_000);
    expect(out.fields?.k49999).toBe('v49999');
  });
});
