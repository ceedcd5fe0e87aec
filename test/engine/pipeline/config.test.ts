import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';

const SEED =
  '{"processors":[{"type":"line_counter","id":"counter","format":"Line {count}: {line}"},{"type":"uppercase","id":"uppercase"},{"type":"filter","id":"important_filter","pattern":"important"}]}';

function issuesOf(input: unknown): string {
  const result = parsePipeline(input);
  if (result.ok) throw new Error('expected the config to be refused');
  return formatIssues(result.error);
}

describe('parsePipeline', () => {
  it('loads the seed config unchanged', () => {
    const result = parsePipeline(SEED);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.processors.map((p) => [p.type, p.id])).toEqual([
      ['line_counter', 'counter'],
      ['uppercase', 'uppercase'],
      ['filter', 'important_filter'],
    ]);
    expect(result.value.processors[0].params.format).toBe('Line {count}: {line}');
    expect(result.value.processors[2].params.pattern).toBe('important');
  });

  it('fills in defaults and ids from the type', () => {
    const result = parsePipeline({ processors: [{ type: 'filter', pattern: 'x' }, { type: 'filter', pattern: 'y' }] });
    if (!result.ok) throw new Error(formatIssues(result.error));
    expect(result.value.processors.map((p) => p.id)).toEqual(['filter', 'filter_2']);
    expect(result.value.processors[0].params).toMatchObject({ invert: false, ignoreCase: false });
  });

  it('refuses an invalid regular expression with the path and reason', () => {
    const config = JSON.parse(SEED);
    config.processors[2].pattern = '(unclosed';
    expect(issuesOf(config)).toMatch(/^processors\[2\]\.pattern: invalid regular expression: .*group/i);
  });

  it('refuses JSON that does not parse', () => {
    expect(issuesOf('{"processors": [')).toMatch(/^not valid JSON/);
  });

  it('refuses unknown types and lists the known ones', () => {
    expect(issuesOf({ processors: [{ type: 'uppercas' }] })).toMatch(/processors\[0\]\.type: unknown processor type "uppercas" \(known: .*uppercase/);
  });

  it('refuses unknown keys, naming the known ones', () => {
    expect(issuesOf({ processors: [{ type: 'filter', pattern: 'a', invrt: true }] })).toMatch(
      /processors\[0\]\.invrt: unknown key "invrt" for filter \(known: .*invert/,
    );
    expect(issuesOf({ processors: [{ type: 'uppercase' }], extra: 1 })).toMatch(/^extra: unknown key/);
  });

  it('checks types, ranges and required params', () => {
    expect(issuesOf({ processors: [{ type: 'router' }] })).toMatch(/processors\[0\]\.routes: required/);
    expect(issuesOf({ processors: [{ type: 'router', routes: 5 }] })).toBe('processors[0].routes: expected a list');
    expect(issuesOf({ processors: [{ type: 'filter', pattern: 'a', invert: 'yes' }] })).toMatch(/invert: expected true or false/);
    expect(issuesOf({ processors: [{ type: 'counter', top: 0 }] })).toMatch(/processors\[0\]\.top: expected a value from 1 to/);
    expect(issuesOf({ processors: [{ type: 'counter', top: 2.5 }] })).toMatch(/top: expected a whole number/);
  });

  it('reports every issue at once', () => {
    const issues = parsePipeline({ processors: [{ type: 'filter' }, { type: 'nope' }, { type: 'counter', top: -1 }] });
    expect(issues.ok).toBe(false);
    if (!issues.ok) expect(issues.error.map((i) => i.path)).toEqual(['processors[0]', 'processors[1].type', 'processors[2].top']);
  });

  it('refuses duplicate ids and references to missing processors', () => {
    expect(issuesOf({ processors: [{ type: 'uppercase', id: 'a' }, { type: 'lowercase', id: 'a' }] })).toMatch(
      /processors\[1\]\.id: duplicate id "a"/,
    );
    expect(issuesOf({ processors: [{ type: 'uppercase', next: 'ghost' }] })).toMatch(/processors\[0\]\.next: no processor has the id "ghost"/);
  });

  it('refuses a router route that names a missing processor', () => {
    const config = {
      processors: [
        { type: 'router', id: 'start', routes: [{ branch: 'error', levels: ['ERROR'], next: 'ghost' }] },
      ],
    };
    expect(issuesOf(config)).toMatch(/processors\[0\]\.routes: no processor has the id "ghost"/);
  });

  it('refuses bad levels inside a route with the nested path', () => {
    const config = { processors: [{ type: 'router', routes: [{ branch: 'e', levels: ['ERRORZ'] }] }] };
    expect(issuesOf(config)).toMatch(/processors\[0\]\.routes\[0\]\.levels: "ERRORZ" is not one of/);
  });

  it('takes a filter on a field, by pattern or by comparison with a number or a string', () => {
    const result = parsePipeline({
      processors: [
        { type: 'parse' },
        { type: 'filter', field: 'status', op: '>=', value: 500 },
        { type: 'filter', field: 'method', op: '==', value: 'GET' },
        { type: 'filter', field: 'component', pattern: '^dfs\\.' },
      ],
    });
    if (!result.ok) throw new Error(formatIssues(result.error));
    expect(result.value.processors[1].params).toMatchObject({ field: 'status', op: '>=', value: 500, invert: false });
    expect(result.value.processors[2].params).toMatchObject({ op: '==', value: 'GET' });
  });

  it('says what is wrong with a filter that has neither, both, or a half of a comparison', () => {
    const second = (filter: Record<string, unknown>) => issuesOf({ processors: [{ type: 'parse' }, { type: 'filter', ...filter }] });
    expect(second({ field: 'status' })).toBe('processors[1]: give either pattern or op and value');
    expect(second({ pattern: 'x', op: '==', value: 1 })).toBe('processors[1]: give either pattern or op and value, not both');
    expect(second({ field: 'status', value: 500 })).toMatch(/^processors\[1\]\.op: required with value/);
    expect(second({ field: 'status', op: '>=' })).toMatch(/^processors\[1\]\.value: required with op/);
    expect(second({ field: 'status', op: '=>', value: 500 })).toMatch(/^processors\[1\]\.op: expected one of "==", "!=", "<", "<=", ">", ">="/);
    expect(second({ field: 'status', op: '>', value: '500' })).toMatch(/^processors\[1\]\.op: ">" compares numbers/);
    expect(second({ field: 'status', op: '>', value: [500] })).toBe('processors[1].value: expected a number or a string');
    expect(second({ op: '>', value: 500 })).toMatch(/^processors\[1\]\.field: required with op/);
  });

  it('refuses a counter by field without a field, and a router field on a level route', () => {
    expect(issuesOf({ processors: [{ type: 'counter', by: 'field' }] })).toBe('processors[0].field: required when by is "field"');
    expect(issuesOf({ processors: [{ type: 'counter', by: 'levels' }] })).toMatch(/processors\[0\]\.by: expected one of "level", "pattern", "field"/);
    const router = { type: 'router', routes: [{ branch: 'e', levels: ['ERROR'], field: 'component', next: 'c' }] };
    expect(issuesOf({ processors: [router, { type: 'counter', id: 'c' }] })).toBe('processors[0].routes[0].field: only used with "pattern"');
  });

  it('refuses cycles', () => {
    const config = {
      processors: [
        { type: 'uppercase', id: 'a', next: 'b' },
        { type: 'lowercase', id: 'b', next: 'a' },
      ],
    };
    expect(issuesOf(config)).toMatch(/cycle \(a → b → a\)/);
  });

  it('refuses an empty pipeline and a non-object', () => {
    expect(issuesOf({ processors: [] })).toMatch(/at least one processor/);
    expect(issuesOf([1, 2])).toMatch(/expected an object/);
  });

  it('takes an error policy and circuit settings on any processor, defaults filled in', () => {
    const result = parsePipeline({ processors: [{ type: 'json', onError: 'pass', circuit: { consecutiveErrors: 3 } }, { type: 'uppercase', circuit: false }] });
    if (!result.ok) throw new Error(formatIssues(result.error));
    expect(result.value.processors[0]).toMatchObject({ onError: 'pass', circuit: { consecutiveErrors: 3, errorRate: 0.8, whileOpen: 'pass' } });
    expect(result.value.processors[1]).toMatchObject({ onError: 'drop', circuit: null });
  });

  it('refuses bad error policies and circuit settings with their paths', () => {
    expect(issuesOf({ processors: [{ type: 'json', onError: 'ignore' }] })).toMatch(/processors\[0\]\.onError: expected one of "drop", "pass", "stop"/);
    expect(issuesOf({ processors: [{ type: 'json', circuit: { errorRate: 2 } }] })).toMatch(/processors\[0\]\.circuit\.errorRate: expected a value from 0 to 1/);
    expect(issuesOf({ processors: [{ type: 'json', circuit: { coolDown: 5 } }] })).toMatch(/processors\[0\]\.circuit\.coolDown: unknown key "coolDown" for circuit \(known: .*cooldownMs/);
    expect(issuesOf({ processors: [{ type: 'json', circuit: 'off' }] })).toMatch(/processors\[0\]\.circuit: expected an object/);
  });
});
