import { describe, expect, it } from 'vitest';
import {
  AlertEngine,
  BUILT_IN_RULES,
  MAX_ALERT_HISTORY,
  MinuteLevels,
  type AlertChange,
  type AlertRule,
  type MetricValues,
} from '../../../src/engine/metrics/alerts.ts';
import { LEVELS } from '../../../src/engine/types.ts';

const T = Date.UTC(2024, 2, 14, 8, 0, 0);
const ERROR = LEVELS.indexOf('ERROR');
const INFO = LEVELS.indexOf('INFO');

function rule(over: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'slow',
    name: 'Throughput below 1000 lines/s',
    metric: { kind: 'throughput_lps' },
    comparison: '<',
    threshold: 1000,
    severity: 'low',
    cooldownMs: 10_000,
    enabled: true,
    ...over,
  };
}

const lps = (throughputLps: number): MetricValues => ({ throughputLps });

function setup(rules: AlertRule[] = [rule()]) {
  const changes: AlertChange[] = [];
  const engine = new AlertEngine(rules, (c) => changes.push(c));
  const only = () => {
    const all = engine.alerts();
    expect(all).toHaveLength(1);
    return all[0];
  };
  return { engine, changes, only };
}

describe('AlertEngine', () => {
  it('fires once when the condition holds, with firedAt, value, threshold and a history entry', () => {
    const { engine, changes, only } = setup();
    engine.evaluate(lps(5000), T);
    expect(engine.alerts()).toEqual([]);
    engine.evaluate(lps(200), T + 1000);
    engine.evaluate(lps(150), T + 2000);
    const alert = only();
    expect(alert).toMatchObject({
      id: 'slow',
      rule: 'slow',
      severity: 'low',
      state: 'firing',
      firedAt: new Date(T + 1000).toISOString(),
      value: 200,
      lastValue: 150,
      threshold: 1000,
    });
    expect(alert.history).toEqual([{ at: new Date(T + 1000).toISOString(), action: 'fired', by: 'rule', value: 200 }]);
    expect(changes.map((c) => [c.action, c.by])).toEqual([['fired', 'rule']]);
    expect(engine.firing().map((a) => a.id)).toEqual(['slow']);
  });

  it('resolves by itself when the condition no longer holds', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    engine.evaluate(lps(2000), T + 1000);
    expect(only().state).toBe('resolved');
    expect(only().history.at(-1)).toEqual({ at: new Date(T + 1000).toISOString(), action: 'resolved', by: 'rule', value: 2000 });
    expect(engine.firing()).toEqual([]);
  });

  it('fires again after resolving only once the cool-down has passed', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    engine.evaluate(lps(2000), T + 1000);
    engine.evaluate(lps(200), T + 5000);
    expect(only().state).toBe('resolved');
    engine.evaluate(lps(300), T + 11_000);
    expect(only()).toMatchObject({ state: 'firing', firedAt: new Date(T + 11_000).toISOString(), value: 300 });
    expect(only().history.map((h) => h.action)).toEqual(['fired', 'resolved', 'fired']);
  });

  it('keeps an acknowledged alert until the condition clears, then resolves it', () => {
    const { engine, changes, only } = setup();
    engine.evaluate(lps(200), T);
    expect(engine.acknowledge('slow', T + 100)).toBe(true);
    engine.evaluate(lps(100), T + 1000);
    expect(only().state).toBe('acknowledged');
    expect(engine.firing()).toEqual([]);
    engine.evaluate(lps(5000), T + 2000);
    expect(only().state).toBe('resolved');
    expect(only().history.map((h) => [h.action, h.by])).toEqual([
      ['fired', 'rule'],
      ['acknowledged', 'user'],
      ['resolved', 'rule'],
    ]);
    expect(changes).toHaveLength(3);
  });

  it('acknowledges only firing alerts', () => {
    const { engine } = setup();
    expect(engine.acknowledge('slow', T)).toBe(false);
    engine.evaluate(lps(200), T);
    engine.evaluate(lps(2000), T + 1);
    expect(engine.acknowledge('slow', T + 2)).toBe(false);
  });

  it('resolves by hand, and fires again after the cool-down if the condition still holds', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    expect(engine.resolve('slow', T + 1000)).toBe(true);
    expect(engine.resolve('slow', T + 1500)).toBe(false);
    expect(only().history.at(-1)).toMatchObject({ action: 'resolved', by: 'user' });
    engine.evaluate(lps(200), T + 2000);
    expect(only().state).toBe('resolved');
    engine.evaluate(lps(200), T + 11_000);
    expect(only().state).toBe('firing');
  });

  it('suppresses for a period: no firing until then, then unsuppressed and firing at once if still true', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    expect(engine.suppress('slow', T + 60_000, T + 1000)).toBe(true);
    expect(only()).toMatchObject({ state: 'suppressed', suppressedUntil: new Date(T + 60_000).toISOString() });
    engine.evaluate(lps(5000), T + 2000);
    engine.evaluate(lps(100), T + 30_000);
    expect(only().state).toBe('suppressed');
    engine.evaluate(lps(100), T + 60_000);
    expect(only()).toMatchObject({ state: 'firing', firedAt: new Date(T + 60_000).toISOString() });
    expect(only().history.map((h) => [h.action, h.by])).toEqual([
      ['fired', 'rule'],
      ['suppressed', 'user'],
      ['unsuppressed', 'rule'],
      ['fired', 'rule'],
    ]);
    expect(only().history[1].until).toBe(new Date(T + 60_000).toISOString());
  });

  it('suppresses until the run ends: no date passes it, and the report says null, not a time', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    expect(engine.suppress('slow', null, T + 1000)).toBe(true);
    expect(only()).toMatchObject({ state: 'suppressed', suppressedUntil: null });
    expect(only().history[1]).toEqual({ at: new Date(T + 1000).toISOString(), action: 'suppressed', by: 'user', until: null });
    // Years of evaluations later (the last one at the end of the run), it is still suppressed.
    engine.evaluate(lps(100), T + 400 * 86_400_000);
    expect(only()).toMatchObject({ state: 'suppressed', suppressedUntil: null });
    expect(engine.unsuppress('slow', T + 2000)).toBe(true);
    expect(only().state).toBe('resolved');
    expect('suppressedUntil' in only()).toBe(false);
  });

  it('ends a suppression as resolved when the condition is gone by then', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    engine.suppress('slow', T + 10_000, T);
    engine.evaluate(lps(5000), T + 10_000);
    expect(only().state).toBe('resolved');
    expect(only().history.map((h) => h.action)).toEqual(['fired', 'suppressed', 'unsuppressed']);
  });

  it('ends a suppression early by hand, refuses one already over, and ignores unknown ids', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    expect(engine.suppress('slow', T, T)).toBe(false);
    engine.suppress('slow', T + 60_000, T);
    expect(engine.unsuppress('slow', T + 1000)).toBe(true);
    expect(only().history.at(-1)).toMatchObject({ action: 'unsuppressed', by: 'user' });
    expect(engine.unsuppress('slow', T + 1000)).toBe(false);
    expect(engine.suppress('nope', T + 60_000, T)).toBe(false);
    expect(engine.resolve('nope', T)).toBe(false);
  });

  it('keeps one alert per processor for rules watching every processor', () => {
    const { engine } = setup([rule({ id: 'errors', metric: { kind: 'processor_error_rate' }, comparison: '>', threshold: 0.01 })]);
    engine.evaluate({ processors: [{ id: 'json', errorRate: 0.2 }, { id: 'geo', errorRate: 0.5 }, { id: 'ok', errorRate: 0 }] }, T);
    expect(engine.alerts().map((a) => [a.id, a.processor, a.state])).toEqual([
      ['errors:json', 'json', 'firing'],
      ['errors:geo', 'geo', 'firing'],
    ]);
    engine.evaluate({ processors: [{ id: 'json', errorRate: 0 }, { id: 'geo', errorRate: 0.5 }] }, T + 1000);
    expect(engine.alerts().map((a) => a.state)).toEqual(['resolved', 'firing']);
    expect(engine.acknowledge('errors:geo', T + 2000)).toBe(true);
  });

  it('keys a rule naming one processor by the rule alone and watches only that processor', () => {
    const { engine, only } = setup([
      rule({ id: 'p95', metric: { kind: 'processor_p95_us', processor: 'json' }, comparison: '>', threshold: 100 }),
    ]);
    engine.evaluate({ processors: [{ id: 'geo', p95Us: 900 }] }, T);
    expect(engine.alerts()).toEqual([]);
    engine.evaluate({ processors: [{ id: 'geo', p95Us: 900 }, { id: 'json', p95Us: 150 }] }, T);
    expect(only()).toMatchObject({ id: 'p95', processor: 'json', value: 150 });
  });

  it('treats an open or half-open circuit as 1 and a closed one as 0', () => {
    const circuit = BUILT_IN_RULES.find((r) => r.metric.kind === 'circuit_open')!;
    const { engine } = setup([circuit]);
    engine.evaluate({ processors: [{ id: 'a', circuit: 'open' }, { id: 'b', circuit: 'half-open' }, { id: 'c', circuit: 'closed' }] }, T);
    expect(engine.alerts().map((a) => [a.processor, a.value])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    engine.evaluate({ processors: [{ id: 'a', circuit: 'closed' }] }, T + 1);
    expect(engine.alerts().map((a) => a.state)).toEqual(['resolved', 'firing']);
  });

  it('leaves an alert as it is when its value is missing from an evaluation', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(200), T);
    engine.evaluate({}, T + 1000);
    engine.evaluate({ throughputLps: Number.NaN }, T + 2000);
    expect(only().state).toBe('firing');
  });

  it('does not fire for a disabled rule, and resolves the alerts of a rule once disabled', () => {
    const { engine, only } = setup([rule({ enabled: false })]);
    engine.evaluate(lps(200), T);
    expect(engine.alerts()).toEqual([]);
    engine.setRules([rule()]);
    engine.evaluate(lps(200), T + 1);
    expect(only().state).toBe('firing');
    engine.setRules([rule({ enabled: false })]);
    engine.evaluate(lps(200), T + 2);
    expect(only()).toMatchObject({ state: 'resolved' });
    expect(only().history.at(-1)).toMatchObject({ action: 'resolved', by: 'rule' });
  });

  it('applies rule changes (a new threshold) to existing alerts', () => {
    const { engine, only } = setup();
    engine.evaluate(lps(500), T);
    engine.setRules([rule({ threshold: 100 })]);
    engine.evaluate(lps(500), T + 1);
    expect(only()).toMatchObject({ state: 'resolved', threshold: 100 });
  });

  it('keeps the history bounded, counting what it dropped', () => {
    const { engine, only } = setup([rule({ cooldownMs: 0 })]);
    for (let i = 0; i < MAX_ALERT_HISTORY; i++) engine.evaluate(lps(i % 2 === 0 ? 1 : 5000), T + i);
    expect(only().history).toHaveLength(MAX_ALERT_HISTORY);
    engine.evaluate(lps(1), T + MAX_ALERT_HISTORY);
    expect(only().history).toHaveLength(MAX_ALERT_HISTORY);
    expect(only().historyDropped).toBe(1);
    expect(only().history.at(-1)!.at).toBe(new Date(T + MAX_ALERT_HISTORY).toISOString());
  });

  it('fires the built-in ERROR share rule for a minute of log time with more than 5 % ERROR lines', () => {
    const errorShare = BUILT_IN_RULES.find((r) => r.metric.kind === 'level_per_minute')!;
    const { engine, only } = setup([errorShare]);
    const minutes = new MinuteLevels();
    // minute 0: 1 % errors; minute 1: 10 % errors; minute 2: clean (still open)
    for (let i = 0; i < 100; i++) minutes.add(T + i * 500, i === 0 ? ERROR : INFO);
    for (let i = 0; i < 100; i++) minutes.add(T + 60_000 + i * 500, i < 10 ? ERROR : INFO);
    minutes.add(T + 120_000, INFO);
    engine.evaluate({ levelMinutes: minutes.take() }, T);
    expect(only()).toMatchObject({ state: 'firing', value: 0.1, severity: 'high' });
    // no minute ended since: no news, no change
    engine.evaluate({ levelMinutes: minutes.take() }, T + 1000);
    expect(only().state).toBe('firing');
    minutes.flush();
    engine.evaluate({ levelMinutes: minutes.take() }, T + 2000);
    expect(only().state).toBe('resolved');
  });

  it('looks at the quietest minute for "below" level rules', () => {
    const { engine, only } = setup([
      rule({ id: 'quiet', metric: { kind: 'level_per_minute', level: 'INFO' }, comparison: '<', threshold: 5 }),
    ]);
    const minutes = new MinuteLevels();
    for (let i = 0; i < 10; i++) minutes.add(T + i, INFO);
    minutes.add(T + 60_000, INFO);
    minutes.add(T + 120_000, INFO);
    engine.evaluate({ levelMinutes: minutes.take() }, T);
    expect(only()).toMatchObject({ state: 'firing', value: 1 });
  });

  it('ships the built-in rules on by default: ERROR share > 5 %, processor error rate > 1 %, open circuit', () => {
    expect(BUILT_IN_RULES.map((r) => [r.metric, r.comparison, r.threshold, r.severity, r.enabled])).toEqual([
      [{ kind: 'level_per_minute', level: 'ERROR', share: true }, '>', 0.05, 'high', true],
      [{ kind: 'processor_error_rate' }, '>', 0.01, 'medium', true],
      [{ kind: 'circuit_open' }, '>=', 1, 'high', true],
    ]);
    const engine = new AlertEngine();
    engine.evaluate({ processors: [{ id: 'json', errorRate: 0.02, circuit: 'open' }] }, T);
    expect(engine.alerts().map((a) => a.id)).toEqual(['processor-error-rate:json', 'circuit-open:json']);
  });
});

describe('MinuteLevels', () => {
  it('sees a burst in one minute even when many minutes end between two takes', () => {
    const m = new MinuteLevels();
    for (let minute = 0; minute < 30; minute++) {
      for (let i = 0; i < 20; i++) m.add(T + minute * 60_000 + i * 1000, minute === 17 && i < 10 ? ERROR : INFO);
    }
    const taken = m.take()!;
    expect(taken.minutes).toBe(29);
    expect(taken.maxShare[ERROR]).toBe(0.5);
    expect(taken.maxCount[ERROR]).toBe(10);
    expect(taken.minCount[ERROR]).toBe(0);
    expect(m.take()).toBeNull();
    m.flush();
    expect(m.take()!.minutes).toBe(1);
  });

  it('counts a late line in the current minute, and ignores lines without a time', () => {
    const m = new MinuteLevels();
    m.add(T + 60_000, INFO);
    m.add(T, ERROR);
    m.add(Number.NaN, ERROR);
    m.flush();
    const taken = m.take()!;
    expect(taken.minutes).toBe(1);
    expect(taken.maxCount[ERROR]).toBe(1);
    expect(taken.maxShare[ERROR]).toBe(0.5);
  });
});
