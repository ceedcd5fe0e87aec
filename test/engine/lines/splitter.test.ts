import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../src/engine/lines/index.ts';
import { madeLog } from '../../fixtures/logs.ts';
import { bytes, chunksOf, cutAt, loghub, split } from './helpers.ts';

// Every hard case in one input: CRLF, LF, empty lines, a CR inside a line, 2-, 3- and
// 4-byte characters, invalid bytes, an incomplete sequence before CRLF, a literal
// U+FFFD, and a last line without newline that ends in a lone CR.
const TRICKY = bytes(
  'a\r\nb\n\r\n\n',
  'ä€𝄞\r\n',
  [0xff, 0xfe],
  ' bad\n',
  'x\ry\n',
  '\uFFFD\n',
  [0xe2, 0x82],
  '\r\n',
  'last\r',
);

const TRICKY_LINES = ['a', 'b', '', '', 'ä€𝄞', '\uFFFD\uFFFD bad', 'x\ry', '\uFFFD', '\uFFFD', 'last\r'];
const TRICKY_OFFSETS = [0, 3, 5, 7, 8, 19, 26, 30, 34, 38];

// ASCII takes a different path in the splitter (offsets from string lengths), so it gets its own input.
const ASCII = bytes('abcdef\r\nxyz\r\n\r\nabcd\r\nabcde\n12345678');

describe('LineSplitter', () => {
  it('splits LF and CRLF lines, keeping a CR that is not part of a CRLF', () => {
    const { texts, offsets, stats } = split([TRICKY]);
    expect(texts).toEqual(TRICKY_LINES);
    expect(offsets).toEqual(TRICKY_OFFSETS);
    expect(stats).toEqual({ lines: 10, bytes: TRICKY.length, truncatedLines: 0, invalidUtf8Lines: 2 });
  });

  it.each([
    ['TRICKY', TRICKY, undefined],
    ['TRICKY capped at 3 bytes', TRICKY, 3],
    ['ASCII capped at 4 bytes', ASCII, 4],
  ])('gives the same lines, offsets and stats for %s wherever the chunks are cut', (_, input, cap) => {
    const options = { maxLineBytes: cap };
    const whole = split([input], options);
    for (let i = 0; i <= input.length; i++) {
      expect(split(cutAt(input, [i]), options), `cut at ${i}`).toEqual(whole);
      for (let j = i; j <= input.length; j++) {
        expect(split(cutAt(input, [i, j]), options), `cut at ${i} and ${j}`).toEqual(whole);
      }
    }
    expect(split(chunksOf(input, 1), options), 'single bytes').toEqual(whole);
  });

  it('reports no lines for an empty input', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(new Uint8Array(0))).toBeNull();
    expect(splitter.finish()).toBeNull();
    expect(splitter.stats).toEqual({ lines: 0, bytes: 0, truncatedLines: 0, invalidUtf8Lines: 0 });
  });

  it.each([
    ['\n', ['']],
    ['\n\n', ['', '']],
    ['\r\n', ['']],
    ['a\n', ['a']],
    ['a', ['a']],
    ['a\nb', ['a', 'b']],
  ])('adds no empty line after a final newline: %j', (input, lines) => {
    expect(split([bytes(input)]).texts).toEqual(lines);
  });

  it('holds back a line until its newline arrives, and gives an unterminated one at finish', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('first'))).toBeNull();
    expect(splitter.push(bytes(' line\nsec'))).toEqual({
      firstLineNo: 1,
      texts: ['first line'],
      offsets: Float64Array.of(0),
    });
    expect(splitter.push(bytes('ond'))).toBeNull();
    expect(splitter.finish()).toEqual({ firstLineNo: 2, texts: ['second'], offsets: Float64Array.of(11) });
    expect(splitter.finish()).toBeNull();
  });

  it('cuts lines over the cap, not counting the CR of a CRLF against it', () => {
    const { texts, stats } = split([ASCII], { maxLineBytes: 4 });
    expect(texts).toEqual(['abcd', 'xyz', '', 'abcd', 'abcd', '1234']);
    expect(stats.truncatedLines).toBe(3);
  });

  it.each([
    ['a line exactly at the cap', '12345\n', '12345', 0],
    ['a line one byte over the cap', '123456\n', '12345', 1],
    ['a CRLF line exactly at the cap', '12345\r\n', '12345', 0],
    ['a multi-byte character crossing the cap', '1234€\n', '1234', 1],
    ['a multi-byte character ending at the cap', '12€\n', '12€', 0],
    ['an unterminated line one over the cap', '12345\r', '12345', 1],
  ])('caps %s at a character boundary', (_, input, line, truncated) => {
    const { texts, stats } = split([bytes(input)], { maxLineBytes: 5 });
    expect(texts).toEqual([line]);
    expect(stats.truncatedLines).toBe(truncated);
    expect(stats.invalidUtf8Lines).toBe(0);
  });

  it('caps a long line of multi-byte characters cut across chunks without breaking a character', () => {
    const line = bytes('€'.repeat(1_000_000), '\nnext');
    const { texts, stats } = split(chunksOf(line, 65536));
    // 1 MiB is not a multiple of 3: the cut falls back to the last whole character.
    expect(texts).toEqual(['€'.repeat(Math.floor(1048576 / 3)), 'next']);
    expect(stats).toMatchObject({ truncatedLines: 1, invalidUtf8Lines: 0 });
  });

  it('buffers no more than the cap of a line however long it grows', () => {
    const splitter = new LineSplitter({ maxLineBytes: 1024 });
    const chunk = new Uint8Array(65536).fill(0x78);
    for (let i = 0; i < 1000; i++) {
      expect(splitter.push(chunk)).toBeNull();
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(1025);
    }
    const batch = splitter.push(bytes('\nnext\n'));
    expect(batch?.texts).toEqual(['x'.repeat(1024), 'next']);
    expect(batch?.offsets).toEqual(Float64Array.of(0, 65_536_001));
    expect(splitter.stats).toMatchObject({ bytes: 65_536_006, truncatedLines: 1 });
  });

  it('keeps about 1 MiB for a 200 MB line without newline at the default cap', () => {
    const splitter = new LineSplitter();
    const chunk = new Uint8Array(65536).fill(0x78);
    for (let i = 0; i < 3200; i++) splitter.push(chunk);
    expect(splitter.bufferedBytes).toBeLessThanOrEqual(1048577);
    const last = splitter.finish();
    expect(last?.texts[0].length).toBe(1048576);
    expect(splitter.stats).toMatchObject({ lines: 1, bytes: 3200 * 65536, truncatedLines: 1 });
  });

  it('counts a line with several invalid bytes once', () => {
    const { texts, stats } = split([bytes('ok\n', [0xff], 'a', [0xff], 'b', [0xc0, 0x80], '\nok')]);
    expect(texts).toEqual(['ok', '\uFFFDa\uFFFDb\uFFFD\uFFFD', 'ok']);
    expect(stats.invalidUtf8Lines).toBe(1);
  });

  it('does not count a validly encoded U+FFFD as invalid UTF-8', () => {
    const { texts, stats } = split([bytes('a\uFFFDb\n', [0xef, 0xbf, 0xbd], '\n')]);
    expect(texts).toEqual(['a\uFFFDb', '\uFFFD']);
    expect(stats.invalidUtf8Lines).toBe(0);
  });

  it('counts an invalid sequence split across chunks once', () => {
    const { texts, stats } = split([bytes('é\nx', [0xe2]), bytes([0x82], 'y\n')]);
    expect(texts).toEqual(['é', 'x\uFFFDy']);
    expect(stats.invalidUtf8Lines).toBe(1);
  });

  it('drops a UTF-8 byte-order mark from the first line only', () => {
    const { texts, offsets } = split(cutAt(bytes('\uFEFFfirst\n\uFEFFsecond'), [1]));
    expect(texts).toEqual(['first', '\uFEFFsecond']);
    expect(offsets).toEqual([0, 9]);
  });

  it('rejects a cap that is not a positive integer', () => {
    expect(() => new LineSplitter({ maxLineBytes: 0 })).toThrow(RangeError);
    expect(() => new LineSplitter({ maxLineBytes: 1.5 })).toThrow(RangeError);
  });
});

describe('LineSplitter on a made log of 2000 lines', () => {
  it.each([
    ['CRLF', 4096, '\r\n', true],
    ['CRLF', 1000, '\r\n', true],
    ['CRLF without a final newline', 4096, '\r\n', false],
    ['LF', 999, '\n', true],
  ] as const)('gives every line of a %s file with its byte offset (%i-byte chunks)', (_, size, lineEnd, finalNewline) => {
    const made = madeLog({ lineEnd, finalNewline });
    const { texts, offsets, stats } = split(chunksOf(made.bytes, size));
    expect(texts).toEqual(made.lines);
    expect(offsets).toEqual(made.offsets);
    expect(stats).toEqual({ lines: 2000, bytes: made.bytes.length, truncatedLines: 0, invalidUtf8Lines: 0 });
  });
});

describe('LineSplitter on Loghub samples', { tags: ['loghub'] }, () => {
  it.each([4096, 1000])('splits HDFS into the rows of its structured CSV (%i-byte chunks)', (size) => {
    const { log, csv } = loghub('HDFS');
    const raw = new TextDecoder().decode(log);
    const rows = csv.trimEnd().split(/\r?\n/).slice(1);
    const { texts, offsets, stats } = split(chunksOf(log, size));

    expect(texts.length).toBe(rows.length);
    expect(texts).toEqual(raw.replace(/\r\n$/, '').split('\r\n'));
    texts.forEach((line, k) => {
      // The CSV fields carry no quotes in this sample; Content may hold commas, so it is what sits between the fixed fields.
      const f = rows[k].split(',');
      expect(f[0]).toBe(String(k + 1));
      expect(line).toBe(`${f[1]} ${f[2]} ${f[3]} ${f[4]} ${f[5]}: ${f.slice(6, -2).join(',')}`);
      expect(raw.slice(offsets[k], offsets[k] + line.length)).toBe(line);
    });
    expect(stats).toEqual({ lines: 2000, bytes: log.length, truncatedLines: 0, invalidUtf8Lines: 0 });
  });

  it('splits Apache, CRLF without a final newline, into as many lines as its CSV rows', () => {
    const { log, csv } = loghub('Apache');
    const raw = new TextDecoder().decode(log);
    expect(raw.endsWith('\n')).toBe(false);
    const rows = csv.trimEnd().split(/\r?\n/).slice(1);
    const { texts } = split(chunksOf(log, 4096));
    expect(texts.length).toBe(rows.length);
    expect(texts).toEqual(raw.split('\r\n'));
  });
});
