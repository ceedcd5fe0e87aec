import { describe, expect, it } from 'vitest';
import { asciiFinder } from '../../../src/engine/logs/search.ts';

/** Every match position, by the finder and by a plain search on decoded, case-folded text. */
function both(hay: string, needle: string, caseSensitive: boolean): [number[], number[]] {
  const bytes = new TextEncoder().encode(hay);
  const finder = asciiFinder(needle, caseSensitive)!;
  const found: number[] = [];
  for (let at = finder.find(bytes, 0); at !== -1; at = finder.find(bytes, at + 1)) found.push(at);
  const h = caseSensitive ? hay : hay.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  const want: number[] = [];
  for (let at = h.indexOf(n); at !== -1; at = h.indexOf(n, at + 1)) want.push(at);
  return [found, want];
}

describe('finding an ASCII text in bytes', () => {
  it('finds every match a search of the decoded text finds, with and without case', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = 'aAbBxX .:-tT';
    for (let round = 0; round < 300; round++) {
      const hay = Array.from({ length: 200 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const needle = Array.from({ length: 1 + Math.floor(next() * 3) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      for (const caseSensitive of [false, true]) {
        const [found, want] = both(hay, needle, caseSensitive);
        expect(found, `${needle} in ${hay}`).toEqual(want);
      }
    }
  });

  it('leaves texts with other characters to the decoded search', () => {
    expect(asciiFinder('café', false)).toBeNull();
    expect(asciiFinder('a\nb', false)).toBeNull();
  });
});
