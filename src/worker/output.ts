import type { OutputSink } from '../engine/run.ts';

/** The pipeline's output of the latest run, kept in the origin-private file system (OPFS). */
const OUTPUT_FILE = 'latest-output.log';
const PROBE_FILE = 'storage-probe';

/**
 * Most output kept where the browser holds OPFS in memory (see probeOutputStorage): there a
 * kept output costs the browser's memory, byte for byte, until the window closes.
 */
export const IN_MEMORY_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Where this browser keeps Linesight's files: `disk`, `memory` (a private window, a guest or an
 * automated profile: OPFS and IndexedDB live in the browser's memory and are gone when it
 * closes), or `none` (no OPFS at all, as in Firefox's and Safari's private windows).
 */
export type OutputStorage = 'disk' | 'memory' | 'none';

export interface OutputSummary {
  lines: number;
  bytes: number;
  /** Set when the output could not be kept (no OPFS, quota full); the run itself goes on. */
  error?: string;
}

export interface OutputOptions {
  /** Stop keeping the output past this many bytes (e.g. IN_MEMORY_OUTPUT_BYTES), saying why. */
  maxBytes?: number;
  /** Why there is a limit, for the message: "this browser keeps it in memory". */
  limitReason?: string;
}

/**
 * A sink that streams output lines to OPFS through a sync access handle (workers only), so a
 * multi-GB output never sits in memory. Failures stop the output, never the run.
 */
export class OpfsOutput implements OutputSink {
  readonly summary: OutputSummary = { lines: 0, bytes: 0 };
  private handle?: FileSystemSyncAccessHandle;
  private readonly encoder = new TextEncoder();

  private constructor(private readonly options: OutputOptions) {}

  static async open(options: OutputOptions = {}): Promise<OpfsOutput> {
    const output = new OpfsOutput(options);
    try {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle(OUTPUT_FILE, { create: true });
      output.handle = await file.createSyncAccessHandle();
      output.handle.truncate(0);
    } catch (error) {
      output.fail('this browser gives no private file storage to keep it', error);
    }
    return output;
  }

  write(lines: string[]): void {
    if (!this.handle) return;
    const bytes = this.encoder.encode(lines.join('\n') + '\n');
    const { maxBytes } = this.options;
    if (maxBytes !== undefined && this.summary.bytes + bytes.length > maxBytes) {
      this.fail(`${this.options.limitReason ?? 'it reached its limit'}, so Linesight keeps at most ${Math.round(maxBytes / (1024 * 1024))} MB of it`);
      return;
    }
    try {
      // Chromium's in-memory files, when full, write less (and say some other figure) instead of throwing.
      const written = this.handle.write(bytes, { at: this.summary.bytes });
      if (written !== bytes.length) {
        this.handle.truncate(this.summary.bytes);
        this.fail('the browser’s storage is full');
        return;
      }
      this.summary.bytes += bytes.length;
      this.summary.lines += lines.length;
    } catch (error) {
      this.fail('the disk quota is full', error);
    }
  }

  close(): void {
    if (!this.handle) return;
    this.handle.flush();
    this.handle.close();
    this.handle = undefined;
  }

  private fail(reason: string, error?: unknown): void {
    this.close();
    const detail = error instanceof Error ? ` (${error.name}: ${error.message})` : '';
    this.summary.error = `The output is kept only up to line ${this.summary.lines}: ${reason}${detail}.`;
  }
}

/** Far past any quota a browser grants: asking for it costs nothing, wherever the files are. */
const PROBE_BYTES = 2 ** 50;

let probed: Promise<OutputStorage> | null = null;

/**
 * Where this browser keeps OPFS files (asked once per worker; workers only). Browsers do not
 * say so: since Chromium 138 `navigator.storage.estimate()` reports the same quota in private
 * windows, on purpose. What tells them apart (seen in Chromium 156): a file grown far past the
 * quota throws QuotaExceededError on disk, while the in-memory file system leaves it as it was
 * without a word. Nothing is allocated either way. A browser that throws in both counts as
 * `disk`, as before this check existed.
 */
export function probeOutputStorage(): Promise<OutputStorage> {
  probed ??= (async (): Promise<OutputStorage> => {
    let root: FileSystemDirectoryHandle;
    let handle: FileSystemSyncAccessHandle;
    try {
      root = await navigator.storage.getDirectory();
      handle = await (await root.getFileHandle(PROBE_FILE, { create: true })).createSyncAccessHandle();
    } catch {
      return 'none';
    }
    try {
      handle.truncate(0);
      handle.truncate(PROBE_BYTES);
      return handle.getSize() === 0 ? 'memory' : 'disk';
    } catch {
      return 'disk';
    } finally {
      try {
        handle.truncate(0);
        handle.close();
        await root.removeEntry(PROBE_FILE);
      } catch {
        // A probe file left behind is empty.
      }
    }
  })();
  return probed;
}

/** The latest run's output as a disk-backed File, or null when there is none. */
export async function latestOutputFile(): Promise<File | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await (await root.getFileHandle(OUTPUT_FILE)).getFile();
  } catch {
    return null;
  }
}
