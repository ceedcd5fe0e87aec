/**
 * The custom format editor: the draft a user types, what it makes of the sample lines (live,
 * line by line), whether detection would pick it, and JSON in and out. The component renders
 * this and nothing else.
 *
 * The sample lines are read in a worker (a Previewer), never on the page's thread: a pattern
 * that backtracks catastrophically would freeze the tab. A preview that takes too long is
 * stopped, and said so.
 */
import { flushSync } from 'svelte';
import {
  compileCustomFormat,
  PREVIEW_MAX_LINES,
  PreviewWorker,
  readSpecFile,
  type CustomFormatSpec,
  type FormatIssue,
  type ParsedFields,
  type Previewer,
  type SamplePreview,
} from '../worker/client.ts';

export type { Previewer };

/** Typing pauses this long before the sample lines are read again. */
export const PREVIEW_DEBOUNCE_MS = 150;
/** A preview taking longer is stopped: the pattern backtracks, and a run would hang on it too. */
export const PREVIEW_TIME_LIMIT_MS = 1500;

/** Why a pattern is refused when its preview ran out of time. */
export const TOO_SLOW = `took longer than ${PREVIEW_TIME_LIMIT_MS / 1000} s on these sample lines — it may backtrack catastrophically (nested quantifiers like (\w+\s?)+). Simplify it: a run would hang on it too, so it cannot be saved as it is.`;

const NO_LINES: SamplePreview = { lines: [], matched: 0, detection: null };
const TIME_UP = Symbol('time up');

/** Multi-line joining: the format's default (on when there is a timestamp group), or forced. */
export type MultilineChoice = 'auto' | 'on' | 'off';

/** Offered as suggestions in the layout field; any other layout may be typed. */
export const COMMON_LAYOUTS = [
  'yyyy-MM-dd HH:mm:ss.SSS',
  'yyyy-MM-dd HH:mm:ss,SSS',
  "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
  'yyyy/MM/dd HH:mm:ss',
  'dd/MMM/yyyy:HH:mm:ss Z',
  'MMM dd HH:mm:ss',
  'yy/MM/dd HH:mm:ss',
  'iso',
  'epoch',
  'epoch_ms',
  'auto',
];

/** Saves a spec (`replacing`: the id it had before an edit); resolves with the issues, empty when saved. */
export type SaveFormat = (spec: unknown, replacing?: string) => Promise<FormatIssue[]>;

/** The keys a user fills in; an issue about one of them, while it is empty, waits for Save. */
const TYPED_KEYS = ['id', 'name', 'pattern'] as const;

export class CustomFormatDraft {
  name = $state('');
  id = $state('');
  pattern = $state('');
  timestampLayout = $state('');
  multiline = $state<MultilineChoice>('auto');
  description = $state('');
  /** Sample lines, one a line: previewed live and saved with the format (its `sample`). */
  sample = $state('');
  /** The id of the saved format being edited; null: a new format. */
  editing = $state<string | null>(null);
  /** Save was pressed: issues about empty fields show too. */
  tried = $state(false);
  /** The store's answer to the last Save (storage failures); cleared by the next edit. */
  saveIssues = $state.raw<FormatIssue[]>([]);
  /** The name of the format last saved, for the status line; cleared by the next edit. */
  savedName = $state<string | null>(null);
  /**
   * What the sample lines become, from the worker: the last preview of a spec without issues
   * (kept while the next is on its way); null while there is none, or it failed or ran out of time.
   */
  preview = $state.raw<SamplePreview | null>(null);
  /** The current spec's preview ran out of time: an issue of the pattern, and Save is refused. */
  timedOut = $state(false);
  /** Why the preview could not run at all (not the spec's fault: it can still be saved). */
  previewFailure = $state<string | null>(null);
  /** The id follows the name until the user types one. */
  private idTyped = false;
  private readonly previewer: Previewer;
  private readonly release: () => void;
  private readonly stopFollowing: () => void;
  private disposed = false;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  /** The preview waiting for the typing to pause. */
  private next: (() => Promise<void>) | null = null;
  /** The preview running: a newer draft aborts it. */
  private running: { controller: AbortController; done: Promise<void> } | null = null;

  /** `previewer`: where the sample lines are read; a worker of the draft's own unless given. */
  constructor(previewer?: Previewer) {
    const worker = previewer ? null : new PreviewWorker();
    this.previewer = previewer ?? worker!.preview;
    this.release = () => worker?.dispose();
    // The preview follows the spec and the sample lines, whatever changed them.
    this.stopFollowing = $effect.root(() => {
      $effect(() => this.schedule(this.checked.ok ? this.spec : null, this.lines));
    });
  }

  /** The sample lines a preview reads (and a saved format keeps): the non-empty ones, up to PREVIEW_MAX_LINES. */
  readonly lines = $derived(
    sampleLines(this.sample)
      .filter((line) => line.trim() !== '')
      .slice(0, PREVIEW_MAX_LINES),
  );

  /** The spec the fields describe: empty optional fields are left out. */
  readonly spec = $derived.by((): Record<string, unknown> => {
    const spec: Record<string, unknown> = { id: this.id.trim(), name: this.name.trim(), pattern: this.pattern };
    if (this.timestampLayout.trim()) spec.timestampLayout = this.timestampLayout.trim();
    if (this.multiline !== 'auto') spec.multiline = this.multiline === 'on';
    if (this.description.trim()) spec.description = this.description.trim();
    // Kept with the format, and handed to every run: the lines the preview reads, no more.
    if (this.lines.length) spec.sample = this.lines.join('\n');
    return spec;
  });

  /** The spec checked on this thread (its pattern is compiled, run on nothing): the format, or the issues. */
  readonly checked = $derived(compileCustomFormat(this.spec));

  /** What to show of the spec's issues: those about an empty field only once Save was pressed. */
  readonly issues = $derived.by((): FormatIssue[] => {
    const issues = !this.checked.ok ? this.checked.error : this.timedOut ? [{ path: 'pattern', message: TOO_SLOW }] : [];
    return this.tried ? issues : issues.filter((issue) => !(TYPED_KEYS as readonly string[]).includes(issue.path) || this.spec[issue.path] !== '');
  });

  /** Which format detection picks on the sample lines, this one taking part: a sentence, or null without lines. */
  readonly detection = $derived.by((): string | null => {
    const detection = this.preview?.detection;
    if (!detection) return null;
    const { picked, confidence, share } = detection;
    if (picked === null) return `Detection picks this format on these lines (${percent(confidence)}).`;
    const name = picked.id === 'plain' ? 'plain text' : `${picked.name} (${percent(confidence)})`;
    return `Detection picks ${name} on these lines, not this format (${percent(share)}).`;
  });

  setName(name: string): void {
    this.name = name;
    if (!this.idTyped) this.id = idFromName(name);
    this.edited();
  }

  setId(id: string): void {
    this.id = id;
    this.idTyped = id !== '';
    this.edited();
  }

  /** Any other field changed: the last save's words no longer apply. */
  edited(): void {
    this.saveIssues = [];
    this.savedName = null;
  }

  /** Puts a spec in the fields; `editing`: it is the saved one of that id. */
  load(spec: unknown, editing = false): void {
    const s = (spec !== null && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
    const text = (key: string) => (typeof s[key] === 'string' ? (s[key] as string) : '');
    this.name = text('name');
    this.id = text('id');
    this.idTyped = this.id !== '';
    this.pattern = text('pattern');
    this.timestampLayout = text('timestampLayout');
    this.multiline = s.multiline === true ? 'on' : s.multiline === false ? 'off' : 'auto';
    this.description = text('description');
    this.sample = text('sample');
    this.editing = editing ? this.id : null;
    this.tried = false;
    this.edited();
  }

  /** Empties the fields for a new format. */
  clear(): void {
    this.load({});
  }

  /** A saved format other than the one edited that this draft would save over (same id). */
  replaces(saved: readonly CustomFormatSpec[]): CustomFormatSpec | null {
    const id = this.id.trim();
    return saved.find((f) => f.id === id && f.id !== this.editing) ?? null;
  }

  /**
   * Saves the draft once its preview is in (a pattern too slow on the sample lines is refused);
   * afterwards it edits the saved format. Returns whether it was saved.
   */
  async save(onsave: SaveFormat): Promise<boolean> {
    this.tried = true;
    this.edited();
    await this.previewed();
    // Disposed meanwhile: the preview was stopped unanswered, so nothing says the pattern is safe.
    if (this.disposed || !this.checked.ok || this.timedOut) return false;
    const spec = this.spec;
    const issues = await onsave(spec, this.editing ?? undefined);
    if (issues.length) {
      this.saveIssues = issues;
      return false;
    }
    this.editing = spec.id as string;
    this.savedName = spec.name as string;
    return true;
  }

  /** Resolves once the preview of the draft as it is now is in (or failed, or ran out of time). */
  async previewed(): Promise<void> {
    flushSync(); // changes not yet followed are scheduled first
    const next = this.next;
    if (next) {
      clearTimeout(this.debounce);
      this.next = null;
      await next();
    } else await this.running?.done;
  }

  /** Stops following the fields and any preview; the worker ends. */
  dispose(): void {
    this.disposed = true;
    this.stopFollowing();
    clearTimeout(this.debounce);
    this.next = null;
    this.running?.controller.abort();
    this.running = null;
    this.release();
  }

  /** `spec`: null when it has issues (nothing to preview). A newer draft supersedes any preview waiting or running. */
  private schedule(spec: Record<string, unknown> | null, lines: string[]): void {
    clearTimeout(this.debounce);
    this.next = null;
    this.running?.controller.abort();
    this.running = null;
    this.previewFailure = null;
    if (spec === null || lines.length === 0) {
      this.preview = spec === null ? null : NO_LINES;
      this.timedOut = false;
      return;
    }
    // Until the answer, the last preview (or time-out) stays: no flicker while typing.
    const next = () => this.run(spec, lines);
    this.next = next;
    this.debounce = setTimeout(() => {
      if (this.next === next) void this.previewed();
    }, PREVIEW_DEBOUNCE_MS);
  }

  private run(spec: Record<string, unknown>, lines: string[]): Promise<void> {
    const controller = new AbortController();
    let limit: ReturnType<typeof setTimeout> | undefined;
    const timeUp = new Promise<typeof TIME_UP>((resolve) => {
      limit = setTimeout(() => resolve(TIME_UP), PREVIEW_TIME_LIMIT_MS);
    });
    const current = () => this.running?.controller === controller;
    const done = Promise.race([this.previewer(spec, lines, controller.signal), timeUp])
      .then(
        (result) => {
          if (!current()) return;
          // Aborting stops the worker where the pattern still runs; the next preview gets a new one.
          if (result === TIME_UP) controller.abort(new Error(TOO_SLOW));
          this.timedOut = result === TIME_UP;
          this.preview = result !== TIME_UP && result.ok ? result.value : null;
          this.previewFailure = result !== TIME_UP && !result.ok ? result.error.map(issueText).join('; ') : null;
        },
        (error: unknown) => {
          if (!current()) return; // aborted by a newer draft
          this.timedOut = false;
          this.preview = null;
          this.previewFailure = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => {
        clearTimeout(limit);
        if (current()) this.running = null;
      });
    this.running = { controller, done };
    return done;
  }
}

/**
 * JSON a user pasted or imported: one format goes into the editor to be checked and saved;
 * several are saved at once. Returns what happened, in words.
 */
export async function importFormats(text: string, draft: CustomFormatDraft, onsave: SaveFormat): Promise<{ message: string; ok: boolean }> {
  const read = readSpecFile(text);
  if (!read.ok) return { message: `Nothing imported: ${read.error}.`, ok: false };
  const { specs, notes } = read.value;
  const noted = notes.length ? ` Note: ${notes.join('; ')}.` : '';
  if (specs.length === 1) {
    draft.load(specs[0]);
    return { message: `Loaded into the editor: check the preview, then save it.${noted}`, ok: true };
  }
  const saved: string[] = [];
  const refused: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const issues = await onsave(spec);
    const name = (spec as { name?: unknown } | null)?.name;
    if (issues.length === 0) saved.push(String(name));
    else refused.push(`format ${i + 1}${typeof name === 'string' ? ` (${name})` : ''}: ${issues.map(issueText).join('; ')}`);
  }
  const parts = [saved.length ? `Saved ${saved.length} ${saved.length === 1 ? 'format' : 'formats'}: ${saved.join(', ')}.` : 'No format saved.'];
  if (refused.length) parts.push(`Refused: ${refused.join(' — ')}.`);
  return { message: parts.join(' ') + noted, ok: refused.length === 0 };
}

/** The saved formats as a JSON file's text (what Import reads back). */
export function exportFormats(formats: readonly CustomFormatSpec[]): string {
  return `${JSON.stringify({ formats }, null, 2)}\n`;
}

/** The fields of a parsed line as label and text, in the order the report names them. */
export function fieldRows(fields: ParsedFields): [string, string][] {
  const rows: [string, string][] = [
    ['timestamp', fields.timestamp === null ? '—' : new Date(fields.timestamp).toISOString()],
    ['level', fields.levelRaw !== null && fields.levelRaw !== fields.level ? `${fields.level} (${fields.levelRaw})` : fields.level],
  ];
  if (fields.component !== null) rows.push(['component', fields.component]);
  if (fields.pid !== null) rows.push(['pid', fields.pid]);
  if (fields.thread !== null) rows.push(['thread', fields.thread]);
  rows.push(['message', fields.message]);
  for (const [key, value] of Object.entries(fields.extra ?? {})) rows.push([key, String(value)]);
  return rows;
}

export function issueText(issue: FormatIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

/** "My App 2" -> "my-app-2": a valid id, which the user may change. */
export function idFromName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[-_.]+|-+$/g, '')
    .slice(0, 64);
}

function sampleLines(sample: string): string[] {
  return sample.split(/\r?\n/);
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
