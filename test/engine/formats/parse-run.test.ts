import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';
import { LOGHUB_DIR } from '../processors/loghub.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const JAVA = [
  '2024-03-14 08:00:00,001 INFO [main] com.example.App: starting',
  '2024-03-14 08:00:01,002 ERROR [worker-1] com.example.Db: query failed',
  'java.sql.SQLException: timeout',
  '\tat com.example.Db.run(Db.java:42)',
  '\tat com.example.App.main(App.java:7)',
  'Caused by: java.net.SocketTimeoutException: read timed out',
  '\t... 12 more',
  '2024-03-14 08:00:02,003 WARN [main] com.example.App: retrying',
].join('\n');

describe('the parse processor in a run', () => {
  it('detects the format, joins a stack trace into its entry and gives records their fields', async () => {
    const report = await runLog(
      new Blob([JAVA]),
      config({ processors: [{ type: 'parse' }, { type: 'router', id: 'by', routes: [{ branch: 'db', pattern: 'Db', next: 'db' }], default: 'rest' }, { type: 'counter', id: 'db', by: 'level' }, { type: 'counter', id: 'rest', by: 'level' }] }),
    );
    expect(report.format).toMatchObject({ id: 'log4j', overridden: false, multilineJoined: 5, unmatchedLines: 0 });
    expect(report.format!.confidence).toBeGreaterThan(0.9);
    expect(report.run.linesRead).toBe(8);
    expect(report.processors[0]).toMatchObject({ id: 'parse', linesIn: 3, linesOut: 3 });
    expect(report.levels).toMatchObject({ INFO: 1, ERROR: 1, WARN: 1 });
    expect(report.timeRange).toEqual({ start: '2024-03-14T08:00:00.001Z', end: '2024-03-14T08:00:02.003Z' });
    expect(report.counters.find((c) => c.processor === 'db')?.counts).toEqual([['ERROR', 1]]);
  });

  it('uses a chosen format, and counts lines that do not fit it without losing them', async () => {
    const report = await runLog(new Blob([JAVA]), config({ processors: [{ type: 'parse', format: 'syslog', multiline: false }] }));
    expect(report.format).toMatchObject({ id: 'syslog', overridden: true, confidence: 1, unmatchedLines: 8, multilineJoined: 0 });
    expect(report.totals.linesOut).toBe(8);
  });

  it('processes the entry held back for continuation lines when the input breaks off', async () => {
    const text = Array.from({ length: 3000 }, () => JAVA).join('\n') + '\n';
    const gz = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const parts = [];
    for (let at = 0; at < cut.length; at += 4096) parts.push(cut.subarray(at, at + 4096));
    const report = await runLog(new Blob(parts), config({ processors: [{ type: 'parse' }] }));
    expect(report.run.status).toBe('failed');
    const read = text.split('\n').slice(0, report.run.linesRead);
    const headers = read.filter((line) => line.startsWith('2024-')).length;
    expect(headers).toBeGreaterThan(100);
    expect(report.processors[0].linesIn).toBe(headers);
  });

  it('reads a Loghub sample as its format, with the ground truth levels', { tags: ['loghub'] }, async () => {
    const bytes = readFileSync(`${LOGHUB_DIR}Zookeeper/Zookeeper_2k.log`);
    const report = await runLog(new Blob([bytes]), config({ processors: [{ type: 'parse' }] }));
    expect(report.format).toMatchObject({ id: 'zookeeper', unmatchedLines: 0 });
    expect(report.run.linesRead).toBe(2000);
    expect(report.processors[0].linesIn).toBe(2000);
  });
});
