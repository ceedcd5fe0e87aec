/** Reading the Loghub samples in ../shared/data/loghub (never copied into the project). */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOGHUB_DIR = fileURLToPath(new URL('../../../../shared/data/loghub/', import.meta.url));
export const LOGHUB_SAMPLES = [
  'Android', 'Apache', 'BGL', 'HDFS', 'HPC', 'Hadoop',
  'Linux', 'Mac', 'OpenSSH', 'Proxifier', 'Spark', 'Zookeeper',
] as const;

export const loghubAvailable = existsSync(LOGHUB_DIR);

// A test that reads the samples says so with `{ tags: ['loghub'] }`: it skips without them
// (vite.config.ts), and test/loghub-reporter.ts counts it.
declare module 'vitest' {
  interface TestTags {
    tags: 'loghub';
  }
}

/** The raw lines of a sample: CRLF or LF, the last line may lack its newline. */
export function readLoghubLines(name: string): string[] {
  const text = readFileSync(`${LOGHUB_DIR}${name}/${name}_2k.log`, 'utf8');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The ground-truth structured CSV of a sample, one object per row keyed by header. */
export function readLoghubStructured(name: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(readFileSync(`${LOGHUB_DIR}${name}/${name}_2k.log_structured.csv`, 'utf8'));
  return rows.map((row) => Object.fromEntries(header.map((key, i) => [key, row[i] ?? ''])));
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') (field += '"'), i++;
      else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}
