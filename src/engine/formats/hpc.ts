/** Supercomputer logs: Blue Gene/L RAS (BGL) and the Los Alamos HPC system logs (Loghub). */
import { fields, levelFromMessage, levelWord, rest } from './fields.ts';
import { digitsEnd, isDigit, skipSpaces, tokenEnd } from './scan.ts';
import { fractionMs } from '../metrics/timestamps.ts';
import { cursor } from './time.ts';
import type { LogFormat, ParsedFields } from './types.ts';

/** Token boundaries read by `tokens` (start, end pairs), reused: no allocation per line. */
const bounds = new Int32Array(20);

/** Reads `count` blank-separated tokens from 0; returns where the rest starts, or -1 if fewer. */
function tokens(s: string, count: number): number {
  let i = 0;
  for (let k = 0; k < count; k++) {
    const end = tokenEnd(s, i);
    if (end === i) return -1;
    bounds[2 * k] = i;
    bounds[2 * k + 1] = end;
    i = skipSpaces(s, end);
  }
  return i;
}

function token(s: string, k: number): string {
  return s.slice(bounds[2 * k], bounds[2 * k + 1]);
}

/** Whether token k is all digits (an optional leading minus when `signed`), of length in [min, max]. */
function numeric(s: string, k: number, min: number, max: number, signed = false): boolean {
  let start = bounds[2 * k];
  const end = bounds[2 * k + 1];
  if (signed && s.charCodeAt(start) === 45) start++;
  return end - start >= min && end - start <= max && digitsEnd(s, start) === end;
}

/**
 * BGL: `label epoch yyyy.MM.dd node yyyy-MM-dd-HH.mm.ss.ffffff node type component LEVEL message`.
 * The stamp is written in local time of the machine room (PDT/PST), the epoch is absolute and
 * agrees to the second, so the time is the epoch plus the written fraction.
 */
function parseBgl(s: string): ParsedFields | null {
  const start = tokens(s, 9);
  if (start < 0 || !numeric(s, 1, 9, 10)) return null;
  const date = bounds[4];
  const time = bounds[8];
  if (bounds[5] - date !== 10 || s.charCodeAt(date + 4) !== 46 || s.charCodeAt(date + 7) !== 46) return null;
  if (s.charCodeAt(time + 4) !== 45 || s.charCodeAt(time + 10) !== 45 || s.charCodeAt(time + 13) !== 46 || !isDigit(s.charCodeAt(time + 17))) return null;
  const levelRaw = token(s, 8);
  const level = levelWord(levelRaw);
  if (level === 'UNKNOWN') return null;
  let ms = Number(token(s, 1)) * 1000;
  if (s.charCodeAt(time + 19) === 46) ms += fractionMs(s, time + 20, cursor);
  const label = token(s, 0);
  const extra: Record<string, string | number> = { node: token(s, 3), type: token(s, 6) };
  if (label !== '-') extra.label = label;
  return fields(ms, level, levelRaw, token(s, 7), null, null, rest(s, start), extra);
}

export const bgl: LogFormat = {
  id: 'bgl',
  name: 'Blue Gene/L RAS (BGL)',
  description: 'label epoch date node time node type component LEVEL message (IBM Blue Gene/L RAS log)',
  family: 'hpc',
  hasHeaders: false,
  sample: '- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected',
  parse: parseBgl,
};

/** HPC (LANL): `logId node component state epoch flag message`; no level field. */
function parseHpc(s: string): ParsedFields | null {
  if (!isDigit(s.charCodeAt(0))) return null;
  const start = tokens(s, 6);
  if (start < 0 || !numeric(s, 0, 1, 12) || !numeric(s, 4, 9, 10) || !numeric(s, 5, 1, 3, true)) return null;
  const message = rest(s, start);
  return fields(
    Number(token(s, 4)) * 1000,
    levelFromMessage(message),
    null,
    token(s, 2),
    null,
    null,
    message,
    { logId: Number(token(s, 0)), node: token(s, 1), state: token(s, 3), flag: Number(token(s, 5)) },
  );
}

export const hpc: LogFormat = {
  id: 'hpc',
  name: 'HPC cluster (LANL)',
  description: 'logId node component state epoch flag message (Los Alamos HPC system log)',
  family: 'hpc',
  hasHeaders: false,
  sample: '134681 node-246 unix.hw state_change.unavailable 1077804742 1 Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID=1973)',
  parse: parseHpc,
};
