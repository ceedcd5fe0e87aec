/**
 * The custom format editor: the draft a user types, what it makes of the sample lines (live,
 * line by line), whether detection would pick it, and JSON in and out. The component renders
 * this and nothing else.
 */
import {
  detectFormat,
  previewCustomFormat,
  PREVIEW_MAX_LINES,
  readSpecFile,
  type CustomFormatSpec,
  type FormatIssue,
  type FormatPreview,
  type ParsedFields,
  type Result,
} from '../worker/client.ts';

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
  /** The id follows the name until the user types one. */
  private idTyped = false;

  /** The spec the fields describe: empty optional fields are left out. */
  readonly spec = $derived.by((): Record<string, unknown> => {
    const spec: Record<string, unknown> = { id: this.id.trim(), name: this.name.trim(), pattern: this.pattern };
    if (this.timestampLayout.trim()) spec.timestampLayout = this.timestampLayout.trim();
    if (this.multiline !== 'auto') spec.multiline = this.multiline === 'on';
    if (this.description.trim()) spec.description = this.description.trim();
    // Kept with the format, and handed to every run: the lines the preview reads, no more.
    const sample = sampleLines(this.sample).filter((line) => line.trim() !== '').slice(0, PREVIEW_MAX_LINES);
    if (sample.length) spec.sample = sample.join('\n');
    return spec;
  });

  readonly preview = $derived.by((): Result<FormatPreview, FormatIssue[]> => previewCustomFormat(this.spec, sampleLines(this.sample)));

  /** What to show of the spec's issues: those about an empty field only once Save was pressed. */
  readonly issues = $derived.by((): FormatIssue[] => {
    const issues = this.preview.ok ? [] : this.preview.error;
    return this.tried ? issues : issues.filter((issue) => !(TYPED_KEYS as readonly string[]).includes(issue.path) || this.spec[issue.path] !== '');
  });

  /** Which format detection picks on the sample lines, this one taking part: a sentence, or null without lines. */
  readonly detection = $derived.by((): string | null => {
    const preview = this.preview;
    const lines = sampleLines(this.sample);
    if (!preview.ok || preview.value.lines.length === 0) return null;
    const own = preview.value.format;
    const { format, confidence, scores } = detectFormat(lines, undefined, [own]);
    if (format === own) return `Detection picks this format on these lines (${percent(confidence)}).`;
    const score = scores.find((s) => s.id === own.id);
    const share = score && score.scored > 0 ? score.matched / score.scored : 0;
    const picked = format.id === 'plain' ? 'plain text' : `${format.name} (${percent(confidence)})`;
    return `Detection picks ${picked} on these lines, not this format (${percent(share)}).`;
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

  /** Saves the draft; afterwards it edits the saved format. Returns whether it was saved. */
  async save(onsave: SaveFormat): Promise<boolean> {
    this.tried = true;
    this.edited();
    if (!this.preview.ok) return false;
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
