import type { OutputSink } from '../engine/run.ts';

/**
 * The pipeline's output of the latest run, kept in the origin-private file system (OPFS): one
 * file per range of the file (each range worker writes its own), read back in file order.
 */
const OUTPUT_PREFIX = 'output-';

export interface OutputSummary {
  /** The file in private storage (a range's; absent for a run's joined output). */
  name?: string;
  lines: number;
  bytes: number;
  /** Set when the output could not be kept (no OPFS, quota full); the run itself goes on. */
  error?: string;
}

/**
 * A sink that streams output lines to OPFS through a sync access handle (workers only), so a
 * multi-GB output never sits in memory. Failures stop the output, never the run.
 */
export class OpfsOutput implements OutputSink {
  readonly summary: OutputSummary;
  private handle?: FileSystemSyncAccessHandle;
  private readonly encoder = new TextEncoder();

  private constructor(name: string) {
    this.summary = { name, lines: 0, bytes: 0 };
  }

  /** The output file of one range of a run (see outputName). */
  static async open(name: string): Promise<OpfsOutput> {
    const output = new OpfsOutput(name);
    try {
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle(name, { create: true });
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
    try {
      this.handle.write(bytes, { at: this.summary.bytes });
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

  private fail(reason: string, error: unknown): void {
    this.close();
    const detail = error instanceof Error ? ` (${error.name}: ${error.message})` : '';
    this.summary.error = `The output is kept only up to line ${this.summary.lines}: ${reason}${detail}.`;
  }
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
