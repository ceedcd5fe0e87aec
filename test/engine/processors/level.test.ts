import { describe, expect, it } from 'vitest';
import { detectLevel, normalizeLevel, searchLevel } from '../../../src/engine/processors/level-detect.ts';
import { generateLog } from '../../../bench/generate.ts';
import type { Level } from '../../../src/engine/types.ts';
import { createMap, record } from './helpers.ts';
import { LOGHUB_SAMPLES, loghubAvailable, readLoghubLines, readLoghubStructured } from './loghub.ts';

describe('detectLevel on hand-picked lines', () => {
  it.each<[string, Level]>([
    ['[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok', 'INFO'],
    ['[Sun Dec 04 04:47:44 2005] [error] mod_jk child in error state 6', 'ERROR'],
    ['ts=2024-01-01T00:00:00Z level=warn msg="disk almost full"', 'WARN'],
    ['{"time":"2024-01-01","level":"error","msg":"boom"}', 'ERROR'],
    ['{"level":40,"msg":"pino says warn"}', 'WARN'],
    ['{"msg":"ERROR in the message","severity":"INFO"}', 'INFO'],
    ['03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs', 'DEBUG'],
    ['03-17 16:13:38.811  1702  2395 V Tag: verbose', 'TRACE'],
    ['03-17 16:13:38.811  1702  2395 E Tag: INFO in the message', 'ERROR'],
    ['03-17 16:13:38.811 W/ActivityManager( 1702): slow', 'WARN'],
    ['F/libc    ( 1234): Fatal signal 11', 'FATAL'],
    ['E0102 15:04:05.123456    1234 server.go:42] failed', 'ERROR'],
    ['2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.MRAppMaster: Created', 'INFO'],
    ['2015-07-29 17:41:44,747 - WARN  [QuorumPeer] - Notification time out', 'WARN'],
    ['Jun 14 15:16:01 host app: WARNING: low memory', 'WARN'],
    ['<warn> something', 'WARN'],
    ['[15:46:53 ERR] Serilog console output', 'ERROR'],
    ['SEVERE: java.util.logging', 'ERROR'],
    ['CRITICAL: out of disk', 'FATAL'],
    ['INFO first, then ERROR later', 'INFO'],
  ])('%s -> %s', (line, level) => {
    expect(detectLevel(line)).toBe(level);
  });

  it.each([
    'Jun 14 15:16:01 combo sshd[1]: connection error from 1.2.3.4',
    'the warning threshold was exceeded',
    'see [the last error] in prose',
    'battery level: 50',
    'I/O wait is high',
    'ERRORS_TOTAL=3 but no level token',
    'An Error occurred in capitalised prose',
    '',
  ])('finds no level in free text: %s', (line) => {
    expect(detectLevel(line)).toBe('UNKNOWN');
  });
});

describe('normalizeLevel', () => {
  it('maps level names, letters and pino numbers, and nothing else', () => {
    expect(normalizeLevel('Warning')).toBe('WARN');
    expect(normalizeLevel('notice')).toBe('INFO');
    expect(normalizeLevel('e')).toBe('ERROR');
    expect(normalizeLevel(60)).toBe('FATAL');
    expect(normalizeLevel('60')).toBe('FATAL');
    expect(normalizeLevel('loud')).toBeUndefined();
    expect(normalizeLevel(true)).toBeUndefined();
    // Inherited object keys must not pass for levels.
    expect(normalizeLevel('constructor')).toBeUndefined();
  });
});

describe('level processor', () => {
  it('sets record.level from the text, overwriting any earlier level', () => {
    const line = { ...record('x WARN y'), level: 'INFO' as const };
    expect(createMap('level')(line)).toBe(line);
    expect(line.level).toBe('WARN');
  });
});

/**
 * Ground truth from Loghub. The CSV spells levels as the log does; these are the
 * mappings detectLevel is meant to make (SEVERE is BGL's level between WARNING and ERROR).
 */
const CSV_LEVEL: Readonly<Record<string, Level>> = {
  WARNING: 'WARN',
  notice: 'INFO',
  error: 'ERROR',
  SEVERE: 'ERROR',
  V: 'TRACE',
  D: 'DEBUG',
  I: 'INFO',
  W: 'WARN',
  E: 'ERROR',
  F: 'FATAL',
  A: 'FATAL',
};
const csvLevel = (value: string): string => CSV_LEVEL[value] ?? value;

describe('detectLevel against Loghub ground truth', { tags: ['loghub'] }, () => {
  // Linux is left out: its Level column holds the host name "combo" (a mis-parse
  // upstream); syslog lines carry no level.
  it.each(['Android', 'Apache', 'BGL', 'HDFS', 'Hadoop', 'Spark', 'Zookeeper'])(
    'agrees with the Level column of %s on every line',
    (name) => {
      const lines = readLoghubLines(name);
      const rows = readLoghubStructured(name);
      expect(lines).toHaveLength(rows.length);
      const disagreements = lines
        .map((line, i) => ({ line, want: csvLevel(rows[i].Level), got: detectLevel(line) }))
        .filter(({ want, got }) => want !== got);
      expect(disagreements.slice(0, 5)).toEqual([]);
    },
  );

  // These logs mention "error", "warning" or "failed" in free text hundreds of times.
  it.each(['HPC', 'OpenSSH', 'Proxifier'])('finds no level in any line of %s, which has none', (name) => {
    const found = readLoghubLines(name).filter((line) => detectLevel(line) !== 'UNKNOWN');
    expect(found.slice(0, 5)).toEqual([]);
  });
});

describe('detectLevel shortcut', () => {
  // detectLevel reads a leading all-caps level word without searching; it must always agree
  // with the full search. Lines: real logs, generated ones, and random mixes of the pieces
  // that decide levels (words, brackets, keys, digits, separators).
  const generated = [...generateLog({ lines: 3000, seed: 3 })].join('').split('\n');
  const real = LOGHUB_SAMPLES.flatMap((name) => (loghubAvailable ? readLoghubLines(name) : []));

  it('agrees with the full search on real and generated logs', () => {
    const lines = [...generated, ...real];
    expect(lines.length).toBeGreaterThan(3000);
    const disagreements = lines.filter((line) => detectLevel(line) !== searchLevel(line));
    expect(disagreements).toEqual([]);
  });

  it('agrees with the full search on random lines', () => {
    const pieces = [
      'INFO', 'WARN', 'WARNING', 'ERROR', 'Info', 'ERR', 'INFOS', 'level=', '"level":', '"error"', 'warn', '30',
      '{', '[', ']', '<', '=', ':', '_', ' ', '2024-03-14 08:00:00,123', '12', 'D', 'E/', 'I0102', 'é', ' level=error',
    ];
    let seed = 42;
    // mulberry32: a small seeded generator (the same lines on every run).
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const disagreements: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      let line = '';
      for (let k = 1 + random(8); k > 0; k--) line += pieces[random(pieces.length)];
      if (detectLevel(line) !== searchLevel(line)) disagreements.push(line);
    }
    expect(disagreements).toEqual([]);
  });
});
