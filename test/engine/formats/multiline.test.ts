import { describe, expect, it } from 'vitest';
import { createParseContext, EntryJoiner, formatById, headerTest, LineParser, type LogFormat } from '../../../src/engine/formats/index.ts';
import type { LogRecord } from '../../../src/engine/types.ts';

function records(lines: string[], firstLineNo = 1): LogRecord[] {
  let offset = 0;
  return lines.map((text, i) => {
    const record: LogRecord = { lineNo: firstLineNo + i, offset, text };
    offset += text.length + 1;
    return record;
  });
}

function joinerFor(id: string, options = {}): EntryJoiner {
  return new EntryJoiner(headerTest(formatById(id) as LogFormat), options);
}

/** All entries of `lines` pushed in batches of `size`. */
function joinAll(joiner: EntryJoiner, lines: string[], size: number): LogRecord[] {
  const all = records(lines);
  const out: LogRecord[] = [];
  for (let i = 0; i < all.length; i += size) out.push(...joiner.push(all.slice(i, i + size)));
  out.push(...joiner.finish());
  return out;
}

const JAVA = [
  '2024-03-14 08:00:00,001 INFO [main] c.e.App: Starting',
  '2024-03-14 08:00:00,002 ERROR [http-1] c.e.web.OrderController: checkout failed',
  'org.springframework.web.client.ResourceAccessException: I/O error on POST request: Read timed out',
  '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:885)',
  '\tat com.example.shop.web.OrderController.checkout(OrderController.java:77)',
  'Caused by: java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
  '\t... 12 more',
  '2024-03-14 08:00:00,003 WARN [http-2] c.e.web.OrderController: retrying',
];

describe('EntryJoiner', () => {
  it('joins a Java stack trace with "Caused by:" and "... 12 more" into the entry it belongs to', () => {
    const joiner = joinerFor('log4j');
    const entries = joinAll(joiner, JAVA, 100);
    expect(entries.map((e) => e.lineNo)).toEqual([1, 2, 9]);
    expect(entries[1].text).toBe(JAVA.slice(1, 8).join('\n'));
    expect(entries[1].offset).toBe(JAVA[0].length + 1);
    expect(joiner.joined).toBe(6);
    // The parser reads the header and keeps the trace in the message.
    const fields = formatById('log4j')?.parse(entries[1].text, createParseContext());
    expect(fields).toMatchObject({ level: 'ERROR', component: 'c.e.web.OrderController' });
    expect(fields?.message).toBe(['checkout failed', ...JAVA.slice(2, 8)].join('\n'));
  });

  it('gives the same entries whatever the batch boundaries', () => {
    const expected = joinAll(joinerFor('log4j'), JAVA, 100).map((e) => [e.lineNo, e.text]);
    for (const size of [1, 2, 3, 4, 5, 7, 8]) {
      expect(joinAll(joinerFor('log4j'), JAVA, size).map((e) => [e.lineNo, e.text]), `batches of ${size}`).toEqual(expected);
    }
  });

  it('holds the last entry back until the next header or finish()', () => {
    const joiner = joinerFor('log4j');
    const all = records(JAVA);
    expect(joiner.push(all.slice(0, 4)).map((e) => e.lineNo)).toEqual([1]);
    expect(joiner.push(all.slice(4, 8))).toEqual([]);
    expect(joiner.push(all.slice(8)).map((e) => e.lineNo)).toEqual([2]);
    expect(joiner.finish().map((e) => e.lineNo)).toEqual([9]);
    expect(joiner.finish()).toEqual([]);
  });

  it('joins a Python traceback to its logging line', () => {
    const lines = [
      '2024-03-14 08:00:00,123 - shop.api - ERROR - request failed',
      'Traceback (most recent call last):',
      '  File "/app/shop/api.py", line 42, in checkout',
      '    total = price * int(qty)',
      "ValueError: invalid literal for int() with base 10: 'x'",
      '',
      '2024-03-14 08:00:01,000 - shop.api - INFO - next request',
    ];
    const joiner = joinerFor('python');
    const entries = joinAll(joiner, lines, 3);
    expect(entries.map((e) => e.lineNo)).toEqual([1, 7]);
    expect(entries[0].text).toBe(lines.slice(0, 6).join('\n'));
    expect(joiner.joined).toBe(5);
    const fields = formatById('python')?.parse(entries[0].text, createParseContext());
    expect(fields?.message).toBe(['request failed', ...lines.slice(1, 5)].join('\n'));
  });

  it('leaves the lines before the first header as entries of their own', () => {
    const entries = joinAll(joinerFor('log4j'), ['banner line', '  indented banner', ...JAVA.slice(0, 1)], 2);
    expect(entries.map((e) => [e.lineNo, e.text])).toEqual([
      [1, 'banner line'],
      [2, '  indented banner'],
      [3, JAVA[0]],
    ]);
  });

  it("does not glue a sidecar's one-line JSON to the entry above", () => {
    const json = '{"ts":"2024-03-14T08:00:05.400Z","level":"error","msg":"token refreshed"}';
    const entries = joinAll(joinerFor('log4j'), [JAVA[0], json, '\tat x.Y(Y.java:1)', JAVA[8]], 10);
    expect(entries.map((e) => e.text)).toEqual([JAVA[0], `${json}\n\tat x.Y(Y.java:1)`, JAVA[8]]);
  });

  it('caps an entry at maxLines: the next line starts a new entry', () => {
    const joiner = joinerFor('log4j', { maxLines: 3 });
    const lines = [JAVA[0], ...Array.from({ length: 7 }, (_, i) => `\tframe ${i}`)];
    const entries = joinAll(joiner, lines, 2);
    expect(entries.map((e) => e.text.split('\n').length)).toEqual([3, 3, 2]);
    expect(entries.map((e) => e.lineNo)).toEqual([1, 4, 7]);
    expect(joiner.capped).toBe(2);
    expect(joiner.joined).toBe(5);
  });

  it('caps an entry at maxChars, so a file without headers costs bounded memory', () => {
    const joiner = new EntryJoiner((text) => text.startsWith('H'), { maxChars: 100 });
    const lines = ['H', ...Array.from({ length: 1000 }, () => 'x'.repeat(29))];
    const entries = joinAll(joiner, lines, 64);
    expect(Math.max(...entries.map((e) => e.text.length))).toBeLessThanOrEqual(100);
    expect(entries.map((e) => e.text).join('\n')).toBe(lines.join('\n'));
  });

  it('keeps a traced record\'s original text in step with its joined text', () => {
    const joiner = joinerFor('log4j');
    const all = records(JAVA.slice(1, 4));
    all[0].original = all[0].text;
    joiner.push(all);
    const [entry] = joiner.finish();
    expect(entry.original).toBe(entry.text);
  });
});

describe('LineParser with EntryJoiner', () => {
  /** log4j with a counter of parse calls. */
  function counted(): { format: LogFormat; calls: () => number } {
    const log4j = formatById('log4j') as LogFormat;
    let calls = 0;
    return { format: { ...log4j, parse: (line, ctx) => (calls++, log4j.parse(line, ctx)) }, calls: () => calls };
  }

  it('parses each header once: the joiner\'s test hands its fields to parse()', () => {
    const { format, calls } = counted();
    const parser = new LineParser(format);
    const joiner = new EntryJoiner(parser.isHeader);
    const entries = joinAll(joiner, JAVA, 4);
    const before = calls();
    const parsed = entries.map((e) => parser.parse(e.text));
    // Entries 1 and 3 come back unchanged; entry 2 has its trace joined and is parsed again.
    expect(calls() - before).toBe(1);
    expect(parsed.map((f) => f.level)).toEqual(['INFO', 'ERROR', 'WARN']);
    expect(parsed[1].message).toBe(['checkout failed', ...JAVA.slice(2, 8)].join('\n'));
    expect([parser.matched, parser.unmatched]).toEqual([3, 0]);
  });

  it('gives the same fields as parsing without the joiner\'s help, and survives entries that never come back', () => {
    const lines = ['banner', ...JAVA, ...JAVA];
    const parser = new LineParser(formatById('log4j') as LogFormat, createParseContext({ year: 2024 }));
    const entries = joinAll(new EntryJoiner(parser.isHeader), lines, 3);
    // A processor before parse dropped the second entry.
    const kept = entries.filter((_, i) => i !== 2);
    const fresh = new LineParser(formatById('log4j') as LogFormat, createParseContext({ year: 2024 }));
    expect(kept.map((e) => parser.parse(e.text))).toEqual(kept.map((e) => fresh.parse(e.text)));
    expect(parser.unmatched).toBe(1); // the banner: plain fields, counted
  });
});
