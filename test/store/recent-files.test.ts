import { describe, expect, it } from 'vitest';
import { checkRecentFiles, loadRecentFiles, MAX_RECENT_FILES, saveRecentFiles, withRecentFile, type RecentFile } from '../../src/store/index.ts';
import { openTestDB } from './helpers.ts';

/**
 * A stand-in for a FileSystemFileHandle: Node has none, and a real one only clones in a browser.
 * What the store checks is the shape a clone read back from IndexedDB has.
 */
const handle = (name: string) => ({ kind: 'file', name }) as unknown as FileSystemFileHandle;

const entry = (n: number, over: Partial<RecentFile> = {}): RecentFile => ({
  name: `app-${n}.log`,
  size: n * 100,
  lastOpened: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
  handle: handle(`app-${n}.log`),
  ...over,
});

describe('recent files in the settings store', () => {
  it('reads back what was saved, handles included, newest first', async () => {
    const db = await openTestDB();
    expect(await loadRecentFiles(db)).toEqual([]);
    const saved = await saveRecentFiles(db, [entry(1), entry(3), entry(2)]);
    expect(saved.ok).toBe(true);
    const loaded = await loadRecentFiles(db);
    expect(loaded.map((e) => e.name)).toEqual(['app-3.log', 'app-2.log', 'app-1.log']);
    expect(loaded[0]).toEqual(entry(3));
    db.close();
  });

  it(`keeps at most ${MAX_RECENT_FILES}, the most recently opened`, async () => {
    const db = await openTestDB();
    const many = Array.from({ length: MAX_RECENT_FILES + 5 }, (_, i) => entry(i));
    await saveRecentFiles(db, many);
    const loaded = await loadRecentFiles(db);
    expect(loaded).toHaveLength(MAX_RECENT_FILES);
    expect(loaded[0].name).toBe(`app-${MAX_RECENT_FILES + 4}.log`);
    expect(loaded.at(-1)?.name).toBe('app-5.log');
    db.close();
  });

  it('drops stored entries that are not recent files, and reads a stored non-list as none', async () => {
    const db = await openTestDB();
    const good = entry(1);
    await db.put(
      'settings',
      [
        good,
        { ...entry(2), handle: { kind: 'directory', name: 'logs' } },
        { ...entry(3), handle: null },
        { ...entry(4), size: -1 },
        { ...entry(5), size: Number.NaN },
        { ...entry(6), name: '' },
        { ...entry(7), lastOpened: 'yesterday' },
        'app.log',
        null,
        { ...entry(8), extra: '<img src=x onerror=alert(1)>' },
      ],
      'recentFiles',
    );
    const loaded = await loadRecentFiles(db);
    expect(loaded.map((e) => e.name)).toEqual(['app-8.log', 'app-1.log']);
    // Only the known fields are kept.
    expect(Object.keys(loaded[0]).sort()).toEqual(['handle', 'lastOpened', 'name', 'size']);

    await db.put('settings', { name: 'not a list' }, 'recentFiles');
    expect(await loadRecentFiles(db)).toEqual([]);
    expect(checkRecentFiles(undefined)).toEqual([]);
    db.close();
  });

  it('puts a file opened again first, once, and drops the oldest past the cap', () => {
    const list = Array.from({ length: MAX_RECENT_FILES }, (_, i) => entry(MAX_RECENT_FILES - i));
    const again = entry(99, { name: 'app-4.log' });
    const updated = withRecentFile(list, again, (other) => other.name === 'app-4.log');
    expect(updated[0]).toBe(again);
    expect(updated.filter((e) => e.name === 'app-4.log')).toHaveLength(1);
    expect(updated).toHaveLength(MAX_RECENT_FILES);

    const fresh = withRecentFile(list, entry(100), () => false);
    expect(fresh).toHaveLength(MAX_RECENT_FILES);
    expect(fresh.map((e) => e.name)).not.toContain('app-1.log');
    expect(fresh[0].name).toBe('app-100.log');
  });
});
