/**
 * What this device keeps: the Runs history, the retention settings and the saved pipelines.
 *
 * The main thread reads and deletes through src/store directly (small transactions; the history
 * must answer while the worker is busy with a run); run writes happen only in the worker
 * (src/worker/persist.ts). Components never call IndexedDB: they render this class and call its
 * methods. Every failure becomes words in `notice` or `unavailable`, never an exception.
 */

import {
  DEFAULT_FORMAT_CHOICE,
  checkCustomFormat,
  clearAll,
  DEFAULT_RETENTION,
  deleteCustomFormat,
  deletePipeline,
  deleteRun,
  getRun,
  INTERRUPTED_MESSAGE,
  isRunLive,
  listPipelines,
  listRuns,
  loadCustomFormats,
  loadFormatChoice,
  loadRecentFiles,
  loadRetention,
  loadRun,
  markInterrupted,
  openLinesightDB,
  requestPersistence,
  saveCustomFormat,
  saveFormatChoice,
  savePipeline,
  saveRecentFiles,
  saveRetention,
  storageEstimate,
  withCustomFormat,
  type CustomFormatSpec,
  type FormatChoice,
  type FormatIssue,
  type LinesightDatabase,
  type OpenOptions,
  type RecentFile,
  type RemovedRun,
  type RetentionIssue,
  type RetentionSettings,
  type RunSummary,
  type SavedPipeline,
  type StoredReport,
  type StoredRun,
  type StoreResult,
} from '../store/index.ts';

/** Why the app must stop and ask the user something before going on. */
export type StoragePrompt = 'versionchange' | 'blocked' | 'terminated';

export const PROMPTS: Record<StoragePrompt, string> = {
  versionchange: 'Linesight was updated in another tab: reload to continue.',
  blocked: 'Linesight needs to update its storage: close the other Linesight tabs to continue.',
  terminated: 'The browser closed Linesight’s storage (site data cleared?): reload to continue.',
};

/** While a run of another tab is listed as running, the history looks again this often. */
export const WATCH_MS = 2000;

export interface LibraryOptions {
  /** Opens the database; tests hand in fake-indexeddb. */
  open?: (handlers: OpenOptions) => Promise<LinesightDatabase>;
  estimate?: typeof storageEstimate;
  persist?: typeof requestPersistence;
  persisted?: () => Promise<boolean | null>;
  /** Whether a run is live somewhere (Web Locks by default). */
  isLive?: (runId: string) => Promise<boolean>;
}

export class Library {
  /** null while opening; false when this browser gives no IndexedDB (then `unavailable` says why). */
  available = $state<boolean | null>(null);
  unavailable = $state<string | null>(null);
  /** Newest first. Replaced whole on every refresh. */
  runs = $state.raw<RunSummary[]>([]);
  /** Raw: handed to the worker as is (a deep proxy cannot be posted). */
  settings = $state.raw<RetentionSettings>(DEFAULT_RETENTION);
  pipelines = $state.raw<SavedPipeline[]>([]);
  /** The user's log formats (checked specs, plain JSON: handed to the worker as they are). */
  customFormats = $state.raw<CustomFormatSpec[]>([]);
  /** The "Log format" choices last made: the format ("auto" or an id) and the zone of zone-less timestamps. */
  formatChoice = $state.raw<FormatChoice>(DEFAULT_FORMAT_CHOICE);
  /** `navigator.storage.estimate()`: bytes this origin uses and may use. */
  estimate = $state.raw<{ usage: number; quota: number } | null>(null);
  /** Persistent storage: granted, refused, or unknown (unsupported). */
  persisted = $state<boolean | null>(null);
  prompt = $state<StoragePrompt | null>(null);
  /** A failed action, in words; null when there is nothing to say. */
  notice = $state<string | null>(null);
  /** Runs removed to make room for new ones since the page opened (the History tells them until dismissed), oldest first. */
  removed = $state.raw<RemovedRun[]>([]);

  /** The run live in this tab (set by the Session): live whatever Web Locks say, as they may be missing. */
  liveRunId: string | null = null;

  readonly ready: Promise<void>;
  /**
   * The custom formats and the remembered format choice are read, or cannot be (no storage, or
   * another tab blocks the database): the defaults then stand, and runs need not wait.
   */
  readonly choicesReady: Promise<void>;
  private choicesRead: () => void = () => {};
  private db: LinesightDatabase | null = null;
  private watching = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private refreshing: Promise<void> | null = null;
  /**
   * Runs stored as running whose tab is gone, that could not be marked interrupted (the disk is
   * full: marking writes). They are listed, opened and deleted as interrupted.
   */
  private readonly stale = new Set<string>();

  constructor(private readonly options: LibraryOptions = {}) {
    this.choicesReady = new Promise((resolve) => (this.choicesRead = resolve));
    this.ready = this.init().finally(() => this.choicesRead());
  }

  private async init(): Promise<void> {
    const open = this.options.open ?? openLinesightDB;
    try {
      this.db = await open({
        onVersionChange: () => this.lost('versionchange'),
        onBlocked: () => {
          this.prompt = 'blocked';
          this.choicesRead();
        },
        onTerminated: () => this.lost('terminated'),
      });
    } catch (error) {
      this.available = false;
      this.unavailable = `This browser gives Linesight no storage (${reason(error)}), as in some private windows: runs work, but none is kept, and settings and saved pipelines last only until the page is closed.`;
      return;
    }
    // The upgrade went through once the other tabs closed.
    if (this.prompt === 'blocked') this.prompt = null;
    this.available = true;
    const db = this.db;
    try {
      // Runs whose tab closed mid-run become `interrupted` before anyone lists them.
      await markInterrupted(db, (id) => this.isLive(id));
      const [settings, pipelines] = await Promise.all([loadRetention(db), listPipelines(db)]);
      this.settings = settings;
      this.pipelines = pipelines;
      await this.loadFormats(db);
      this.choicesRead();
      await this.refresh();
    } catch (error) {
      this.notice = `The history could not be read: ${reason(error)}`;
    }
    // Asked once, at start: persistent storage keeps the browser from clearing the history under disk pressure.
    void (this.options.persist ?? requestPersistence)().then((granted) => (this.persisted = granted));
    void this.refreshEstimate();
  }

  private async loadFormats(db: LinesightDatabase): Promise<void> {
    const [custom, choice] = await Promise.all([loadCustomFormats(db), loadFormatChoice(db)]);
    this.customFormats = custom.formats;
    this.formatChoice = choice;
    if (custom.refused.length) {
      const why = custom.refused.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      this.notice = `Some saved custom formats cannot be used by this version and were left out (${why}).`;
    }
  }

  private lost(prompt: StoragePrompt): void {
    this.prompt = prompt;
    this.db = null;
    this.stopWatching();
  }

  /** Reads the history again (marking runs whose tab went away as interrupted). Calls in flight are shared. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const db = this.db;
    if (!db) return;
    try {
      const marked = await markInterrupted(db, (id) => this.isLive(id));
      const runs = await listRuns(db);
      this.runs = marked.ok ? runs : await this.withLiveness(runs);
    } catch (error) {
      this.notice = `The history could not be read: ${reason(error)}`;
    }
    this.schedule();
  }

  /** `runs` with those stored as running but run by no tab shown as interrupted (see `stale`). */
  private async withLiveness(runs: RunSummary[]): Promise<RunSummary[]> {
    const shown: RunSummary[] = [];
    for (const run of runs) {
      const stale = run.status === 'running' && !(await this.isLive(run.id));
      if (stale) this.stale.add(run.id);
      shown.push(stale ? { ...run, status: 'interrupted' } : run);
    }
    return shown;
  }

  private isLive(runId: string): Promise<boolean> {
    if (runId === this.liveRunId) return Promise.resolve(true);
    return (this.options.isLive ?? isRunLive)(runId);
  }

  /** While the history is shown, runs of other tabs are followed (their progress, or their end). */
  watch(on: boolean): void {
    this.watching = on;
    if (on) void this.refresh();
    else this.stopWatching();
  }

  private schedule(): void {
    if (this.timer !== null || !this.watching || !this.db) return;
    if (!this.runs.some((run) => run.status === 'running')) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refresh();
    }, WATCH_MS);
  }

  private stopWatching(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  async refreshEstimate(): Promise<void> {
    this.estimate = await (this.options.estimate ?? storageEstimate)();
    if (this.options.persisted) this.persisted = await this.options.persisted();
    else if (this.persisted === null) this.persisted = (await navigatorPersisted()) ?? null;
  }

  /** A stored run's own record (no list items): enough to draw its stats at once. Null when it is gone. */
  async loadRunHead(runId: string): Promise<StoredRun | null> {
    const db = this.db;
    if (!db) return null;
    try {
      const run = (await getRun(db, runId)) ?? null;
      return run && this.stale.has(runId) && run.status === 'running' ? { ...run, status: 'interrupted' } : run;
    } catch (error) {
      this.notice = `The run could not be read: ${reason(error)}`;
      return null;
    }
  }

  /** A stored run's report, from IndexedDB alone; null when it is gone (deleted or evicted meanwhile). */
  async loadRun(runId: string): Promise<StoredReport | null> {
    const db = this.db;
    if (!db) return null;
    try {
      const report = await loadRun(db, runId);
      if (!report || !this.stale.has(runId) || report.run.status !== 'running') return report;
      return { ...report, run: { ...report.run, status: 'interrupted', message: INTERRUPTED_MESSAGE } };
    } catch (error) {
      this.notice = `The run could not be read: ${reason(error)}`;
      return null;
    }
  }

  async deleteRun(runId: string): Promise<boolean> {
    const db = this.db;
    if (!db) return false;
    const result = await deleteRun(db, runId);
    if (!result.ok) this.notice = `The run could not be deleted: ${result.error.message}`;
    await this.refresh();
    void this.refreshEstimate();
    return result.ok;
  }

  /**
   * Deletes every stored run but those still running (here or in another tab): their workers
   * would only find them gone at their next checkpoint.
   */
  async clearRuns(): Promise<boolean> {
    const db = this.db;
    if (!db) return false;
    await this.refresh();
    const running = this.runs.filter((run) => run.status === 'running');
    const results: StoreResult<unknown>[] = running.length === 0 ? [await clearAll(db)] : [];
    for (const run of running.length ? this.runs : []) if (run.status !== 'running') results.push(await deleteRun(db, run.id));
    const failed = results.find((result) => !result.ok);
    if (failed && !failed.ok) this.notice = `The runs could not be deleted: ${failed.error.message}`;
    await this.refresh();
    void this.refreshEstimate();
    return !failed;
  }

  /** Saves settings a user entered; invalid ones come back as issues and change nothing. Without storage they last for this page. */
  async saveSettings(values: RetentionSettings): Promise<RetentionIssue[]> {
    const db = this.db;
    if (!db) {
      this.settings = { ...values };
      return [];
    }
    const saved = await saveRetention(db, values);
    if (!saved.ok) return saved.error;
    this.settings = saved.value;
    return [];
  }

  /** Saves the pipeline text under a name (replacing one of that name). Returns an error message, or null. */
  async savePipeline(name: string, text: string): Promise<string | null> {
    const db = this.db;
    if (!db) {
      if (!name.trim()) return 'A saved pipeline needs a name.';
      this.pipelines = [...this.pipelines.filter((p) => p.name !== name.trim()), { name: name.trim(), text, savedAt: new Date().toISOString() }];
      return null;
    }
    const saved = await savePipeline(db, name, text);
    if (!saved.ok) return saved.error.message;
    this.pipelines = await listPipelines(db);
    return null;
  }

  async deletePipeline(name: string): Promise<void> {
    const db = this.db;
    if (db) {
      const result = await deletePipeline(db, name);
      if (!result.ok) this.notice = `The pipeline could not be deleted: ${result.error.message}`;
      this.pipelines = await listPipelines(db).catch(() => this.pipelines.filter((p) => p.name !== name));
    } else {
      this.pipelines = this.pipelines.filter((p) => p.name !== name);
    }
  }

  /**
   * Saves a custom format (`replacing`: its id before an edit). A spec that does not compile
   * comes back as issues and changes nothing. Without storage it lasts for this page.
   */
  async saveCustomFormat(spec: unknown, replacing?: string): Promise<FormatIssue[]> {
    const db = this.db;
    if (!db) {
      const checked = checkCustomFormat(spec);
      if (!checked.ok) return checked.error;
      this.customFormats = withCustomFormat(this.customFormats, checked.value, replacing);
      return [];
    }
    const saved = await saveCustomFormat(db, spec, replacing);
    if (!saved.ok) return saved.error;
    this.customFormats = saved.value;
    return [];
  }

  /** Whether it was deleted; when not, the notice says why. */
  async deleteCustomFormat(id: string): Promise<boolean> {
    const db = this.db;
    const deleted = db ? await deleteCustomFormat(db, id) : null;
    if (deleted && !deleted.ok) {
      this.notice = `The custom format could not be deleted: ${deleted.error}`;
      return false;
    }
    this.customFormats = deleted?.value ?? this.customFormats.filter((f) => f.id !== id);
    return true;
  }

  /** Remembers a "Log format" choice (the format, the time zone or both) for the next visit. */
  async saveFormatChoice(change: Partial<FormatChoice>): Promise<void> {
    // Merged with the remembered choice, not the defaults it starts from.
    await this.choicesReady;
    const choice = { ...this.formatChoice, ...change };
    this.formatChoice = choice;
    const db = this.db;
    if (!db) return;
    const saved = await saveFormatChoice(db, choice);
    if (!saved.ok) this.notice = `The log format choice could not be kept: ${saved.error}`;
  }

  dismissNotice(): void {
    this.notice = null;
  }

  /** Runs the worker removed to make room (StorageStatus.removed): the History tells them. */
  noteRemoved(removed: readonly RemovedRun[]): void {
    const known = new Set(this.removed.map((run) => run.id));
    const fresh = removed.filter((run) => !known.has(run.id));
    if (fresh.length) this.removed = [...this.removed, ...fresh];
  }

  dismissRemoved(): void {
    this.removed = [];
  }

  /** Recent files with their handles (RecentFiles reads them); none without storage. */
  async loadRecentFiles(): Promise<RecentFile[]> {
    await this.ready;
    return this.db ? loadRecentFiles(this.db) : [];
  }

  /** Returns why the list could not be kept, or null. Without storage it lasts for this page. */
  async saveRecentFiles(list: readonly RecentFile[]): Promise<string | null> {
    const db = this.db;
    if (!db) return null;
    const saved = await saveRecentFiles(db, list);
    return saved.ok ? null : saved.error.message;
  }
}

async function navigatorPersisted(): Promise<boolean | undefined> {
  try {
    return await globalThis.navigator?.storage?.persisted?.();
  } catch {
    return undefined;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
