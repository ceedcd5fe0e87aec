import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline, type PipelineConfig } from '../../src/engine/pipeline/config.ts';
import { runLog } from '../../src/engine/run.ts';

function config(value: unknown): PipelineConfig {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const LINES = ['2024-05-01 10:00:00,000 INFO [main] a.B: first', '2024-05-01 10:30:00,000 WARN [main] a.B: last'].join('\n') + '\n';
// Parsed (levels and time from the fields) and not (read from each raw line): both honour the zone.
const PIPELINES = {
  parse: config({ processors: [{ type: 'parse' }, { type: 'counter', by: 'level' }] }),
  raw: config({ processors: [{ type: 'counter', by: 'level' }] }),
};

describe('the time zone of zone-less timestamps', () => {
  it.each(Object.keys(PIPELINES) as (keyof typeof PIPELINES)[])('is UTC unless the run says otherwise (%s)', async (name) => {
    const utc = await runLog(new Blob([LINES]), PIPELINES[name]);
    expect(utc.timeRange).toEqual({ start: '2024-05-01T10:00:00.000Z', end: '2024-05-01T10:30:00.000Z' });
    // UTC+05:30: 10:00 there is 04:30 UTC.
    const india = await runLog(new Blob([LINES]), PIPELINES[name], { timeZoneOffsetMinutes: 330 });
    expect(india.timeRange).toEqual({ start: '2024-05-01T04:30:00.000Z', end: '2024-05-01T05:00:00.000Z' });
  });

  it('a zone written in the line wins over the chosen one', async () => {
    const lines = '2024-05-01T10:00:00Z INFO first\n2024-05-01T10:00:00+02:00 INFO second\n';
    const report = await runLog(new Blob([lines]), PIPELINES.raw, { timeZoneOffsetMinutes: 330 });
    expect(report.timeRange).toEqual({ start: '2024-05-01T08:00:00.000Z', end: '2024-05-01T10:00:00.000Z' });
  });
});
