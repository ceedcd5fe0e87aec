import { describe, expect, it } from 'vitest';
import {
  formatByteRate,
  formatBytes,
  formatCount,
  formatDuration,
  formatLineRate,
  formatMs,
  formatPercent,
  issueText,
} from '../../src/ui/format.ts';

describe('format helpers', () => {
  it('separates thousands in counts', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1_234_567)).toBe('1,234,567');
  });

  it('shows processor time with exactly one decimal', () => {
    expect(formatMs(0)).toBe('0.0');
    expect(formatMs(1234.56)).toBe('1,234.6');
  });

  it('scales bytes to the largest unit below 1024', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1,023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MB');
    expect(formatBytes(4 * 1024 ** 3)).toBe('4.0 GB');
  });

  it('reads durations the way people say them', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_200)).toBe('1.2 s');
    expect(formatDuration(184_000)).toBe('3 min 4 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });

  it('gives rates per second', () => {
    expect(formatLineRate(6_172.4)).toBe('6,172 lines/s');
    expect(formatLineRate(2_345_678)).toBe('2.35 M lines/s');
    expect(formatByteRate(50 * 1024 * 1024)).toBe('50.0 MB/s');
  });

  it('gives shares as percentages, an empty whole as 0% rather than NaN', () => {
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(1, 200)).toBe('0.5%');
    expect(formatPercent(46, 143_303)).toBe('<0.1%');
    expect(formatPercent(5, 0)).toBe('0%');
  });

  it('writes a config issue as path: message, or the message alone without a path', () => {
    expect(issueText({ path: 'processors[2].pattern', message: 'invalid regular expression' })).toBe(
      'processors[2].pattern: invalid regular expression',
    );
    expect(issueText({ path: '', message: 'not valid JSON' })).toBe('not valid JSON');
  });
});
