import { describe, expect, it } from 'vitest';
import { clampRetention, DEFAULT_RETENTION, loadRetention, runCaps, saveRetention, validateRetention } from '../../src/store/retention.ts';
import { openTestDB } from './helpers.ts';

const MB = 1024 * 1024;

describe('retention settings', () => {
  it('defaults to the documented caps', () => {
    expect(DEFAULT_RETENTION).toEqual({
      runsKept: 50,
      tracesPerRun: 1000,
      errorsPerRun: 1000,
      eventsPerRun: 5000,
      metricPointsPerSeries: 10_000,
      storageBudgetBytes: 500 * MB,
    });
    expect(runCaps(DEFAULT_RETENTION)).toEqual({ traces: 1000, errors: 1000, events: 5000, metricPoints: 10_000 });
  });

  it('validation names the field and its range, and rejects unknown keys', () => {
    const result = validateRetention({ ...DEFAULT_RETENTION, tracesPerRun: 20_000, runsKept: 2.5, colour: 'red' });
    expect(result).toEqual({
      ok: false,
      error: [
        { path: '', message: expect.stringContaining('unknown setting "colour"') },
        { path: 'runsKept', message: 'must be a whole number from 1 to 1,000' },
        { path: 'tracesPerRun', message: 'must be a whole number from 1 to 10,000' },
      ],
    });
    expect(validateRetention({ ...DEFAULT_RETENTION, tracesPerRun: 10_000 })).toEqual({ ok: true, value: { ...DEFAULT_RETENTION, tracesPerRun: 10_000 } });
  });

  it('clamping repairs stored settings: defaults for missing or junk fields, bounds for out-of-range ones', () => {
    expect(clampRetention(undefined)).toEqual(DEFAULT_RETENTION);
    expect(clampRetention({ tracesPerRun: 50_000, runsKept: 0, eventsPerRun: 'many', errorsPerRun: 12.7 })).toEqual({
      ...DEFAULT_RETENTION,
      tracesPerRun: 10_000,
      runsKept: 1,
      errorsPerRun: 12,
    });
  });

  it('round-trips through the database; an empty database gives the defaults', async () => {
    const db = await openTestDB();
    expect(await loadRetention(db)).toEqual(DEFAULT_RETENTION);
    const mine = { ...DEFAULT_RETENTION, runsKept: 10, storageBudgetBytes: 100 * MB };
    expect(await saveRetention(db, mine)).toEqual({ ok: true, value: mine });
    expect(await loadRetention(db)).toEqual(mine);
    // Refused settings are not written.
    expect((await saveRetention(db, { ...mine, runsKept: -1 })).ok).toBe(false);
    expect(await loadRetention(db)).toEqual(mine);
  });
});
