/** Filtering, routing and counting on parsed fields, in whole runs over real logs. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';
import type { Report } from '../../../src/engine/report/report.ts';
import { presetText } from '../../../src/ui/presets.ts';
import { LOGHUB_DIR, readLoghubStructured } from './loghub.ts';

async function run(input: BlobPart, processors: unknown[]): Promise<Report> {
  const config = parsePipeline({ processors });
  if (!config.ok) throw new Error(formatIssues(config.error));
  return runLog(new Blob([input]), config.value);
}

const countsOf = (report: Report, id: string) => {
  const counter = report.counters.find((c) => c.processor === id);
  if (counter === undefined) throw new Error(`no counter ${id}`);
  return Object.fromEntries(counter.counts);
};
const processor = (report: Report, id: string) => report.processors.find((p) => p.id === id);

/** Ground truth: rows per value of a CSV column. */
function tally(rows: Record<string, string>[], column: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) counts[row[column]] = (counts[row[column]] ?? 0) + 1;
  return counts;
}

const sample = (name: string) => readFileSync(`${LOGHUB_DIR}${name}/${name}_2k.log`);

describe('fields of Loghub samples, after parse', { tags: ['loghub'] }, () => {
  it.each(['HDFS', 'Hadoop', 'Spark', 'Android'])('%s: a counter by component equals the CSV Component column', async (name) => {
    const report = await run(sample(name), [{ type: 'parse' }, { type: 'counter', by: 'field', field: 'component', top: 10000 }]);
    const truth = tally(readLoghubStructured(name), 'Component');
    expect(Object.keys(truth).length).toBeGreaterThan(1);
    expect(countsOf(report, 'counter')).toEqual(truth);
  });

  it('HDFS: a router by component sends each record to the branch its component matches', async () => {
    const report = await run(sample('HDFS'), [
      { type: 'parse' },
      { type: 'router', field: 'component', routes: [{ branch: 'datanode', pattern: '^dfs\\.DataNode', next: 'datanode' }], default: 'rest' },
      { type: 'counter', id: 'datanode', by: 'field', field: 'component' },
      { type: 'counter', id: 'rest', by: 'field', field: 'component' },
    ]);
    const truth = tally(readLoghubStructured('HDFS'), 'Component');
    const datanode = Object.fromEntries(Object.entries(truth).filter(([component]) => component.startsWith('dfs.DataNode')));
    const rest = Object.fromEntries(Object.entries(truth).filter(([component]) => !component.startsWith('dfs.DataNode')));
    expect(Object.keys(datanode).length).toBeGreaterThan(1);
    expect(Object.keys(rest).length).toBeGreaterThan(1);
    expect(countsOf(report, 'datanode')).toEqual(datanode);
    expect(countsOf(report, 'rest')).toEqual(rest);
  });

  it('Hadoop: the "Route by level" preset counts warnings and errors per component', async () => {
    const preset = JSON.parse(presetText('Route by level')!) as { processors: unknown[] };
    const report = await run(sample('Hadoop'), preset.processors);
    const rows = readLoghubStructured('Hadoop');
    const warn = tally(rows.filter((row) => row.Level === 'WARN'), 'Component');
    const error = tally(rows.filter((row) => row.Level === 'ERROR' || row.Level === 'FATAL'), 'Component');
    expect(Object.keys(warn).length).toBeGreaterThan(1);
    expect(Object.keys(error).length).toBeGreaterThan(0);
    expect(countsOf(report, 'warn_counter')).toEqual(warn);
    expect(countsOf(report, 'error_counter')).toEqual(error);
  });

  it('HDFS: a numeric filter on pid keeps the rows the CSV Pid column says', async () => {
    const rows = readLoghubStructured('HDFS');
    const report = await run(sample('HDFS'), [{ type: 'parse' }, { type: 'filter', field: 'pid', op: '>', value: 1000 }]);
    const expected = rows.filter((row) => Number(row.Pid) > 1000).length;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(rows.length);
    expect(processor(report, 'filter')).toMatchObject({ linesIn: rows.length, linesOut: expected });
  });
});

describe('fields of an access log, after parse', () => {
  const requests: [status: number, path: string][] = [
    [200, '/'],
    [304, '/style.css'],
    [404, '/favicon.ico'],
    [200, '/api/items'],
    [500, '/api/pay'],
    [401, '/admin'],
    [503, '/api/pay'],
    [200, '/api/items'],
    [404, '/wp-login.php'],
    [301, '/old'],
  ];
  const log = requests
    .map(
      ([status, path], i) =>
        `203.0.113.${i} - - [14/Mar/2024:08:00:${String(i).padStart(2, '0')} +0000] "${path.startsWith('/api/pay') ? 'POST' : 'GET'} ${path} HTTP/1.1" ${status} ${status === 304 ? '-' : 100 + i} "-" "curl/8.0"`,
    )
    .join('\n');

  it('filter status >= 400 keeps the client and server errors', async () => {
    const report = await run(log, [
      { type: 'parse' },
      { type: 'filter', field: 'status', op: '>=', value: 400 },
      { type: 'counter', by: 'field', field: 'status' },
    ]);
    expect(report.format?.id).toBe('access-combined');
    expect(processor(report, 'filter')).toMatchObject({ linesIn: 10, linesOut: 5 });
    expect(countsOf(report, 'counter')).toEqual({ 404: 2, 401: 1, 500: 1, 503: 1 });
  });

  it('a router by path with a route on status, then a filter on method', async () => {
    const report = await run(log, [
      { type: 'parse' },
      { type: 'router', field: 'path', routes: [{ branch: 'server', field: 'status', pattern: '^5', next: 'server' }, { branch: 'api', pattern: '^/api/', next: 'api' }], default: 'rest' },
      { type: 'counter', id: 'server', by: 'field', field: 'path' },
      { type: 'filter', id: 'api', field: 'method', op: '==', value: 'GET' },
      { type: 'counter', id: 'rest', by: 'field', field: 'path' },
    ]);
    expect(countsOf(report, 'server')).toEqual({ '/api/pay': 2 });
    expect(processor(report, 'api')).toMatchObject({ linesIn: 2, linesOut: 2 });
    expect(processor(report, 'rest')?.linesIn).toBe(6);
  });

  it('runs the fields example of the README as it says', async () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]).find((block) => block.includes('server_errors'));
    expect(example).toBeDefined();
    const report = await run(log, JSON.parse(example!).processors);
    expect(countsOf(report, 'by_path')).toEqual({ '/api/pay': 2 });
    expect(countsOf(report, 'by_status')).toEqual({ 200: 3, 301: 1, 304: 1, 401: 1, 404: 2 });
  });
});
