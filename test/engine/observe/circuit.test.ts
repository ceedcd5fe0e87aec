import { describe, expect, it } from 'vitest';
import {
  CIRCUIT_PARAMS,
  CircuitBreaker,
  DEFAULT_CIRCUIT,
  ERROR_POLICY_PARAM,
  type CircuitChange,
} from '../../../src/engine/observe/circuit.ts';
import type { CircuitConfig } from '../../../src/engine/observe/types.ts';

function breaker(config: Partial<CircuitConfig> = {}) {
  const changes: CircuitChange[] = [];
  const circuit = new CircuitBreaker({ ...DEFAULT_CIRCUIT, ...config }, (change) => changes.push(change));
  return { circuit, changes };
}

/** A rate rule that cannot fire, to test the consecutive rule alone (and vice versa). */
const NO_RATE = { errorRate: 1 };
const NO_STREAK = { consecutiveErrors: 1_000_000 };

describe('CircuitBreaker: consecutive errors', () => {
  it('opens when consecutive errors reach the limit', () => {
    const { circuit, changes } = breaker({ consecutiveErrors: 3, ...NO_RATE });
    circuit.failure(0);
    circuit.failure(0);
    expect(circuit.state).toBe('closed');
    expect(changes).toEqual([]);
    circuit.failure(10);
    expect(circuit.state).toBe('open');
    expect(changes).toEqual([{ from: 'closed', to: 'open', reason: '3 errors in a row' }]);
    expect(circuit.openings).toBe(1);
  });

  it('stays closed when successes interleave with errors', () => {
    const { circuit, changes } = breaker({ consecutiveErrors: 3, ...NO_RATE });
    for (let i = 0; i < 1000; i++) {
      circuit.failure(i);
      circuit.failure(i);
      circuit.success();
    }
    expect(circuit.state).toBe('closed');
    expect(changes).toEqual([]);
    expect(circuit.openings).toBe(0);
  });
});

describe('CircuitBreaker: error rate', () => {
  it('opens at the end of a window whose error rate exceeds the threshold', () => {
    const { circuit, changes } = breaker({ window: 200, errorRate: 0.5, ...NO_STREAK });
    // 170 errors in 200 lines (runs of 17 errors, 3 successes): only the window's end can open it.
    for (let i = 0; i < 199; i++) {
      if (i % 20 < 17) circuit.failure(i);
      else circuit.success();
      expect(circuit.state, `line ${i + 1}`).toBe('closed');
    }
    circuit.success();
    expect(circuit.state).toBe('open');
    expect(changes).toEqual([
      { from: 'closed', to: 'open', reason: 'error rate 85% over the last 200 lines (threshold 50%)' },
    ]);
  });

  it('does not open when the rate equals the threshold, and starts each window afresh', () => {
    const { circuit, changes } = breaker({ window: 10, errorRate: 0.5, ...NO_STREAK });
    // Window 1: 5 of 10 fail (50%, not above). Window 2: 4 of 10. Window 3 does not inherit their errors.
    for (let i = 0; i < 10; i++) (i % 2 ? circuit.failure(i) : circuit.success());
    for (let i = 0; i < 10; i++) (i < 4 ? circuit.failure(i) : circuit.success());
    for (let i = 0; i < 5; i++) circuit.failure(i);
    expect(circuit.state).toBe('closed');
    expect(changes).toEqual([]);
    for (let i = 0; i < 5; i++) circuit.failure(100);
    expect(circuit.state).toBe('open');
    expect(changes[0].reason).toBe('error rate 100% over the last 10 lines (threshold 50%)');
  });

  it('starts the cool-down at the next allow() when a success ended the bad window', () => {
    const { circuit } = breaker({ window: 4, errorRate: 0.5, cooldownMs: 100, ...NO_STREAK });
    circuit.failure(0);
    circuit.failure(0);
    circuit.failure(0);
    circuit.success();
    expect(circuit.state).toBe('open');
    expect(circuit.allow(5000)).toBe(false);
    expect(circuit.allow(5099)).toBe(false);
    expect(circuit.allow(5100)).toBe(true);
    expect(circuit.state).toBe('half-open');
  });
});

describe('CircuitBreaker: open, half-open, closed', () => {
  function opened(cooldownMs = 1000) {
    const b = breaker({ consecutiveErrors: 2, cooldownMs, ...NO_RATE });
    b.circuit.failure(1000);
    b.circuit.failure(1000);
    return b;
  }

  it('lets every line through while closed', () => {
    const { circuit } = breaker();
    for (let t = 0; t < 100; t++) expect(circuit.allow(t)).toBe(true);
  });

  it('refuses lines while open, until the cool-down has passed', () => {
    const { circuit } = opened();
    expect(circuit.allow(1000)).toBe(false);
    expect(circuit.allow(1999)).toBe(false);
    expect(circuit.state).toBe('open');
  });

  it('half-opens after the cool-down and lets exactly one trial line through', () => {
    const { circuit, changes } = opened();
    expect(circuit.allow(2000)).toBe(true);
    expect(circuit.state).toBe('half-open');
    expect(changes[1]).toEqual({ from: 'open', to: 'half-open', reason: 'cool-down of 1000 ms passed; trying one line' });
    expect(circuit.allow(2001)).toBe(false);
    expect(circuit.allow(9999)).toBe(false);
    expect(changes).toHaveLength(2);
  });

  it('closes when the trial line succeeds, and counts afresh', () => {
    const { circuit, changes } = opened();
    circuit.allow(2000);
    circuit.success();
    expect(circuit.state).toBe('closed');
    expect(changes[2]).toEqual({ from: 'half-open', to: 'closed', reason: 'a trial line succeeded' });
    expect(circuit.allow(2001)).toBe(true);
    circuit.failure(2001);
    expect(circuit.state).toBe('closed');
    circuit.failure(2002);
    expect(circuit.state).toBe('open');
    expect(circuit.openings).toBe(2);
  });

  it('re-opens when the trial line fails, with a fresh cool-down', () => {
    const { circuit, changes } = opened();
    circuit.allow(2500);
    circuit.failure(2500);
    expect(circuit.state).toBe('open');
    expect(changes[2]).toEqual({ from: 'half-open', to: 'open', reason: 'the trial line failed' });
    expect(circuit.openings).toBe(2);
    expect(circuit.allow(3000)).toBe(false);
    expect(circuit.allow(3499)).toBe(false);
    expect(circuit.allow(3500)).toBe(true);
    expect(circuit.state).toBe('half-open');
  });

  it('reports the whole sequence of changes in order', () => {
    const { circuit, changes } = opened(10);
    circuit.allow(1010);
    circuit.failure(1010);
    circuit.allow(1020);
    circuit.success();
    expect(changes.map((c) => `${c.from}>${c.to}`)).toEqual([
      'closed>open',
      'open>half-open',
      'half-open>open',
      'open>half-open',
      'half-open>closed',
    ]);
    expect(circuit.openings).toBe(2);
  });

  it('ignores outcomes reported while open', () => {
    const { circuit, changes } = opened();
    circuit.success();
    circuit.failure(1500);
    expect(circuit.state).toBe('open');
    expect(changes).toHaveLength(1);
    expect(circuit.allow(2000)).toBe(true);
  });
});

describe('circuit and error policy parameters', () => {
  it('describe every circuit key with its default', () => {
    const byName = Object.fromEntries(CIRCUIT_PARAMS.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(Object.keys(DEFAULT_CIRCUIT).sort());
    for (const [key, value] of Object.entries(DEFAULT_CIRCUIT)) {
      expect(byName[key].default, key).toBe(value);
      expect(byName[key].description.length, key).toBeGreaterThan(10);
      expect(byName[key].example, key).toBeDefined();
    }
    expect(byName.errorRate).toMatchObject({ type: 'number', min: 0, max: 1 });
    expect(byName.whileOpen).toMatchObject({ type: 'enum', values: ['pass', 'drop'] });
  });

  it('onError is an enum of drop, pass and stop, drop by default', () => {
    expect(ERROR_POLICY_PARAM).toMatchObject({ name: 'onError', type: 'enum', values: ['drop', 'pass', 'stop'], default: 'drop' });
  });

  it('the default circuit cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_CIRCUIT)).toBe(true);
  });
});
