import { describe, expect, it } from 'vitest';
import { Ring } from '../../../src/engine/observe/ring.ts';

function filled(capacity: number, count: number): Ring<number> {
  const ring = new Ring<number>(capacity);
  for (let i = 1; i <= count; i++) ring.push(i);
  return ring;
}

describe('Ring', () => {
  it('keeps everything, oldest first, until the capacity is reached', () => {
    const ring = filled(5, 3);
    expect(ring.toArray()).toEqual([1, 2, 3]);
    expect(ring.size).toBe(3);
    expect(ring.seen).toBe(3);
  });

  it('evicts the oldest items and keeps the most recent, oldest first', () => {
    const ring = filled(4, 10);
    expect(ring.toArray()).toEqual([7, 8, 9, 10]);
    expect(ring.size).toBe(4);
  });

  it('keeps the order right at every wrap-around point', () => {
    for (let count = 0; count <= 13; count++) {
      const expected = Array.from({ length: count }, (_, i) => i + 1).slice(-4);
      expect(filled(4, count).toArray(), `after ${count} pushes`).toEqual(expected);
    }
  });

  it('counts every push exactly, evicted ones included', () => {
    const ring = filled(1000, 123_457);
    expect(ring.seen).toBe(123_457);
    expect(ring.size).toBe(1000);
    expect(ring.toArray()[0]).toBe(122_458);
    expect(ring.toArray()[999]).toBe(123_457);
  });

  it('with capacity 0 keeps nothing but still counts', () => {
    const ring = filled(0, 5);
    expect(ring.toArray()).toEqual([]);
    expect(ring.seen).toBe(5);
  });

  it('returns a copy that later pushes do not change', () => {
    const ring = filled(3, 3);
    const snapshot = ring.toArray();
    ring.push(4);
    expect(snapshot).toEqual([1, 2, 3]);
  });

  it('clear forgets the items and the seen count', () => {
    const ring = filled(3, 7);
    ring.clear();
    expect(ring.toArray()).toEqual([]);
    expect(ring.size).toBe(0);
    expect(ring.seen).toBe(0);
    ring.push(42);
    expect(ring.toArray()).toEqual([42]);
  });

  it('refuses a capacity that is negative or not whole', () => {
    expect(() => new Ring(-1)).toThrow(RangeError);
    expect(() => new Ring(2.5)).toThrow(RangeError);
    expect(() => new Ring(Number.NaN)).toThrow(RangeError);
  });
});

describe('Ring.since', () => {
  it('returns what was pushed after a reader last looked, kept items only', () => {
    const ring = new Ring<number>(4);
    for (let i = 1; i <= 3; i++) ring.push(i);
    expect(ring.since(0)).toEqual([1, 2, 3]);
    expect(ring.since(3)).toEqual([]);
    for (let i = 4; i <= 9; i++) ring.push(i);
    // 6 came since the reader saw 3; only the last 4 are still kept.
    expect(ring.since(3)).toEqual([6, 7, 8, 9]);
    expect(ring.since(7)).toEqual([8, 9]);
  });
});
