import { describe, expect, it } from 'vitest';
import { MinuteLevels } from '../../../src/engine/metrics/alerts.ts';
import { RunMetrics } from '../../../src/engine/metrics/run-metrics.ts';
import { Timeline } from '../../../src/engine/metrics/timeline.ts';

const metrics = () => new RunMetrics({ timeline: new Timeline(), minutes: new MinuteLevels(), latency: [] });
const rates = (m: RunMetrics, name: string) => m.pointsSince(0).filter((p) => p.series === name).map((p) => p.sum / p.count);

describe('throughput series', () => {
  it('ends on the last interval that read something: the tick at the end of a run is no drop to 0', () => {
    const m = metrics();
    m.tick(1000, { lines: 100, bytes: 10_000 }, [], true);
    m.tick(2000, { lines: 300, bytes: 30_000 }, [], true);
    m.tick(2100, { lines: 300, bytes: 30_000 }, [], false);
    expect(rates(m, 'lines_per_sec')).toEqual([100, 200]);
    expect(rates(m, 'bytes_per_sec')).toEqual([10_000, 20_000]);
  });

  it('still shows a stall while the run goes on, and the last lines read at its end', () => {
    const m = metrics();
    m.tick(1000, { lines: 100, bytes: 1000 }, [], true);
    m.tick(2000, { lines: 100, bytes: 1000 }, [], true);
    m.tick(2500, { lines: 150, bytes: 1500 }, [], false);
    expect(rates(m, 'lines_per_sec')).toEqual([100, 0, 100]);
  });
});
