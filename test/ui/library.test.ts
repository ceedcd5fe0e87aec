import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { checkpointRun, DB_NAME, DB_VERSION, DEFAULT_RETENTION, finishRun, getRun, INTERRUPTED_MESSAGE, loadRun, openLinesightDB, type LinesightDatabase } from '../../src/store/index.ts';
import { Library, PROMPTS, type LibraryOptions } from '../../src/ui/library.svelte.ts';
import { created, error, range, snapshot } from '../store/helpers.ts';

/** A Library on its own fake IndexedDB; `seed` writes runs before it opens, as an earlier visit did. */
async function library(options: Partial<LibraryOptions> & { seed?: (db: LinesightDatabase) => Promise<void> } = {}) {
  const factory = new IDBFactory();
  if (options.seed) {
    const db = await openLinesightDB({ factory });
    await options.seed(db);
    db.close();
  }
  const persist = vi.fn(async () => true);
  const lib = new Library({
    open: (handlers) => openLinesightDB({ ...handlers, factory }),
    persist,
    estimate: async () => ({ usage: 1_000, quota: 1_000_000 }),
    isLive: async () => false,
    ...options,
  });
  await lib.ready;
  return { lib, factory, persist };
}

/** A run whose tab closed after one checkpoint. */
async function leftRunning(db: LinesightDatabase, id: string, startedAt: string) {
  await created(db, id, { startedAt });
  await checkpointRun(db, id, snapshot(id, { startedAt, linesRead: 4_321 }), { errors: range(0, 5).map(error) });
}

describe('Library', () => {
  it('on start marks runs whose tab went away as interrupted, asks once for persistent storage, and loads everything', async () => {
    const { lib, persist } = await library({
      seed: async (db) => {
        await leftRunning(db, 'old', '2025-01-01T10:00:00.000Z');
        await leftRunning(db, 'newer', '2025-01-02T10:00:00.000Z');
      },
    });
    expect(lib.available).toBe(true);
    expect(lib.runs.map((r) => [r.id, r.status, r.linesRead])).toEqual([
      ['newer', 'interrupted', 4_321],
      ['old', 'interrupted', 4_321],
    ]);
    expect(lib.settings).toEqual(DEFAULT_RETENTION);
    expect(persist).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(lib.persisted).toBe(true));
    expect(lib.estimate).toEqual({ usage: 1_000, quota: 1_000_000 });

    const report = await lib.loadRun('old');
    expect(report?.run.status).toBe('interrupted');
    expect(report?.errors.items).toHaveLength(5);
  });

  it('leaves a run alone while another tab still runs it', async () => {
    const { lib } = await library({ seed: (db) => leftRunning(db, 'elsewhere', '2025-01-01T10:00:00.000Z'), isLive: async () => true });
    expect(lib.runs.map((r) => r.status)).toEqual(['running']);
  });

  it('never marks the live run of its own tab interrupted, even without Web Locks', async () => {
    const { lib, factory } = await library({ isLive: async () => false });
    const db = await openLinesightDB({ factory });
    await leftRunning(db, 'mine', '2025-01-01T10:00:00.000Z');
    lib.liveRunId = 'mine';
    await lib.refresh();
    expect(lib.runs.map((r) => r.status)).toEqual(['running']);
    lib.liveRunId = null;
    await lib.refresh();
    expect(lib.runs.map((r) => r.status)).toEqual(['interrupted']);
    db.close();
  });

  it('keeps settings and saved pipelines across a reload', async () => {
    const factory = new IDBFactory();
    const open: LibraryOptions['open'] = (handlers) => openLinesightDB({ ...handlers, factory });
    const first = new Library({ open, persist: async () => null });
    await first.ready;
    expect(await first.saveSettings({ ...DEFAULT_RETENTION, runsKept: 7 })).toEqual([]);
    expect(await first.saveSettings({ ...DEFAULT_RETENTION, runsKept: 0 })).toEqual([{ path: 'runsKept', message: 'must be a whole number from 1 to 1,000' }]);
    expect(await first.savePipeline('  errors only ', '{"processors":[{"type":"filter","pattern":"ERROR"}]}')).toBeNull();
    expect(await first.savePipeline('   ', '{}')).toBe('A saved pipeline needs a name.');

    const reloaded = new Library({ open, persist: async () => null });
    await reloaded.ready;
    expect(reloaded.settings.runsKept).toBe(7);
    expect(reloaded.pipelines.map((p) => p.name)).toEqual(['errors only']);
    await reloaded.deletePipeline('errors only');
    expect(reloaded.pipelines).toEqual([]);
  });

  it('deletes one run, or all but those still running', async () => {
    const { lib, factory } = await library({
      seed: async (db) => {
        for (const id of ['a', 'b', 'c']) await leftRunning(db, id, `2025-01-0${id.charCodeAt(0) - 96}T10:00:00.000Z`);
      },
      // "c" is live in another tab.
      isLive: async (id) => id === 'c',
    });
    expect(await lib.deleteRun('a')).toBe(true);
    expect(lib.runs.map((r) => r.id)).toEqual(['c', 'b']);
    expect(await lib.clearRuns()).toBe(true);
    expect(lib.runs.map((r) => [r.id, r.status])).toEqual([['c', 'running']]);
    const db = await openLinesightDB({ factory });
    expect(await getRun(db, 'b')).toBeUndefined();
    db.close();
  });

  it('lists a run whose tab is gone as interrupted, and deletes it, even when the full disk keeps it from being marked', async () => {
    let live = true;
    const { lib, factory } = await library({ seed: (db) => leftRunning(db, 'ghost', '2025-01-01T10:00:00.000Z'), isLive: async () => live });
    expect(lib.runs.map((r) => r.status)).toEqual(['running']);
    // Its tab goes away while the disk is full: marking it interrupted (a write) fails.
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    live = false;
    await lib.refresh();
    put.mockRestore();
    expect(lib.runs.map((r) => [r.id, r.status])).toEqual([['ghost', 'interrupted']]);
    expect((await lib.loadRun('ghost'))?.run).toMatchObject({ status: 'interrupted', message: INTERRUPTED_MESSAGE });
    expect((await lib.loadRunHead('ghost'))?.status).toBe('interrupted');
    const db = await openLinesightDB({ factory });
    expect((await getRun(db, 'ghost'))?.status).toBe('running');
    db.close();
    expect(await lib.clearRuns()).toBe(true);
    expect(lib.runs).toEqual([]);
  });

  it('keeps the runs the worker removed to make room, once each, until dismissed', async () => {
    const { lib } = await library();
    const removed = { id: 'x', fileName: 'x.log', startedAt: '2025-01-01T10:00:00.000Z', bytesStored: 10, reason: 'quota' as const };
    lib.noteRemoved([removed]);
    lib.noteRemoved([removed, { ...removed, id: 'y' }]);
    expect(lib.removed.map((r) => r.id)).toEqual(['x', 'y']);
    lib.dismissRemoved();
    expect(lib.removed).toEqual([]);
  });

  it('asks for a reload when another tab upgrades the database, instead of failing later', async () => {
    const { lib, factory } = await library();
    const newer = factory.open(DB_NAME, DB_VERSION + 1);
    await new Promise((resolve) => (newer.onsuccess = resolve));
    expect(lib.prompt).toBe('versionchange');
    expect(PROMPTS.versionchange).toBe('Linesight was updated in another tab: reload to continue.');
    newer.result.close();
    // Nothing breaks afterwards: reads and writes just stop.
    await lib.refresh();
    expect(await lib.deleteRun('x')).toBe(false);
  });

  it('asks to close other tabs while an upgrade is blocked, and clears the prompt once it goes through', async () => {
    let unblock!: () => void;
    const factory = new IDBFactory();
    const lib = new Library({
      persist: async () => null,
      open: async (handlers) => {
        handlers.onBlocked?.();
        await new Promise<void>((resolve) => (unblock = resolve));
        return openLinesightDB({ ...handlers, factory });
      },
    });
    await vi.waitFor(() => expect(lib.prompt).toBe('blocked'));
    expect(PROMPTS.blocked).toMatch(/close the other Linesight tabs/);
    unblock();
    await lib.ready;
    expect(lib.prompt).toBeNull();
    expect(lib.available).toBe(true);
  });

  it('without IndexedDB, says why and keeps settings and pipelines for this page', async () => {
    const lib = new Library({
      persist: async () => null,
      open: async () => {
        throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
      },
    });
    await lib.ready;
    expect(lib.available).toBe(false);
    expect(lib.unavailable).toMatch(/^This browser gives Linesight no storage \(InvalidStateError: .*\), as in some private windows: runs work/);
    expect(await lib.saveSettings({ ...DEFAULT_RETENTION, runsKept: 3 })).toEqual([]);
    expect(lib.settings.runsKept).toBe(3);
    expect(await lib.savePipeline('mine', '{}')).toBeNull();
    expect(lib.pipelines.map((p) => p.name)).toEqual(['mine']);
    expect(await lib.loadRun('any')).toBeNull();
  });

  it('follows a run of another tab while the history is shown', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const factory = new IDBFactory();
      const db = await openLinesightDB({ factory });
      await leftRunning(db, 'elsewhere', '2025-01-01T10:00:00.000Z');
      const lib = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => null, isLive: async () => true });
      await lib.ready;
      lib.watch(true);
      await checkpointRun(db, 'elsewhere', snapshot('elsewhere', { linesRead: 9_999 }), {});
      const report = (await loadRun(db, 'elsewhere'))!;
      await finishRun(db, 'elsewhere', { ...report, run: { ...report.run, status: 'completed' } } as never);
      await vi.advanceTimersByTimeAsync(2_100);
      await vi.waitFor(() => expect(lib.runs.map((r) => r.status)).toEqual(['completed']));
      lib.watch(false);
      db.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
