import type { OutputSink } from '../engine/run.ts';

/**
 * The pipeline's output of the latest run, kept in the origin-private file system (OPFS): one
 * file per range of the file (each range worker writes its own), read back in file order.
 */
const OUTPUT_PREFIX = 'output-';
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
  /** The file in private storage (a range's; absent for a run's joined output). */
  name?: string;
  lines: number;
  bytes: number;
  /** Set when the output could not be kept (no OPFS, quota full); the run itself goes on. */
  error?: string;
}

export interface OutputOptions {
  /** The file's name in private storage (see outputName). */
  name: string;
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
  readonly summary: OutputSummary;
  private handle?: FileSystemSyncAccessHandle;
  private readonly encoder = new TextEncoder();

  private constructor(private readonly options: OutputOptions) {
    this.summary = { name: options.name, lines: 0, bytes: 0 };
  }

  /** The output file of one range of a run. */
  static async open(options: OutputOptions): Promise<OpfsOutput> {
    const output = new OpfsOutput(options);
    try {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle(options.name, { create: true });
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

/** The name of a range's output file in a run. */
export function outputName(runId: string, range: number): string {
  return `${OUTPUT_PREFIX}${runId.replace(/[^\w.-]/g, '_')}-${String(range).padStart(5, '0')}.log`;
}

/** Removes the output files of earlier runs (a new run's output replaces them). */
export async function clearOutputs(): Promise<void> {
  try {
    const root = await navigator.storage.getDirectory();
    const names: string[] = [];
    for await (const name of root.keys()) if (name.startsWith(OUTPUT_PREFIX) || name === 'latest-output.log') names.push(name);
    await Promise.all(names.map((name) => root.removeEntry(name).catch(() => {})));
  } catch {
    // No private storage: nothing was kept either.
  }
}

/** A run's output, its ranges' files in file order, as one disk-backed File; null when there is none. */
export async function outputFile(names: readonly string[], fileName = 'output.log'): Promise<File | null> {
  if (names.length === 0) return null;
  try {
    const root = await navigator.storage.getDirectory();
    const parts = await Promise.all(names.map(async (name) => (await root.getFileHandle(name)).getFile()));
    return new File(parts, fileName, { type: 'text/plain' });
  } catch {
    return null;
  }
}
