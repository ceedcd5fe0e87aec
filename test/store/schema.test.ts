import { forceCloseDatabase } from 'fake-indexeddb';
import { unwrap } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { createRun } from '../../src/store/runs.ts';
import { DB_NAME, DB_VERSION } from '../../src/store/schema.ts';
import { newRun, openTestDB } from './helpers.ts';

/** What version 1 must hold; a later version's test adds its own table and upgrades into it. */
const V1 = {
  runs: { keyPath: 'id', indexes: { 'by-startedAt': 'startedAt' } },
  traces: { keyPath: ['runId', 'seq'], indexes: {} },
  errors: { keyPath: ['runId', 'seq'], indexes: {} },
  events: { keyPath: ['runId', 'seq'], indexes: {} },
  metrics: { keyPath: ['runId', 'series', 't'], indexes: {} },
  alerts: { keyPath: ['runId', 'rule'], indexes: {} },
  settings: { keyPath: null, indexes: {} },
  pipelines: { keyPath: 'name', indexes: {} },
};

describe('schema upgrades', () => {
  it('an empty database (version 0 → 1) gets every store with its key path and index', async () => {
    const db = await openTestDB();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(Object.keys(V1).sort());
    const tx = db.transaction([...db.objectStoreNames]);
    for (const [name, expected] of Object.entries(V1)) {
      const store = tx.objectStore(name as keyof typeof V1);
      expect(store.keyPath, name).toEqual(expected.keyPath);
      expect(store.autoIncrement, name).toBe(false);
      const indexes = Object.fromEntries([...store.indexNames].map((index) => [index, store.index(index as never).keyPath]));
      expect(indexes, name).toEqual(expected.indexes);
    }
    db.close();
  });

  it('opening again at the same version keeps the stored data (no upgrade step runs twice)', async () => {
    const opening = openTestDB();
    const db = await opening;
    await createRun(db, newRun('r1'));
    db.close();
    const { openLinesightDB } = await import('../../src/store/schema.ts');
    const again = await openLinesightDB({ factory: opening.factory });
    expect(await again.count('runs')).toBe(1);
    again.close();
  });
});

describe('two tabs', () => {
  it('a newer version opened elsewhere closes this connection and calls onVersionChange, without blocking it', async () => {
    const onVersionChange = vi.fn();
    const onBlocked = vi.fn();
    const opening = openTestDB({ onVersionChange });
    const db = await opening;

    // "Another tab" upgrades to version 2.
    const request = opening.factory.open(DB_NAME, DB_VERSION + 1);
    request.onblocked = onBlocked;
    const newer = await new Promise<IDBDatabase>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

    expect(onVersionChange).toHaveBeenCalledTimes(1);
    expect(onBlocked).not.toHaveBeenCalled();
    expect(newer.version).toBe(DB_VERSION + 1);
    // The old connection is closed: writes say so instead of throwing.
    const write = await createRun(db, newRun('late'));
    expect(write).toEqual({ ok: false, error: expect.objectContaining({ kind: 'closed' }) });
    newer.close();
  });

  it('reports a connection the browser closed on its own (onTerminated)', async () => {
    const onTerminated = vi.fn();
    const db = await openTestDB({ onTerminated });
    forceCloseDatabase(unwrap(db) as never);
    expect(onTerminated).toHaveBeenCalledTimes(1);
  });
});
