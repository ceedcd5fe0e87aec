/** Python's logging module: the common `basicConfig` layouts. Tracebacks continue an entry. */
import { fields, levelToken as level, levelWord, levelWordAt, rest } from './fields.ts';
import { isDigit } from './scan.ts';
import { cursor, isoAt } from './time.ts';
import type { LogFormat, ParseContext, ParsedFields } from './types.ts';

/**
 * `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (the cookbook layout), and Flask's
 * `[%(asctime)s] %(levelname)s in %(module)s: %(message)s`.
 */
function parsePython(s: string, ctx: ParseContext): ParsedFields | null {
  const bracketed = s.charCodeAt(0) === 91;
  const start = bracketed ? 1 : 0;
  if (!isDigit(s.charCodeAt(start))) return null;
  const ts = isoAt(s, start, ctx.time);
  if (ts !== ts) return null;
  let i = cursor.pos;
  if (bracketed) {
    if (s.charCodeAt(i) !== 93 || s.charCodeAt(i + 1) !== 32) return null;
    i += 2;
    const end = s.indexOf(' in ', i);
    if (end < 0 || !levelWordAt(s, i, end)) return null;
    const colon = s.indexOf(': ', end + 4);
    if (colon < 0) return null;
    return fields(ts, level.level, level.raw, s.slice(end + 4, colon), null, null, rest(s, colon + 2));
  }
  if (!s.startsWith(' - ', i)) return null;
  const nameEnd = s.indexOf(' - ', i + 3);
  if (nameEnd < 0) return null;
  const levelStart = nameEnd + 3;
  const levelEnd = s.indexOf(' - ', levelStart);
  if (levelEnd < 0) return null;
  let trimmed = levelEnd;
  while (s.charCodeAt(trimmed - 1) === 32) trimmed--; // %(levelname)-8s pads
  if (!levelWordAt(s, levelStart, trimmed)) return null;
  return fields(ts, level.level, level.raw, s.slice(i + 3, nameEnd), null, null, rest(s, levelEnd + 3));
}

export const python: LogFormat = {
  id: 'python',
  name: 'Python logging',
  description: 'asctime - name - LEVEL - message (logging cookbook), or Flask\'s [asctime] LEVEL in module: message',
  family: 'python',
  hasHeaders: true,
  sample: '2024-03-14 08:00:00,123 - shop.db - WARNING - slow query took 1.2 s',
  detect: (line) => isDigit(line.charCodeAt(line.charCodeAt(0) === 91 ? 1 : 0)),
  parse: parsePython,
};

/** Python's level names, exactly as `logging` writes them. */
const PY_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

/** Python's default `%(levelname)s:%(name)s:%(message)s` (logging.basicConfig() without a format). */
function parsePythonDefault(s: string): ParsedFields | null {
  let raw = '';
  for (const name of PY_LEVELS) {
    if (s.charCodeAt(name.length) === 58 && s.startsWith(name)) {
      raw = name;
      break;
    }
  }
  if (raw === '') return null;
  const nameStart = raw.length + 1;
  const nameEnd = s.indexOf(':', nameStart);
  if (nameEnd <= nameStart) return null;
  // Logger names are dotted identifiers: a blank before the colon means this was prose.
  for (let j = nameStart; j < nameEnd; j++) if (s.charCodeAt(j) <= 32) return null;
  return fields(null, levelWord(raw), raw, s.slice(nameStart, nameEnd), null, null, rest(s, nameEnd + 1));
}

export const pythonDefault: LogFormat = {
  id: 'python-default',
  name: 'Python logging (default format)',
  description: 'LEVEL:logger:message, what logging.basicConfig() writes without a format (no timestamp)',
  family: 'python',
  hasHeaders: true,
  sample: 'WARNING:urllib3.connectionpool:Retrying (Retry(total=2)) after connection broken',
  parse: (line) => parsePythonDefault(line),
};
