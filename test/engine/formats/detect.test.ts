import { describe, expect, it } from 'vitest';
import {
  compileCustomFormat,
  createParseContext,
  detectFormat,
  DETECT_MAX_LINES,
  formatById,
  LineParser,
  looksLikeContinuation,
  type LogFormat,
} from '../../../src/engine/formats/index.ts';

const LOG4J = [
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

describe('detectFormat', () => {
  it('does not count stack-trace lines against a format with headers', () => {
    const detection = detectFormat(LOG4J);
    expect(detection.format.id).toBe('log4j');
    expect(detection.confidence).toBe(1);
    expect(detection.scores.find((s) => s.id === 'log4j')).toEqual({ id: 'log4j', matched: 3, scored: 3 });
    expect(detection.sampled).toBe(LOG4J.length);
  });

  it('recognises continuation lines of Java and Python traces', () => {
    for (const line of [
      '\tat a.B.c(B.java:1)',
      '    at a.B.c(B.java:1)',
      'Caused by: x.Y: z',
      '\t... 12 more',
      '... 74 common frames omitted',
      'java.lang.IllegalStateException: boom',
      'Traceback (most recent call last):',
      '  File "app.py", line 3, in <module>',
      'ValueError: invalid literal',
      'KeyError',
    ]) {
      expect(looksLikeContinuation(line), line).toBe(true);
    }
    expect(looksLikeContinuation('2024-03-14 08:00:00 INFO x: y')).toBe(false);
    expect(looksLikeContinuation('Error connecting')).toBe(false);
  });

  it('looks at the first non-empty lines only, up to the limit', () => {
    const lines = ['', '   ', ...Array.from({ length: DETECT_MAX_LINES }, () => '{"msg":"x"}'), 'not json at all'];
    const detection = detectFormat(lines);
    expect(detection).toMatchObject({ sampled: DETECT_MAX_LINES, confidence: 1 });
    expect(detection.format.id).toBe('json');
  });

  it('falls back to plain text when no format reaches the threshold', () => {
    const detection = detectFormat(['hello world', 'just some text', 'Mar 14 08:00:00 host app: one syslog line', 'more text']);
    expect(detection.format.id).toBe('plain');
    expect(detection.confidence).toBe(0.75);
    expect(detectFormat([]).format.id).toBe('plain');
    expect(detectFormat([]).confidence).toBe(0);
  });

  it('prefers the more specific format on a tie (Spring Boot lines are also generic log4j)', () => {
    const line = '2024-03-14 08:00:00.123  INFO 12345 --- [           main] c.e.App                                  : Started';
    expect(formatById('log4j')?.parse(line, createParseContext())).not.toBeNull();
    const detection = detectFormat([line, line]);
    expect(detection.format.id).toBe('spring-boot');
    expect(detection.scores.filter((s) => s.matched === 2).map((s) => s.id)).toEqual(['spring-boot', 'log4j']);
  });

  it('picks the format that reads most lines of a file that mixes formats', () => {
    const json = '{"ts":"2024-03-14T08:00:05.400Z","level":"error","msg":"token refreshed"}';
    const detection = detectFormat([...LOG4J, json, ...LOG4J]);
    expect(detection.format.id).toBe('log4j');
    expect(detection.confidence).toBeCloseTo(6 / 7);
  });

  it('lets custom formats take part, ahead of built-in ones on a tie', () => {
    const custom = compileCustomFormat({ id: 'mine', name: 'Mine', pattern: '^(?<timestamp>\\S+ \\S+) (?<level>[A-Z]+) ' });
    if (!custom.ok) throw new Error('custom format');
    const detection = detectFormat(LOG4J, undefined, [custom.value]);
    expect(detection.format.id).toBe('mine');
    expect(detection.scores[0].id).toBe('mine');
  });

  it('keeps working when the format changes after the first lines: the lines that do not fit are counted, not lost', () => {
    const first = Array.from({ length: 50 }, (_, i) => `Mar 14 08:00:${String(i).padStart(2, '0')} web01 nginx[1]: request ${i}`);
    const later = Array.from({ length: 20 }, (_, i) => `{"time":"2024-03-14T09:00:00Z","level":"warn","msg":"json ${i}"}`);
    const lines = [...first, ...later, ...first.slice(0, 5)];
    const detection = detectFormat(lines.slice(0, 50));
    expect(detection.format.id).toBe('syslog');
    const parser = new LineParser(detection.format, createParseContext({ year: 2024 }));
    const parsed = lines.map((line) => parser.parse(line));
    expect(parsed).toHaveLength(lines.length);
    expect([parser.matched, parser.unmatched]).toEqual([55, 20]);
    // A line that does not fit keeps its text, and the plain reader still finds its level and time.
    expect(parsed[50]).toMatchObject({ message: later[0], level: 'WARN', component: null, timestamp: Date.UTC(2024, 2, 14, 9) });
    expect(parsed[70]).toMatchObject({ component: 'nginx', message: 'request 0' });
  });

  it('returns null from parse for a line in another format, so a caller can count it', () => {
    const syslog = formatById('syslog') as LogFormat;
    expect(syslog.parse('{"msg":"x"}', createParseContext())).toBeNull();
  });
});
