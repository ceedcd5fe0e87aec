import type { OutputSink } from '../engine/run.ts';

/** The pipeline's output of the latest run, kept in the origin-private file system (OPFS). */
const OUTPUT_FILE = 'latest-output.log';

export interface OutputSummary {
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
  readonly summary: OutputSummary = { lines: 0, bytes: 0 };
  private handle?: FileSystemSyncAccessHandle;
  private readonly encoder = new TextEncoder();

  static async open(): Promise<OpfsOutput> {
    const output = new OpfsOutput();
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

/** The latest run's output as a disk-backed File, or null when there is none. */
export async function latestOutputFile(): Promise<File | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await (await root.getFileHandle(OUTPUT_FILE)).getFile();
  } catch {
    return null;
  }
}
