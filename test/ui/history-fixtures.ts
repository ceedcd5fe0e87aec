import type { RunSummary, StoredRunStatus } from '../../src/store/index.ts';

const CAPS = { traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 };

/** A run as the history lists it; ids and days make the order obvious. */
export function summary(id: string, status: StoredRunStatus, overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    fileName: `${id}.log`,
    fileSize: 3 * 1024 * 1024,
    startedAt: '2026-01-02T09:30:00.000Z',
    finishedAt: status === 'running' || status === 'interrupted' ? null : '2026-01-02T09:30:04.500Z',
    durationMs: 4_500,
    status,
    linesRead: 12_345,
    errors: 7,
    lastCheckpointAt: '2026-01-02T09:30:04.000Z',
    bytesStored: 250_000,
    caps: CAPS,
    counts: { traces: 0, errors: 7, events: 40 },
    evicted: { traces: 0, errors: 0, events: 0, metricPoints: 0 },
    ...overrides,
  };
}
