import { describe, expect, it } from 'vitest';
import {
  createTimestampContext,
  daysFromCivil,
  extractTimestamp,
  lastLayout,
  type TimestampContext,
} from '../../../src/engine/metrics/timestamps.ts';
import { LOGHUB_SAMPLES, readLoghubLines, readLoghubStructured } from '../processors/loghub.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DEFAULT_YEAR = 2017;

function at(text: string, context: TimestampContext = createTimestampContext({ year: DEFAULT_YEAR })): string | null {
  const t = extractTimestamp(text, context);
  return t === null ? null : new Date(t).toISOString();
}

/** "18:01:47,978" or "16:13:38.811" or "20:36:15" → [h, m, s, ms]. */
function hms(time: string): [number, number, number, number] {
  const [h, m, rest] = time.split(':');
  const [s, frac = '0'] = rest.split(/[.,]/);
  return [+h, +m, +s, +frac.padEnd(3, '0').slice(0, 3)];
}

/** Year-less rows: the year starts at DEFAULT_YEAR and moves on when the month goes backwards. */
function yearTracker(): (month: number) => number {
  let year = DEFAULT_YEAR;
  let last = 0;
  return (month) => {
    if (month < last) year++;
    last = month;
    return year;
  };
}

/** The expected epoch ms of each CSV row, built from the ground-truth Date/Time columns. */
function expectedFromCsv(sample: string, rows: Record<string, string>[]): number[] {
  const yearOf = yearTracker();
  return rows.map((r) => {
    switch (sample) {
      case 'Android': {
        const [mo, d] = r.Date.split('-').map(Number);
        return Date.UTC(yearOf(mo), mo - 1, d, ...hms(r.Time));
      }
      case 'Apache': {
        const [, mon, d, time, y] = r.Time.split(' ');
        return Date.UTC(+y, MONTHS.indexOf(mon), +d, ...hms(time));
      }
      case 'BGL':
        return +r.Timestamp * 1000;
      case 'HPC':
        return +r.Time * 1000;
      case 'HDFS': {
        const [y, mo, d] = [r.Date.slice(0, 2), r.Date.slice(2, 4), r.Date.slice(4, 6)].map(Number);
        const t = r.Time.padStart(6, '0');
        return Date.UTC(2000 + y, mo - 1, d, +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
      }
      case 'Hadoop':
      case 'Zookeeper': {
        const [y, mo, d] = r.Date.split('-').map(Number);
        return Date.UTC(y, mo - 1, d, ...hms(r.Time));
      }
      case 'Linux':
      case 'Mac': {
        const mo = MONTHS.indexOf(r.Month) + 1;
        return Date.UTC(yearOf(mo), mo - 1, +r.Date, ...hms(r.Time));
      }
      case 'OpenSSH': {
        const mo = MONTHS.indexOf(r.Date) + 1;
        return Date.UTC(yearOf(mo), mo - 1, +r.Day, ...hms(r.Time));
      }
      case 'Proxifier': {
        const [md, time] = r.Time.split(' ');
        const [mo, d] = md.split('.').map(Number);
        return Date.UTC(yearOf(mo), mo - 1, d, ...hms(time));
      }
      case 'Spark': {
        const [y, mo, d] = r.Date.split('/').map(Number);
        return Date.UTC(2000 + y, mo - 1, d, ...hms(r.Time));
      }
    }
    throw new Error(`no Date/Time builder for ${sample}`);
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('extractTimestamp on the Loghub samples', { tags: ['loghub'] }, () => {
  for (const sample of LOGHUB_SAMPLES) {
    it(`${sample}: first and last timestamps (and every line) equal the ground-truth CSV`, () => {
      const lines = readLoghubLines(sample);
      const expected = expectedFromCsv(sample, readLoghubStructured(sample));
      expect(lines.length).toBe(expected.length);
      const context = createTimestampContext({ year: DEFAULT_YEAR });
      const got = lines.map((line) => extractTimestamp(line, context));
      expect(iso(got[0]!)).toBe(iso(expected[0]));
      expect(iso(got[got.length - 1]!)).toBe(iso(expected[expected.length - 1]));
      const wrong = got.flatMap((t, i) => (t === expected[i] ? [] : [`line ${i + 1}: ${t === null ? null : iso(t)} vs ${iso(expected[i])}`]));
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  }
});

describe('extractTimestamp layouts', () => {
  it('reads ISO 8601 with Z, an offset, and no zone', () => {
    expect(at('2024-03-14T08:00:00.123Z INFO started')).toBe('2024-03-14T08:00:00.123Z');
    expect(at('2024-03-14T08:00:00+02:00 INFO')).toBe('2024-03-14T06:00:00.000Z');
    expect(at('2024-03-14T08:00:00.5-0530 x')).toBe('2024-03-14T13:30:00.500Z');
    expect(at('2024-03-14T08:00:00+09 x')).toBe('2024-03-13T23:00:00.000Z');
    expect(at('2024-03-14T08:00:00 INFO')).toBe('2024-03-14T08:00:00.000Z');
    expect(at('2024-03-14T08:00:00.123456789Z')).toBe('2024-03-14T08:00:00.123Z');
  });

  it('reads YYYY-MM-DD HH:MM:SS with a comma or dot fraction, and slashed dates', () => {
    expect(at('2015-07-29 17:41:44,747 - INFO  [main]')).toBe('2015-07-29T17:41:44.747Z');
    expect(at('2015-07-29 17:41:44.7 WARN')).toBe('2015-07-29T17:41:44.700Z');
    expect(at('2024/03/14 08:00:00 [error] 123#0')).toBe('2024-03-14T08:00:00.000Z');
    expect(at('2024-03-14 08:00:00 +0100 host')).toBe('2024-03-14T07:00:00.000Z');
    expect(at('2024-03-14 08:00:00 UTC host')).toBe('2024-03-14T08:00:00.000Z');
  });

  it("reads BGL's dashed date with a dotted time", () => {
    expect(at('2005-06-03-15.42.50.675872 R02-M1-N0')).toBe('2005-06-03T15:42:50.675Z');
  });

  it('reads HDFS yyMMdd HHmmss and log4j yy/MM/dd', () => {
    expect(at('081109 203615 148 INFO dfs.DataNode')).toBe('2008-11-09T20:36:15.000Z');
    expect(at('17/06/09 20:10:40 INFO executor')).toBe('2017-06-09T20:10:40.000Z');
  });

  it('reads the year-less Android and Proxifier layouts with the context year', () => {
    const context = createTimestampContext({ year: 2016 });
    expect(at('03-17 16:13:38.811  1702  2395 D WindowManager: x', context)).toBe('2016-03-17T16:13:38.811Z');
    expect(at('[10.30 16:49:06] chrome.exe - proxy', createTimestampContext({ year: 2016 }))).toBe('2016-10-30T16:49:06.000Z');
  });

  it('reads syslog, space-padded days, a PRI prefix, and ctime with its own year', () => {
    expect(at('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: x')).toBe('2017-06-14T15:16:01.000Z');
    expect(at('Jul  1 09:00:55 calvisitor kernel[0]: x')).toBe('2017-07-01T09:00:55.000Z');
    expect(at('<34>Oct 11 22:14:15 mymachine su: x')).toBe('2017-10-11T22:14:15.000Z');
    expect(at('[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok')).toBe('2005-12-04T04:47:44.000Z');
    expect(at('Wed Mar 14 08:00:00 2024')).toBe('2024-03-14T08:00:00.000Z');
  });

  it('reads epoch seconds and milliseconds standing alone, also inside the line', () => {
    expect(at('1710403200 started')).toBe('2024-03-14T08:00:00.000Z');
    expect(at('1710403200123 started')).toBe('2024-03-14T08:00:00.123Z');
    expect(at('{"ts":1710403200.25,"level":"info"}')).toBe('2024-03-14T08:00:00.250Z');
    expect(at('- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872')).toBe('2005-06-03T22:42:50.000Z');
    expect(at('134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component')).toBe('2004-02-26T14:12:22.000Z');
  });

  it('reads Apache access and Tomcat day-month-name-year layouts', () => {
    expect(at('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200')).toBe('2000-10-10T20:55:36.000Z');
    expect(at('14-Mar-2024 08:00:00.123 INFO [main] org.apache')).toBe('2024-03-14T08:00:00.123Z');
  });

  it('finds a timestamp inside JSON and after a key', () => {
    expect(at('{"time":"2024-03-14T08:00:00Z","msg":"x"}')).toBe('2024-03-14T08:00:00.000Z');
    expect(at('level=info ts=2024-03-14T08:00:00.5Z msg=x')).toBe('2024-03-14T08:00:00.500Z');
  });

  it('returns null when there is no timestamp, or only something that looks like one', () => {
    for (const line of [
      '',
      'hello world',
      'version 1.2.3 released',
      '12345 items in 99 ms',
      'Marvelous 14 08:00:00',
      '2023-02-29T08:00:00Z leap day of a common year',
      '2024-13-01T08:00:00Z',
      '2024-03-14T25:00:00Z',
      '0000000001 tiny epoch',
      'id 17104032001 is eleven digits',
      'blk_1710403200 is part of a word',
      'x'.repeat(70) + ' 2024-03-14T08:00:00Z beyond the start window',
    ]) {
      expect(at(line), line).toBeNull();
    }
    expect(at('2024-02-29T08:00:00Z leap year')).toBe('2024-02-29T08:00:00.000Z');
  });
});

describe('extractTimestamp context', () => {
  it('applies the context zone offset to lines without a zone, but a zone in the line wins', () => {
    const context = createTimestampContext({ year: 2024, timeZoneOffsetMinutes: 120 });
    expect(at('2024-03-14 08:00:00 x', context)).toBe('2024-03-14T06:00:00.000Z');
    expect(at('Mar 14 08:00:00 host', context)).toBe('2024-03-14T06:00:00.000Z');
    expect(at('2024-03-14T08:00:00Z x', context)).toBe('2024-03-14T08:00:00.000Z');
    expect(at('2024-03-14T08:00:00-01:00 x', context)).toBe('2024-03-14T09:00:00.000Z');
    expect(at('1710403200 epoch has no zone to apply', context)).toBe('2024-03-14T08:00:00.000Z');
  });

  it('defaults to the current year and UTC', () => {
    const context = createTimestampContext();
    expect(context.year).toBe(new Date().getUTCFullYear());
    expect(context.timeZoneOffsetMinutes).toBe(0);
  });

  it('rolls the year over when the months go backwards (Dec → Jan)', () => {
    const context = createTimestampContext({ year: 2023 });
    expect(at('Dec 31 23:59:59 host a', context)).toBe('2023-12-31T23:59:59.000Z');
    expect(at('Jan  1 00:00:01 host b', context)).toBe('2024-01-01T00:00:01.000Z');
    expect(context.year).toBe(2024);
    expect(at('Feb  3 10:00:00 host c', context)).toBe('2024-02-03T10:00:00.000Z');
  });

  it('does not roll the year for a line a little late across a month boundary', () => {
    const context = createTimestampContext({ year: 2024 });
    at('Feb  1 00:00:05 host', context);
    expect(at('Jan 31 23:59:58 host late', context)).toBe('2024-01-31T23:59:58.000Z');
    expect(at('Feb  1 00:00:06 host', context)).toBe('2024-02-01T00:00:06.000Z');
    expect(context.year).toBe(2024);
  });

  it('keeps a late Dec 31 line after New Year in the old year, and does not roll again', () => {
    const context = createTimestampContext({ year: 2023 });
    at('Dec 31 23:59:50 host', context);
    at('Jan  1 00:00:02 host', context);
    expect(at('Dec 31 23:59:59 host late', context)).toBe('2023-12-31T23:59:59.000Z');
    expect(at('Jan  1 00:00:03 host', context)).toBe('2024-01-01T00:00:03.000Z');
    expect(context.year).toBe(2024);
  });

  it('leaves the context year alone for layouts that carry a year', () => {
    const context = createTimestampContext({ year: 2020 });
    at('Sun Dec 04 04:47:44 2005 x', context);
    at('2001-01-01T00:00:00Z', context);
    expect(context.year).toBe(2020);
  });

  it('remembers the layout and where it matched, and still finds another layout on the next line', () => {
    const context = createTimestampContext({ year: 2024 });
    at('- 1117838570 2005.06.03 x', context);
    expect(lastLayout(context)).toBe('epoch');
    expect(context.start).toBe(2);
    expect(at('2024-03-14T08:00:00Z switched', context)).toBe('2024-03-14T08:00:00.000Z');
    expect(lastLayout(context)).toBe('iso');
    expect(at('KERNDTLB 1117838573 2005.06.03 x', context)).toBe('2005-06-03T22:42:53.000Z');
    expect(lastLayout(context)).toBe('epoch');
  });

  it('computes civil days like Date.UTC, across centuries and leap years', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1969, 12, 31], [2000, 2, 29], [2100, 3, 1], [1900, 2, 28], [2024, 12, 31]]) {
      expect(daysFromCivil(y, m, d) * 86_400_000).toBe(Date.UTC(y, m - 1, d));
    }
  });
});

describe('extractTimestamp on a stream of lines', () => {
  // A shared context remembers the last line's layout and where it was; each line must read as it does alone.
  it('reads every line as a fresh context would, whatever the line before', () => {
    let seed = 7;
    // mulberry32: the same lines on every run.
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)];
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const date = pick(['2024-03-14', '2024-03-15', '2024/03/14', '2024-02-30', '2005-06-03']);
      const sep = pick([' ', 'T', '-']);
      const time = pick(['08:00', '08:01', '23:59', '15.42']);
      const sec = pick([':00', ':07', ':59', ':60', ':61', '.50', ':5', ':070', '']);
      const fraction = pick(['', ',123', '.5', '.675872', ',']);
      const zone = pick(['', 'Z', '+02:00', ' +0530', ' UTC', '-0800']);
      const lead = pick(['', '[', 'host ']);
      lines.push(`${lead}${date}${sep}${time}${sec}${fraction}${zone} INFO x`);
    }
    const shared = createTimestampContext({ year: DEFAULT_YEAR, timeZoneOffsetMinutes: 60 });
    const differing = lines.filter((line) => {
      const alone = extractTimestamp(line, createTimestampContext({ year: DEFAULT_YEAR, timeZoneOffsetMinutes: 60 }));
      return extractTimestamp(line, shared) !== alone;
    });
    expect(differing).toEqual([]);
    // The lines do exercise both outcomes.
    const read = lines.filter((line) => extractTimestamp(line, createTimestampContext()) !== null).length;
    expect(read).toBeGreaterThan(5000);
    expect(read).toBeLessThan(lines.length);
  });
});
