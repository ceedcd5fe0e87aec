import { describe, expect, it } from 'vitest';
import { describeInputError, LineSplitter, openSource, sniffBinary } from '../../../src/engine/lines/index.ts';
import { bytes, loghub } from './helpers.ts';

async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream as ReadableStream<Uint8Array<ArrayBuffer>>).arrayBuffer());
}

/** Reading errors are what the UI shows; capture one instead of letting it fail the test. */
async function readError(stream: ReadableStream<Uint8Array>): Promise<unknown> {
  try {
    await readAll(stream);
  } catch (err) {
    return err;
  }
  throw new Error('expected the stream to error');
}

const file = (data: Uint8Array, name: string) => new File([data as Uint8Array<ArrayBuffer>], name);

describe('openSource', () => {
  const log = '2024-05-01 12:00:00 INFO started\n'.repeat(20_000);
  const text = bytes(log);
  // Compared as strings: deep equality on big byte arrays is slow.
  const decode = (data: Uint8Array) => new TextDecoder().decode(data);

  it('decompresses gzip recognised by its magic bytes, whatever the file is called', async () => {
    const source = await openSource(file(await gzip(text), 'app.log'));
    expect(source.compression).toBe('gzip');
    expect(decode(await readAll(source.stream))).toBe(log);
  });

  it('passes plain text through unchanged, even when it is named .gz', async () => {
    const source = await openSource(file(text, 'app.log.gz'));
    expect(source.compression).toBe('none');
    expect(decode(await readAll(source.stream))).toBe(log);
  });

  it('opens an empty file as plain and empty', async () => {
    const source = await openSource(file(new Uint8Array(0), 'empty.log'));
    expect(source.compression).toBe('none');
    expect((await readAll(source.stream)).length).toBe(0);
  });

  it('counts compressed file bytes for progress, not decompressed ones', async () => {
    const blob = file(await gzip(text), 'app.log.gz');
    const source = await openSource(blob);
    expect(source.bytesRead()).toBe(0);
    const out = await readAll(source.stream);
    expect(source.bytesRead()).toBe(blob.size);
    expect(out.length).toBeGreaterThan(blob.size * 10);
  });

  it('counts plain file bytes as they are read', async () => {
    const blob = file(text, 'app.log');
    const source = await openSource(blob);
    await readAll(source.stream);
    expect(source.bytesRead()).toBe(text.length);
  });

  it('makes a truncated gzip error the stream, with a message a user understands', async () => {
    const gz = await gzip(text);
    const source = await openSource(file(gz.slice(0, gz.length - 20), 'app.log.gz'));
    const err = await readError(source.stream);
    expect(describeInputError(err, source.compression)).toMatch(/^The gzip data is truncated or corrupt: \S/);
  });

  it('feeds the splitter the lines of a gzipped Loghub sample', async () => {
    const { log } = loghub('HDFS');
    const source = await openSource(file(await gzip(log), 'HDFS_2k.log.gz'));
    const splitter = new LineSplitter();
    let lines = 0;
    for await (const chunk of source.stream as unknown as AsyncIterable<Uint8Array>) {
      lines += splitter.push(chunk)?.texts.length ?? 0;
    }
    lines += splitter.finish()?.texts.length ?? 0;
    expect(lines).toBe(2000);
    expect(splitter.stats.bytes).toBe(log.length);
  });
});

describe('describeInputError', () => {
  it('tells a file changed under the reader apart from bad data', () => {
    const err = new DOMException('The requested file could not be read', 'NotReadableError');
    expect(describeInputError(err, 'gzip')).toMatch(/^The file could not be read; it may have been moved/);
  });

  it('names a plain read failure with its detail', () => {
    expect(describeInputError(new Error('disk on fire'), 'none')).toBe('Reading the file failed: disk on fire');
    expect(describeInputError('odd', 'none')).toBe('Reading the file failed: odd');
  });
});

describe('sniffBinary', () => {
  it('calls a PNG header binary', () => {
    const png = bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR', [0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]);
    expect(sniffBinary(png)).toMatch(/binary file \(NUL bytes/);
  });

  it('calls random bytes binary', () => {
    // A fixed-seed generator: the test must not pass or fail by luck.
    let seed = 42;
    const random = Uint8Array.from({ length: 8192 }, () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    });
    expect(sniffBinary(random)).toMatch(/binary file/);
    // With the NULs gone, the invalid UTF-8 and control bytes still give it away.
    expect(sniffBinary(random.map((b) => b || 1))).toMatch(/control bytes and invalid UTF-8/);
  });

  it('accepts a real log', () => {
    expect(sniffBinary(loghub('HDFS').log.subarray(0, 8192))).toBeNull();
  });

  it('accepts UTF-8 text with non-ASCII, tabs, ANSI colours and a BOM', () => {
    const text = bytes('\uFEFF', '\x1b[31mERROR\x1b[0m\tcafé 日本 🚀 naïve\r\n'.repeat(200));
    expect(sniffBinary(text)).toBeNull();
    // The sample may end inside a character: that is the cut, not bad data.
    expect(sniffBinary(text.subarray(0, text.indexOf(0xf0) + 2))).toBeNull();
  });

  it('accepts a Latin-1 log with a few invalid bytes', () => {
    expect(sniffBinary(bytes('Connexion refus', [0xe9], 'e pour l\'utilisateur\n'))).toBeNull();
  });

  it('accepts an empty input', () => {
    expect(sniffBinary(new Uint8Array(0))).toBeNull();
  });

  it('says UTF-16 is not supported yet, with or without a byte-order mark', () => {
    const le = (s: string) => Uint8Array.from([...s].flatMap((c) => [c.charCodeAt(0), 0]));
    expect(sniffBinary(bytes([0xff, 0xfe], [...le('INFO started\r\n')]))).toMatch(/UTF-16 is not supported yet/);
    expect(sniffBinary(bytes([0xfe, 0xff], [0, 0x49, 0, 0x4e]))).toMatch(/UTF-16 is not supported yet/);
    expect(sniffBinary(le('INFO started\r\n'.repeat(10)))).toMatch(/UTF-16 is not supported yet/);
  });
});
