/**
 * Recent files: handles of files the user opened, kept so they can be opened again without
 * picking them. Only browsers with the File System Access API (Chromium) give handles, and only
 * they can store one in IndexedDB (a FileSystemFileHandle is structured-cloneable there); the
 * handle carries no permission: reading it again asks the user (see src/ui/recent-files.svelte.ts).
 */

import type { LinesightDatabase } from './schema.ts';
import { writeTransaction, type StoreResult } from './tx.ts';

/** Enough to find a file again without cluttering the open card. */
export const MAX_RECENT_FILES = 10;

export interface RecentFile {
  /** The file's name when last opened (the handle's name may differ after a rename). */
  name: string;
  size: number;
  /** ISO 8601. */
  lastOpened: string;
  handle: FileSystemFileHandle;
}

const RECENT_FILES_KEY = 'recentFiles';

/**
 * What was stored, repaired: entries that are not a recent file (older versions, hand edits,
 * a browser that stored something else) are dropped, the rest kept newest first, at most
 * MAX_RECENT_FILES. A handle is checked by its shape, not its class: a clone read back from
 * IndexedDB is a FileSystemFileHandle in a browser, a plain object in a test.
 */
export function checkRecentFiles(value: unknown): RecentFile[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isRecentFile)
    .map(({ name, size, lastOpened, handle }) => ({ name, size, lastOpened, handle }))
    .sort((a, b) => Date.parse(b.lastOpened) - Date.parse(a.lastOpened))
    .slice(0, MAX_RECENT_FILES);
}

function isRecentFile(value: unknown): value is RecentFile {
  if (typeof value !== 'object' || value === null) return false;
  const { name, size, lastOpened, handle } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    name !== '' &&
    typeof size === 'number' &&
    Number.isFinite(size) &&
    size >= 0 &&
    typeof lastOpened === 'string' &&
    !Number.isNaN(Date.parse(lastOpened)) &&
    typeof handle === 'object' &&
    handle !== null &&
    (handle as { kind?: unknown }).kind === 'file' &&
    typeof (handle as { name?: unknown }).name === 'string'
  );
}

/** `entry` first, then the others but `same` ones (the same file opened again), at most MAX_RECENT_FILES. */
export function withRecentFile(list: readonly RecentFile[], entry: RecentFile, same: (other: RecentFile) => boolean): RecentFile[] {
  return [entry, ...list.filter((other) => !same(other))].slice(0, MAX_RECENT_FILES);
}

export async function loadRecentFiles(db: LinesightDatabase): Promise<RecentFile[]> {
  return checkRecentFiles(await db.get('settings', RECENT_FILES_KEY));
}

/** Replaces the stored list with `list`, repaired and capped as on load. */
export async function saveRecentFiles(db: LinesightDatabase, list: readonly RecentFile[]): Promise<StoreResult<RecentFile[]>> {
  const checked = checkRecentFiles(list);
  return writeTransaction(db, ['settings'], async (tx) => {
    await tx.objectStore('settings').put(checked, RECENT_FILES_KEY);
    return checked;
  });
}
