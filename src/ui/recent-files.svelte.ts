/**
 * Recent files: where the browser gives file handles (Chromium's File System Access API, and
 * launchQueue for files opened from the operating system), the last files opened are kept with
 * their handles (src/store/recent-files.ts) and reopened from the list without picking them again.
 * Elsewhere (Firefox, Safari) no handle is ever remembered, so the list stays empty and hidden.
 */
import { errorText } from './format.ts';
import { MAX_RECENT_FILES, withRecentFile, type RecentFile } from '../store/index.ts';

export { MAX_RECENT_FILES, type RecentFile };

/** Where the list is kept; the Library keeps it in IndexedDB. Without one it lasts for the page. */
export interface RecentFilesStorage {
  loadRecentFiles(): Promise<RecentFile[]>;
  /** Returns why the list could not be kept, or null. */
  saveRecentFiles(list: readonly RecentFile[]): Promise<string | null>;
}

/** What Chromium's handles have and lib.dom does not declare yet. */
interface PermissionHandle extends FileSystemFileHandle {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}

type PickerWindow = typeof globalThis & {
  showOpenFilePicker?: (options?: { id?: string; multiple?: boolean }) => Promise<FileSystemFileHandle[]>;
};

/** The browser can pick a file and hand over a handle that can be kept. */
export function canPickFileHandles(): boolean {
  return typeof (globalThis as PickerWindow).showOpenFilePicker === 'function';
}

/** Shows the browser's file picker; null when the user cancels it. */
export async function pickFileHandle(): Promise<FileSystemFileHandle | null> {
  try {
    // `id` makes the picker start in the folder last used for logs.
    const [handle] = await (globalThis as PickerWindow).showOpenFilePicker!({ id: 'linesight-log', multiple: false });
    return handle ?? null;
  } catch (error) {
    if ((error as { name?: unknown })?.name === 'AbortError') return null;
    throw error;
  }
}

/** A recent file that could not be opened, and why. */
export interface RecentProblem {
  /** null: the list itself could not be kept. */
  entry: RecentFile | null;
  message: string;
}

export class RecentFiles {
  /** Newest first; replaced whole. */
  list = $state.raw<RecentFile[]>([]);
  problem = $state.raw<RecentProblem | null>(null);
  readonly ready: Promise<void>;

  constructor(private readonly storage: RecentFilesStorage | null = null) {
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    try {
      this.list = (await this.storage?.loadRecentFiles()) ?? [];
    } catch {
      // Nothing kept is nothing lost: the files can be picked again.
    }
  }

  /** Puts a file just opened from `handle` first in the list (once: the same file opened again moves up). */
  async remember(handle: FileSystemFileHandle, file: File): Promise<void> {
    await this.ready;
    // Read again: another tab may have opened files since this one loaded the list.
    const before = (await this.storage?.loadRecentFiles().catch(() => null)) ?? this.list;
    const same = await Promise.all(before.map((entry) => sameFile(entry.handle, handle)));
    const repeated = new Set(before.filter((_, i) => same[i]));
    const entry: RecentFile = { name: file.name, size: file.size, lastOpened: new Date().toISOString(), handle };
    await this.save(withRecentFile(before, entry, (other) => repeated.has(other)));
  }

  /**
   * The file of a recent entry, read again; null, with `problem` saying why, when it is gone or
   * the user refuses. Must run from a click: asking for permission needs the user's gesture.
   */
  async reopen(entry: RecentFile): Promise<File | null> {
    this.problem = null;
    const handle = entry.handle as PermissionHandle;
    try {
      // A handle read back from storage has no permission yet: Chromium asks the user once per visit.
      let permission = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
      if (permission === 'prompt') permission = (await handle.requestPermission?.({ mode: 'read' })) ?? 'denied';
      if (permission !== 'granted') return this.fail(entry, refused(entry));
      const file = await handle.getFile();
      await this.remember(handle, file);
      return file;
    } catch (error) {
      const name = (error as { name?: unknown })?.name;
      if (name === 'NotFoundError') return this.fail(entry, `${entry.name} is no longer there: it was moved, renamed or deleted. Remove it from the list, or open it again with “Open log file”.`);
      if (name === 'NotAllowedError' || name === 'SecurityError') return this.fail(entry, refused(entry));
      return this.fail(entry, `${entry.name} could not be opened: ${errorText(error)}`);
    }
  }

  async remove(entry: RecentFile): Promise<void> {
    if (this.problem?.entry === entry) this.problem = null;
    await this.save(this.list.filter((other) => other !== entry));
  }

  dismissProblem(): void {
    this.problem = null;
  }

  private fail(entry: RecentFile, message: string): null {
    this.problem = { entry, message };
    return null;
  }

  /** Shown once stored: an entry on screen is one a reload finds again (or the problem says why not). */
  private async save(list: RecentFile[]): Promise<void> {
    const error = await this.storage?.saveRecentFiles(list).catch((e: unknown) => errorText(e));
    this.list = list;
    if (error) this.problem = { entry: null, message: `Recent files could not be kept: ${error}` };
  }
}

function refused(entry: RecentFile): string {
  return `Linesight was not allowed to read ${entry.name}. Open it again and allow it, or open it with “Open log file”.`;
}

async function sameFile(a: FileSystemFileHandle, b: FileSystemFileHandle): Promise<boolean> {
  if (a === b) return true;
  try {
    return await a.isSameEntry(b);
  } catch {
    return false;
  }
}

