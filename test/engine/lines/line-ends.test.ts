import { describe, expect, it } from 'vitest';
import { detectLineEnd, LineSplitter, type LineEnd } from '../../../src/engine/lines/index.ts';

const encoder = new TextEncoder();

/** Every line with its offset, the bytes pushed in pieces cut at `cuts`. */
function split(bytes: Uint8Array, lineEnd: LineEnd, cuts: number[] = []): { texts: string[]; offsets: number[] } {
  const splitter = new LineSplitter({ lineEnd });
  const texts: string[] = [];
  const offsets: number[] = [];
  const take = (batch: ReturnType<LineSplitter['push']>) => {
    if (!batch) return;
    texts.push(...batch.texts);
    offsets.push(...batch.offsets);
  };
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    take(splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  take(splitter.finish());
  return { texts, offsets };
}

/** Offsets of each line's first byte when lines are joined by `sep`. */
function offsetsOf(lines: string[], sep: string): number[] {
  let at = 0;
  return lines.map((line) => {
    const here = at;
    at += encoder.encode(line).length + encoder.encode(sep).length;
    return here;
  });
}

const LINES = ['2024-03-14 08:00:00 ERROR first', '', 'second é', '2024-03-14 08:00:01 WARN third'];

describe('line ends', () => {
  it('detects CR-only files, and LF or CRLF ones as lf', () => {
    expect(detectLineEnd(encoder.encode('a\rb\rc'))).toBe('cr');
    expect(detectLineEnd(encoder.encode('a\r\nb\r\n'))).toBe('lf');
    expect(detectLineEnd(encoder.encode('a\nb\rc\n'))).toBe('lf');
    expect(detectLineEnd(encoder.encode('no line end at all'))).toBe('lf');
  });

  for (const [name, sep, lineEnd] of [
    ['LF', '\n', 'lf'],
    ['CRLF', '\r\n', 'lf'],
    ['CR', '\r', 'cr'],
  ] as const) {
    it(`reads ${name} lines with their offsets, whatever the chunk cuts`, () => {
      const bytes = encoder.encode(LINES.join(sep));
      const expected = { texts: LINES, offsets: offsetsOf(LINES, sep) };
      expect(split(bytes, lineEnd)).toEqual(expected);
      // Every single cut, and cuts between every byte.
      for (let cut = 1; cut < bytes.length; cut++) expect(split(bytes, lineEnd, [cut])).toEqual(expected);
      expect(split(bytes, lineEnd, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))).toEqual(expected);
    });
  }

  it('in CR mode reads a stray CRLF as one line end', () => {
    const bytes = encoder.encode('one\rtwo\r\nthree\rfour');
    expect(split(bytes, 'cr').texts).toEqual(['one', 'two', 'three', 'four']);
    expect(split(bytes, 'cr', [8, 9]).texts).toEqual(['one', 'two', 'three', 'four']);
  });

  it('a CR-only file of 120,000 records is 120,000 lines, not one line cut at 1 MiB', () => {
    const records = Array.from({ length: 120_000 }, (_, i) => `2024-03-14 08:00:00 ${i % 10 === 0 ? 'ERROR' : 'INFO'} record ${i}`);
    const bytes = encoder.encode(records.join('\r') + '\r');
    const { texts } = split(bytes, detectLineEnd(bytes.subarray(0, 65536)), [1 << 20, 3 << 20]);
    expect(texts.length).toBe(120_000);
    expect(texts.filter((t) => t.includes(' ERROR ')).length).toBe(12_000);
  });
});
