import { wrap, type Remote } from 'comlink';
import type { FormatIssue } from '../engine/formats/index.ts';
import type { Result } from '../engine/types.ts';
import type { PreviewApi, SamplePreview } from './preview-api.ts';

/**
 * Previews a custom format off the page's thread. Aborting `signal` while the preview runs
 * stops it: its worker is terminated (nothing else interrupts a regex), and the next preview
 * starts a new one.
 */
export type Previewer = (spec: unknown, sample: string[], signal: AbortSignal) => Promise<Result<SamplePreview, FormatIssue[]>>;

/** A worker started on the first preview, one preview at a time. */
export class PreviewWorker {
  private worker: Worker | null = null;
  private remote: Remote<PreviewApi> | null = null;

  readonly preview: Previewer = async (spec, sample, signal) => {
    signal.throwIfAborted();
    if (this.worker === null || this.remote === null) {
      this.worker = new Worker(new URL('./preview.ts', import.meta.url), { type: 'module', name: 'linesight-preview' });
      this.remote = wrap<PreviewApi>(this.worker);
    }
    const worker = this.worker;
    let abort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      abort = () => {
        this.stop(worker);
        reject(signal.reason);
      };
    });
    signal.addEventListener('abort', abort, { once: true });
    try {
      return await Promise.race([this.remote.preview(spec, sample), aborted]);
    } finally {
      signal.removeEventListener('abort', abort);
    }
  };

  dispose(): void {
    if (this.worker) this.stop(this.worker);
  }

  private stop(worker: Worker): void {
    worker.terminate();
    if (this.worker !== worker) return;
    this.worker = null;
    this.remote = null;
  }
}
