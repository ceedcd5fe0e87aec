import type { ProcessorStats, RunSnapshot } from '../../src/worker/client.ts';

export function stats(id: string, type: string, counts: Partial<ProcessorStats> = {}): ProcessorStats {
  return { id, type, linesIn: 0, linesOut: 0, dropped: 0, errors: 0, timeMs: 0, ...counts };
}

/** A snapshot of a run a third of the way through a 3 MB file, with fields overridable. */
export function snapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    runId: '20260101-120000-abcd',
    status: 'running',
    file: { name: 'app.log', size: 3_000_000 },
    startedAt: '2026-01-01T12:00:00.000Z',
    elapsedMs: 2_000,
    bytesRead: 1_000_000,
    linesRead: 12_345,
    linesPerSec: 6_172.5,
    bytesPerSec: 500_000,
    etaMs: 4_000,
    processors: [
      stats('level', 'level', { linesIn: 12_345, linesOut: 12_345, timeMs: 1.25 }),
      stats('errors', 'filter', { linesIn: 12_345, linesOut: 1_200, dropped: 11_145, errors: 3, timeMs: 2.5 }),
    ],
    totals: { linesIn: 12_345, linesOut: 1_200, dropped: 11_145, errors: 3 },
    input: { compression: 'none', decodedBytes: 1_000_000, truncatedLines: 0, invalidUtf8Lines: 0, maxLineBytes: 1 << 20 },
    counters: [],
    ...overrides,
  };
}
