import { describe, expect, it } from 'vitest';
import type { Params, RouteFn } from '../../../src/engine/processors/types.ts';
import { create, moduleOf, record, validParams, withDefaults } from './helpers.ts';

/** The example of the brief: by level, with a default branch. */
const START: Params = {
  routes: [
    { branch: 'warn', levels: ['WARN'], next: 'warn_counter' },
    { branch: 'error', levels: ['ERROR', 'FATAL'], next: ['error_counter'] },
  ],
  default: 'general',
};

function createRoute(params: Params): RouteFn {
  const instance = create('router', params);
  if (instance.kind !== 'router') throw new Error('router expected');
  return instance.route;
}

const check = (params: Params) => {
  const module = moduleOf('router');
  return module.check?.(withDefaults(module.descriptor.params, params)) ?? null;
};

describe('router', () => {
  it('routes by level, detecting the level when no earlier processor set it', () => {
    const route = createRoute(START);
    expect(route(record('2024-01-01 WARN disk'))).toBe('warn');
    expect(route(record('[error] boom'))).toBe('error');
    expect(route(record('x FATAL y'))).toBe('error');
    expect(route({ ...record('WARN in text, but the field says'), level: 'ERROR' })).toBe('error');
  });

  it('sends lines no route takes to "default" when it is set', () => {
    expect(createRoute(START)(record('INFO fine'))).toBe('default');
  });

  it('drops lines no route takes when there is no default', () => {
    expect(createRoute({ routes: START.routes })(record('INFO fine'))).toBeNull();
  });

  it('takes the first matching route, in order', () => {
    const route = createRoute({
      routes: [
        { branch: 'timeouts', pattern: 'timeout', next: 'a' },
        { branch: 'errors', levels: ['ERROR'], next: 'b' },
        { branch: 'again', pattern: 'timeout', next: 'c' },
      ],
    });
    expect(route(record('ERROR timeout'))).toBe('timeouts');
    expect(route(record('ERROR refused'))).toBe('errors');
  });

  it('routes by pattern, with ignoreCase per route', () => {
    const route = createRoute({
      routes: [
        { branch: 'exact', pattern: 'Disk', next: 'a' },
        { branch: 'loose', pattern: 'net', ignoreCase: true, next: 'b' },
      ],
    });
    expect(route(record('Disk full'))).toBe('exact');
    expect(route(record('disk full'))).toBeNull();
    expect(route(record('NET down'))).toBe('loose');
  });

  it('can route lines of no detectable level by UNKNOWN', () => {
    const route = createRoute({ routes: [{ branch: 'unknown', levels: ['UNKNOWN'], next: 'a' }] });
    expect(route(record('a connection error in free text'))).toBe('unknown');
    expect(route(record('INFO ok'))).toBeNull();
  });

  it('with field, searches route patterns in that field; level routes still read the level', () => {
    const route = createRoute({
      field: 'component',
      routes: [
        { branch: 'errors', levels: ['ERROR'], next: 'a' },
        { branch: 'dfs', pattern: '^dfs\\.', next: 'b' },
      ],
      default: 'rest',
    });
    const at = (component: unknown, level?: 'ERROR' | 'INFO') => ({ ...record('dfs.DataNode in the text'), level, fields: { component } });
    expect(route(at('dfs.DataNode', 'INFO'))).toBe('dfs');
    expect(route(at('dfs.DataNode', 'ERROR'))).toBe('errors');
    expect(route(at('web', 'INFO'))).toBe('default');
    // Without the field (or with null) the pattern route does not match, whatever the line says.
    expect(route(at(null, 'INFO'))).toBe('default');
    expect(route({ ...record('dfs.DataNode in the text'), level: 'INFO' })).toBe('default');
  });

  it('lets a route search its own field, over the router\'s', () => {
    const route = createRoute({
      field: 'component',
      routes: [
        { branch: 'server_errors', field: 'status', pattern: '^5', next: 'a' },
        { branch: 'api', pattern: '^api', next: 'b' },
      ],
    });
    const at = (status: unknown, component: string) => ({ ...record('x'), fields: { status, component } });
    expect(route(at(503, 'web'))).toBe('server_errors');
    expect(route(at(200, 'api.users'))).toBe('api');
    expect(route(at(200, 'web'))).toBeNull();
  });

  it('check() refuses a field on a level route, and a router field with no pattern route', () => {
    expect(check({ routes: [{ branch: 'a', levels: ['INFO'], field: 'component', next: 'x' }] })).toEqual({
      path: 'routes[0].field',
      message: 'only used with "pattern"',
    });
    expect(check({ field: 'component', routes: [{ branch: 'a', levels: ['INFO'], next: 'x' }] })?.path).toBe('field');
    expect(check({ field: 'component', routes: [{ branch: 'a', pattern: '^dfs', next: 'x' }] })).toBeNull();
  });

  it('names its branches and the ids they feed, default included when set', () => {
    const module = moduleOf('router');
    expect(module.branches?.(validParams('router', START))).toEqual({
      warn: ['warn_counter'],
      error: ['error_counter'],
      default: ['general'],
    });
    expect(module.branches?.(validParams('router', { routes: START.routes }))).toEqual({
      warn: ['warn_counter'],
      error: ['error_counter'],
    });
  });

  it('check() wants exactly one of levels or pattern per route, and says which route', () => {
    expect(check({ routes: [{ branch: 'a', levels: ['INFO'], next: 'x' }, { branch: 'b', next: 'y' }] })).toEqual({
      path: 'routes[1]',
      message: 'needs exactly one of "levels" or "pattern"',
    });
    expect(check({ routes: [{ branch: 'a', levels: ['INFO'], pattern: 'p', next: 'x' }] })?.path).toBe('routes[0]');
    expect(check({ routes: [{ branch: 'a', levels: [], next: 'x' }] })?.path).toBe('routes[0].levels');
  });

  it('check() rejects duplicate branches, the reserved "default" branch, and no routes', () => {
    const twice = [
      { branch: 'a', levels: ['INFO'], next: 'x' },
      { branch: 'a', pattern: 'p', next: 'y' },
    ];
    expect(check({ routes: twice })).toEqual({ path: 'routes[1].branch', message: 'duplicate branch "a"' });
    expect(check({ routes: [{ branch: 'default', pattern: 'p', next: 'x' }] })?.path).toBe('routes[0].branch');
    expect(check({ routes: [] })?.path).toBe('routes');
    expect(check(START)).toBeNull();
  });
});
