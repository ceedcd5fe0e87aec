import { describe, expect, it } from 'vitest';
import { COUNTER_CAPS, KeyCounter, mergeCounterStates, type CounterCaps, type CounterTable } from '../../../src/engine/processors/counter-table.ts';
import { mergePartialStates, stateOfPartial } from '../../../src/engine/processors/merge.ts';
import type { PartialState, ProcessorInstance } from '../../../src/engine/processors/types.ts';
import { create, record } from './helpers.ts';

const utf8 = (text: string) => new TextEncoder().encode(text).length;

function random(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 4294967296) * n);
  };
}

function counted(keys: readonly string[], caps: CounterCaps): CounterTable {
  const counter = new KeyCounter(caps);
  for (const key of keys) counter.add(key);
  return counter.table();
}

function feed(instance: ProcessorInstance, texts: readonly string[]): void {
  if (instance.kind !== 'map') throw new Error('map expected');
  for (const text of texts) instance.map(record(text));
}

describe('counter keys are bounded in bytes', () => {
  it('cuts keys to 1 KiB of UTF-8 at a character boundary and counts the cut: 300 distinct 1 MB lines hold 300 KiB', () => {
    const instance = create('counter', { by: 'pattern', pattern: '(.*)', top: 1000 });
    const lines = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(4, '0')}${'é'.repeat(500_000)}`);
    feed(instance, lines);
    feed(instance, lines.slice(0, 10));
    const table = instance.partial?.();
    if (table?.kind !== 'counter') throw new Error('a counter has a counter table');
    expect(table.table.keys).toHaveLength(300);
    expect(table.table.cut).toBe(310);
    for (const key of table.table.keys) {
      expect(utf8(key)).toBeLessThanOrEqual(COUNTER_CAPS.keyBytes);
      expect(utf8(key)).toBeGreaterThan(COUNTER_CAPS.keyBytes - 2); // 4 digits, then whole two-byte é's
      expect(key.endsWith('é')).toBe(true);
    }
    expect(table.table.bytes).toBeLessThanOrEqual(300 * 1024);
    const state = instance.state?.() as { counts: [string, number][]; cut?: number; distinct: number };
    expect(state.cut).toBe(310);
    expect(state.distinct).toBe(300);
    expect(state.counts[0][1]).toBe(2);
  }, 60_000);

  it('past the byte budget of the table, new keys count under "(other)"; known keys still count', () => {
    const caps = { keyBytes: 8, tableBytes: 20, keys: 100 };
    const table = counted(['aaaa', 'bbbbbbbb', 'cccccccc', 'dd', 'aaaa', 'eeeeeeeeeeee', 'bbbbbbbb'], caps);
    // aaaa (4) + bbbbbbbb (8) = 12; cccccccc would make 20 … fits; dd would make 22: full from there on.
    expect(table.keys).toEqual(['aaaa', 'bbbbbbbb', 'cccccccc']);
    expect(table.counts).toEqual([2, 2, 1]);
    expect(table).toMatchObject({ other: 2, cut: 1, bytes: 20, full: true, exact: true });
  });

  it('counts a key that is literally "(other)" with the overflow, and omits "cut" when nothing was cut', () => {
    const instance = create('counter', { by: 'pattern', pattern: '(.*)' });
    feed(instance, ['(other)', 'a']);
    expect(instance.state?.()).toEqual({ counts: [['(other)', 1], ['a', 1]], distinct: 2 });
  });
});

describe('mergeCounterStates', () => {
  it('gives what one counter over the whole stream gives, for any cut of the stream into ranges', () => {
    const next = random(42);
    let inexact = 0;
    for (let round = 0; round < 300; round++) {
      const caps = { keyBytes: 1 + next(6), tableBytes: 4 + next(40), keys: 1 + next(12) };
      const alphabet = ['a', 'b', 'é', '😀', 'ab', 'ba', 'abc', 'bca', 'aaaaaaa', 'ébé', '(other)'];
      const stream = Array.from({ length: next(60) }, () => alphabet[next(alphabet.length)]);
      const cuts = [...new Set(Array.from({ length: next(5) }, () => next(stream.length + 1)))].sort((x, y) => x - y);
      const ranges = [0, ...cuts, stream.length].flatMap((start, i, all) => (i + 1 < all.length ? [stream.slice(start, all[i + 1])] : []));
      const whole = counted(stream, caps);
      const merged = mergeCounterStates(ranges.map((range) => counted(range, caps)));
      const total = (t: CounterTable) => t.counts.reduce((a, b) => a + b, t.other);
      expect(total(merged)).toBe(stream.length);
      expect(merged.cut).toBe(whole.cut);
      if (merged.exact) {
        expect(merged, JSON.stringify({ caps, ranges })).toEqual(whole);
      } else {
        inexact++;
        // Only a range after the first that filled its own table can make the merge inexact.
        expect(ranges.slice(1).some((range) => counted(range, caps).full)).toBe(true);
      }
    }
    expect(inexact).toBeLessThan(300); // the exact branch is exercised
  });

  it('merges counter processors over ranges into the state of one pass (mergePartialStates)', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `status=${[200, 200, 404, 500, 301][i % 5]} user=u${i % 37}`);
    const one = create('counter', { by: 'pattern', pattern: 'user=(\\w+)', top: 5 });
    feed(one, lines);
    const parts: PartialState[] = [0, 1200, 1201, 4000].map((start, i, all) => {
      const instance = create('counter', { by: 'pattern', pattern: 'user=(\\w+)', top: 5 });
      feed(instance, lines.slice(start, all[i + 1] ?? lines.length));
      const partial = instance.partial?.();
      if (partial === undefined) throw new Error('a counter has a partial state');
      return partial;
    });
    const merged = mergePartialStates(parts);
    if (merged === null) throw new Error('merged');
    expect(stateOfPartial(merged)).toEqual(one.state?.());
  });

  it('merges redact counts by kind', () => {
    const parts: PartialState[] = [
      { kind: 'redact', masked: { email: 1, ipv4: 2 } },
      { kind: 'redact', masked: { email: 3, card: 1 } },
    ];
    const merged = mergePartialStates(parts);
    expect(merged && stateOfPartial(merged)).toEqual({ masked: { email: 4, ipv4: 2, card: 1 } });
  });
});
