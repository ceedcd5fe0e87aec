import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../src/engine/pipeline/config.ts';
import { runLog } from '../../src/engine/run.ts';
import { LEVELS, type Level } from '../../src/engine/types.ts';
import { LOGHUB_DIR, readLoghubStructured } from './processors/loghub.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const NORMALISED: Record<string, Level> = { WARNING: 'WARN', SEVERE: 'ERROR', notice: 'INFO', error: 'ERROR' };

/** Level counts of a sample's ground truth, normalised like the engine's levels. */
function groundTruthLevels(name: string): Record<Level, number> {
  const counts = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
  for (const row of readLoghubStructured(name)) counts[NORMALISED[row.Level] ?? (row.Level as Level)]++;
  return counts;
}

describe('levels and time range of real logs', { tags: ['loghub'] }, () => {
  // Samples whose CSV has a level and a full date and time on every row.
  const samples: [string, (row: Record<string, string>) => string][] = [
    ['HDFS', (r) => `20${r.Date.slice(0, 2)}-${r.Date.slice(2, 4)}-${r.Date.slice(4, 6)}T${r.Time.slice(0, 2)}:${r.Time.slice(2, 4)}:${r.Time.slice(4, 6)}.000Z`],
    ['Zookeeper', (r) => `${r.Date}T${r.Time.replace(',', '.')}Z`],
    ['Hadoop', (r) => `${r.Date}T${r.Time.replace(',', '.')}Z`],
    ['Spark', (r) => `20${r.Date.replaceAll('/', '-')}T${r.Time}.000Z`],
  ];
  for (const [name, isoOf] of samples) {
    it(`${name}: level counts and first and last timestamps equal the ground truth`, async () => {
      const bytes = readFileSync(`${LOGHUB_DIR}${name}/${name}_2k.log`);
      const report = await runLog(new Blob([bytes]), config({ processors: [{ type: 'uppercase' }] }));
      expect(report.levels).toEqual(groundTruthLevels(name));
      const rows = readLoghubStructured(name);
      const times = rows.map((r) => Date.parse(isoOf(r)));
      expect(report.timeRange).toEqual({
        start: new Date(Math.min(...times)).toISOString(),
        end: new Date(Math.max(...times)).toISOString(),
      });
      const bucketed = report.timeline.buckets.reduce((sum, b) => sum + Object.values(b.counts).reduce((a, c) => a + c, 0), 0);
      expect(bucketed).toBe(rows.length);
    });
  }
});

describe('metrics in the report', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => {
    const minute = String(Math.floor(i / 600)).padStart(2, '0');
    // Minute 03 is full of errors: more than 5% of its lines.
    const level = minute === '03' && i % 5 === 0 ? 'ERROR' : 'INFO';
    return `2024-05-01 10:${minute}:${String(i % 60).padStart(2, '0')},000 ${level} [main] app.Service: request ${i}`;
  });

  it('gives each processor latency percentiles and a time share, and the run a health and series', async () => {
    const report = await runLog(new Blob([lines.join('\n')]), config({ processors: [{ type: 'uppercase' }, { type: 'filter', pattern: 'ERROR' }] }));
    for (const p of report.processors) {
      expect(p.p50Us).toBeGreaterThan(0);
      expect(p.p50Us).toBeLessThanOrEqual(p.p95Us);
      expect(p.p95Us).toBeLessThanOrEqual(p.p99Us);
    }
    const shares = report.processors.reduce((sum, p) => sum + p.utilization, 0);
    expect(shares).toBeCloseTo(1, 2);
    expect(report.health.status).toBe('HEALTHY');
    expect(report.health.bottleneck?.processor).toMatch(/uppercase|filter/);
    expect(Object.keys(report.metrics.series)).toEqual(
      expect.arrayContaining(['lines_per_sec', 'bytes_per_sec', 'p95_us:uppercase', 'utilization:filter']),
    );
  });

  it('gives a run shorter than the recent window its own throughput as the recent throughput', async () => {
    const report = await runLog(new Blob([lines.join('\n')]), config({ processors: [{ type: 'uppercase' }] }));
    // 3,000 lines take well under the 10 s window (under a second here): the window is the whole run.
    expect(report.run.durationMs).toBeLessThan(10_000);
    // Its lines over its time (the last health is taken at the run's end, as durationMs is).
    const { linesRead, durationMs } = report.run;
    expect(report.health.recentThroughputLps).toBeGreaterThan(0);
    expect(report.health.recentThroughputLps / (linesRead / (durationMs / 1000))).toBeCloseTo(1, 9);
  });

  it('fires the built-in alert for ERROR lines above 5% of a minute of log time, and logs it', async () => {
    const report = await runLog(new Blob([lines.join('\n')]), config({ processors: [{ type: 'uppercase' }] }));
    const alert = report.alerts.find((a) => a.rule === 'error-lines-per-minute');
    expect(alert).toMatchObject({ severity: 'high', state: 'firing', threshold: 0.05 });
    expect(alert!.value).toBeCloseTo(0.2, 5);
    expect(alert!.history[0]).toMatchObject({ action: 'fired', by: 'rule' });
    expect(report.events.items.some((e) => e.event === 'alert_fired')).toBe(true);
    expect(report.levels).toMatchObject({ ERROR: 120, INFO: 2880 });
    expect(report.timeline.bucketMs).toBe(1000);
  });
});
