/**
 * Custom formats from JSON a user pastes or imports: Linesight's own specs (one, a list, or the
 * `{"formats": [...]}` an export writes) or an lnav format file, converted to specs. The specs
 * are not checked here: `compileCustomFormat` does that, with its path and reason.
 */
import type { Result } from '../types.ts';

export interface SpecFile {
  specs: unknown[];
  /** What a conversion could not carry over, in words. */
  notes: string[];
}

const NOT_A_FORMAT =
  'not a custom format: expected a spec ({"id", "name", "pattern", ...}), a list of them, or an lnav format file ({"my_log": {"regex": ...}})';

export function readSpecFile(text: string): Result<SpecFile, string> {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  if (Array.isArray(value)) return { ok: true, value: { specs: value, notes: [] } };
  if (value === null || typeof value !== 'object') return { ok: false, error: NOT_A_FORMAT };
  const record = value as Record<string, unknown>;
  if (typeof record.pattern === 'string') return { ok: true, value: { specs: [record], notes: [] } };
  if (Array.isArray(record.formats)) return { ok: true, value: { specs: record.formats, notes: [] } };
  const specs: unknown[] = [];
  const notes: string[] = [];
  for (const [key, definition] of Object.entries(record)) {
    if (key.startsWith('$') || definition === null || typeof definition !== 'object' || !('regex' in definition)) continue;
    const spec = fromLnav(key, definition as LnavFormat, notes);
    if (spec) specs.push(spec);
  }
  return specs.length > 0 || notes.length > 0 ? { ok: true, value: { specs, notes } } : { ok: false, error: NOT_A_FORMAT };
}

/** The parts of an lnav format definition (https://docs.lnav.org/en/latest/formats.html) that map to a spec. */
interface LnavFormat {
  title?: unknown;
  description?: unknown;
  regex?: Record<string, { pattern?: unknown }>;
  'timestamp-format'?: unknown;
  'timestamp-field'?: unknown;
  'level-field'?: unknown;
  'body-field'?: unknown;
  'module-field'?: unknown;
  multiline?: unknown;
  sample?: unknown;
}

function fromLnav(key: string, format: LnavFormat, notes: string[]): Record<string, unknown> | null {
  const patterns = Object.entries(format.regex ?? {}).filter(([, regex]) => typeof regex?.pattern === 'string');
  if (patterns.length === 0) {
    notes.push(`${key}: no regex pattern, left out`);
    return null;
  }
  const [first, ...others] = patterns;
  if (others.length) notes.push(`${key}: only its first pattern ("${first[0]}") is used; lnav also tries ${others.map(([name]) => `"${name}"`).join(', ')}`);
  // lnav names the fields' groups as the format says; a spec's groups have fixed names.
  let pattern = first[1].pattern as string;
  const rename = (field: unknown, fallback: string | null, to: string) => {
    const from = typeof field === 'string' ? field : fallback;
    if (from && from !== to && !pattern.includes(`(?<${to}>`)) pattern = pattern.split(`(?<${from}>`).join(`(?<${to}>`);
  };
  rename(format['timestamp-field'], 'timestamp', 'timestamp');
  rename(format['level-field'], 'level', 'level');
  rename(format['body-field'], 'body', 'message');
  rename(format['module-field'], null, 'component');

  const spec: Record<string, unknown> = { id: idOf(key), name: typeof format.title === 'string' && format.title ? format.title : key, pattern };
  const layouts = Array.isArray(format['timestamp-format']) ? format['timestamp-format'].filter((f): f is string => typeof f === 'string') : [];
  const layout = layouts.length === 1 ? layoutOfStrftime(layouts[0]) : null;
  if (layout) spec.timestampLayout = layout;
  else if (layouts.length) notes.push(`${key}: timestamps are read with the automatic reader (lnav's ${layouts.map((l) => `"${l}"`).join(', ')} has no single equivalent)`);
  if (typeof format.description === 'string' && format.description) spec.description = format.description;
  if (format.multiline === false) spec.multiline = false;
  const samples = Array.isArray(format.sample) ? format.sample.map((s: { line?: unknown }) => s?.line).filter((l): l is string => typeof l === 'string') : [];
  if (samples.length) spec.sample = samples.join('\n');
  return spec;
}

/** A format id from an lnav key: the same letters, anything else as "_". */
function idOf(key: string): string {
  const id = key.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^[_.-]+/, '').slice(0, 64);
  return id || 'lnav_format';
}

const STRFTIME: Record<string, string> = {
  Y: 'yyyy',
  y: 'yy',
  m: 'MM',
  d: 'dd',
  e: 'dd',
  H: 'HH',
  M: 'mm',
  S: 'ss',
  b: 'MMM',
  h: 'MMM',
  z: 'Z',
  L: 'SSS',
  f: 'SSSSSS',
  T: 'HH:mm:ss',
  F: 'yyyy-MM-dd',
  '%': '%',
};

/** An lnav (strftime) timestamp format as a layout, or null when it uses what layouts lack (%a, %Z, ...). */
export function layoutOfStrftime(format: string): string | null {
  if (format === '%s') return 'epoch';
  if (format === '%i') return 'epoch_ms';
  let out = '';
  let literal = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      literal += c;
      continue;
    }
    const token = STRFTIME[format[i + 1]];
    if (token === undefined) return null;
    out += quoted(literal) + token;
    literal = '';
    i++;
  }
  out += quoted(literal);
  return out;
}

/** Literal text in a layout: letters in quotes (a lone T may stand bare, as in ISO), a quote doubled. */
function quoted(text: string): string {
  return text.replace(/'/g, "''").replace(/[A-Za-z]+/g, (run) => (run === 'T' ? run : `'${run}'`));
}
