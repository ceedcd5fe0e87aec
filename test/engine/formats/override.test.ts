import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';
import { api } from '../../../src/worker/api.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const JAVA = [
  '2024-03-14 08:00:00,001 INFO [main] com.example.App: starting',
  '2024-03-14 08:00:01,002 ERROR [worker-1] com.example.Db: query failed',
  '2024-03-14 08:00:02,003 WARN [main] com.example.App: retrying',
].join('\n');

describe('RunOptions.format', () => {
  it('overrides detection for the run', async () => {
    const detected = await runLog(new Blob([JAVA]), config({ processors: [{ type: 'parse' }] }));
    expect(detected.format).toMatchObject({ id: 'log4j', overridden: false });
    const chosen = await runLog(new Blob([JAVA]), config({ processors: [{ type: 'parse' }] }), { format: 'syslog' });
    expect(chosen.format).toMatchObject({ id: 'syslog', overridden: true, confidence: 1, unmatchedLines: 3 });
  });

  it('overrides the parse processor\'s own format too, and "auto" brings detection back', async () => {
    const report = await runLog(new Blob([JAVA]), config({ processors: [{ type: 'parse', format: 'syslog' }] }), { format: 'auto' });
    expect(report.format).toMatchObject({ id: 'log4j', overridden: false, unmatchedLines: 0 });
  });

  it('applies to a pipeline without a parse processor too: reading the input is the run\'s first stage', async () => {
    const report = await runLog(new Blob([JAVA]), config({ processors: [{ type: 'uppercase' }] }), { format: 'syslog' });
    expect(report.format).toMatchObject({ id: 'syslog', overridden: true });
  });

  it('the worker lists the built-in formats, plain text last', () => {
    const formats = api.formats();
    expect(formats.length).toBeGreaterThan(20);
    expect(formats.at(-1)?.id).toBe('plain');
    expect(formats.find((f) => f.id === 'hdfs')).toMatchObject({ family: 'jvm', name: expect.stringContaining('HDFS') });
    for (const f of formats) expect(Object.keys(f).sort()).toEqual(['description', 'family', 'id', 'name']);
  });
});
