/**
 * A report's numbers in the Prometheus text exposition format, version 0.0.4
 * (`Content-Type: text/plain; version=0.0.4`), for node_exporter's textfile collector, a
 * Pushgateway, or `promtool check metrics`.
 *
 * Rules of the format this follows: one `# HELP` and one `# TYPE` line per family, before its
 * samples, and each family in one uninterrupted group; metric and label names match
 * `[a-zA-Z_:][a-zA-Z0-9_:]*` / `[a-zA-Z_][a-zA-Z0-9_]*`; in label values, backslash, double quote
 * and line feed are escaped as `\\`, `\"` and `\n` (in HELP text, backslash and line feed);
 * each name + label set appears once; values are Go floats (`NaN`, `+Inf`); the last line ends
 * with a line feed. Summary quantiles come in increasing order, with `_sum` and `_count`.
 *
 * Everything is a snapshot of a finished (or stored) run: no timestamps, so a scraper stamps
 * the time it read the file.
 */
import { LEVELS } from '../types.ts';
import type { AnyReport } from './report.ts';

/** The Content-Type to serve or save this text with. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type MetricType = 'counter' | 'gauge' | 'summary';
type Labels = readonly (readonly [name: string, value: string])[];

export interface Sample {
  /** Appended to the family name: `_sum`, `_count`. */
  suffix?: string;
  labels: Labels;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const QUANTILES = [
  ['0.5', 'p50Us'],
  ['0.95', 'p95Us'],
  ['0.99', 'p99Us'],
] as const;

/** The report as Prometheus text exposition format 0.0.4. */
export function toPrometheus(report: AnyReport): string {
  return writeExposition([...runFamilies(report), ...processorFamilies(report), ...pipelineFamilies(report), ...logFamilies(report)]);
}

function runFamilies(r: AnyReport): Family[] {
  const run = r.run;
  return [
    gauge('linesight_run_info', 'Always 1; the labels describe the run.', [
      sample([['run_id', run.id], ['file', run.file.name], ['status', run.status]], 1),
    ]),
    gauge('linesight_run_start_time_seconds', 'When the run started, seconds since the Unix epoch.', [sample([], Date.parse(run.startedAt) / 1000)]),
    gauge('linesight_run_duration_seconds', 'Wall-clock time the run took (or had taken at its last checkpoint).', [sample([], run.durationMs / 1000)]),
    gauge('linesight_run_file_size_bytes', 'Size of the input file.', [sample([], run.file.size)]),
    gauge('linesight_run_read_bytes', 'Bytes of the input file read.', [sample([], run.bytesRead)]),
    gauge('linesight_run_read_lines', 'Lines read from the input.', [sample([], run.linesRead)]),
    gauge('linesight_input_truncated_lines', 'Lines cut at the line-length cap.', [sample([], r.input.truncatedLines)]),
    gauge('linesight_input_invalid_utf8_lines', 'Lines with bytes that are not valid UTF-8.', [sample([], r.input.invalidUtf8Lines)]),
  ];
}

function processorFamilies(r: AnyReport): Family[] {
  const ps = r.processors;
  const each = (pick: (p: (typeof ps)[number]) => number) => ps.map((p) => sample([['processor', p.id]], pick(p)));
  return [
    gauge('linesight_processor_info', "Always 1; the labels give each processor's type and error policy.", ps.map((p) =>
      sample([['processor', p.id], ['type', p.type], ['error_policy', p.errorPolicy]], 1),
    )),
    counter('linesight_processor_lines_in_total', 'Lines that reached the processor.', each((p) => p.linesIn)),
    counter('linesight_processor_lines_out_total', 'Lines the processor passed on.', each((p) => p.linesOut)),
    counter('linesight_processor_dropped_total', 'Lines the processor dropped.', each((p) => p.dropped)),
    counter('linesight_processor_errors_total', 'Lines on which the processor failed.', each((p) => p.errors)),
    counter('linesight_processor_time_seconds_total', 'Time spent in the processor.', each((p) => p.timeMs / 1000)),
    counter('linesight_processor_bypassed_total', "Lines that went around the processor while its circuit was open.", each((p) => p.bypassed)),
    counter('linesight_processor_circuit_openings_total', "Times the processor's circuit opened.", each((p) => p.circuitOpenings)),
    gauge(
      'linesight_processor_circuit_state',
      "1 for the processor's circuit state (closed, open, half-open), 0 for the others.",
      ps.flatMap((p) => (['closed', 'open', 'half-open'] as const).map((state) => sample([['processor', p.id], ['state', state]], p.circuit === state ? 1 : 0))),
    ),
    gauge('linesight_processor_utilization_ratio', "The processor's share (0-1) of the pipeline's processing time.", each((p) => p.utilization)),
    {
      name: 'linesight_processor_latency_seconds',
      help: 'Time per line in the processor. Quantiles come from per-batch means (relative error within 2.2%); NaN when no line reached it.',
      type: 'summary',
      samples: ps.flatMap((p) => [
        ...QUANTILES.map(([q, key]) => sample([['processor', p.id], ['quantile', q]], p.linesIn > 0 ? p[key] / 1e6 : NaN)),
        { suffix: '_sum', labels: [['processor', p.id]], value: p.timeMs / 1000 },
        { suffix: '_count', labels: [['processor', p.id]], value: p.linesIn },
      ]),
    },
  ];
}

function pipelineFamilies(r: AnyReport): Family[] {
  const t = r.totals;
  return [
    counter('linesight_pipeline_lines_in_total', 'Lines the pipeline received.', [sample([], t.linesIn)]),
    counter('linesight_pipeline_lines_out_total', "Lines the pipeline's last processors emitted.", [sample([], t.linesOut)]),
    counter('linesight_pipeline_dropped_total', 'Lines dropped anywhere in the pipeline.', [sample([], t.dropped)]),
    counter('linesight_pipeline_errors_total', 'Processor errors anywhere in the pipeline.', [sample([], t.errors)]),
    counter(
      'linesight_errors_by_type_total',
      'Processor errors by exception type.',
      Object.entries(r.errors.byType).map(([type, n]) => sample([['type', type]], n)),
    ),
    counter(
      'linesight_lines_by_key_total',
      'Lines per key counted by counter processors (the kept top keys).',
      r.counters.flatMap((c) => c.counts.map(([key, n]) => sample([['processor', c.processor], ['key', key]], n))),
    ),
  ];
}

function logFamilies(r: AnyReport): Family[] {
  const status = r.health.status;
  return [
    counter('linesight_log_lines_total', 'Lines of the log per level, as read.', LEVELS.map((level) => sample([['level', level]], r.levels[level] ?? 0))),
    gauge(
      'linesight_health_status',
      "1 for the run's health status (HEALTHY, DEGRADED, UNHEALTHY), 0 for the others.",
      (['HEALTHY', 'DEGRADED', 'UNHEALTHY'] as const).map((s) => sample([['status', s]], status === s ? 1 : 0)),
    ),
    gauge(
      'linesight_alert_firing',
      '1 while the alert is active (firing or acknowledged), 0 once resolved or suppressed.',
      r.alerts.map((a) =>
        sample(
          [['alert', a.id], ['rule', a.rule], ['severity', a.severity], ...(a.processor === undefined ? [] : [['processor', a.processor] as const])],
          a.state === 'firing' || a.state === 'acknowledged' ? 1 : 0,
        ),
      ),
    ),
  ];
}

function sample(labels: Labels, value: number): Sample {
  return { labels, value };
}

function counter(name: string, help: string, samples: Sample[]): Family {
  return { name, help, type: 'counter', samples };
}

function gauge(name: string, help: string, samples: Sample[]): Family {
  return { name, help, type: 'gauge', samples };
}

/**
 * Writes families in order. A family without samples is left out (a HELP with nothing under it
 * says nothing); a repeated name + label set keeps its first value (a report from elsewhere may
 * repeat a processor id, and a repeated series is undefined behaviour for Prometheus).
 */
export function writeExposition(families: readonly Family[]): string {
  const names = new Set<string>();
  const seen = new Set<string>();
  let out = '';
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`invalid metric name: ${family.name}`);
    if (names.has(family.name)) throw new Error(`metric family written twice: ${family.name}`);
    names.add(family.name);
    if (family.samples.length === 0) continue;
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const s of family.samples) {
      const series = `${family.name}${s.suffix ?? ''}${formatLabels(s.labels)}`;
      if (seen.has(series)) continue;
      seen.add(series);
      out += `${series} ${formatValue(s.value)}\n`;
    }
  }
  return out;
}

function formatLabels(labels: Labels): string {
  if (labels.length === 0) return '';
  let out = '{';
  for (let i = 0; i < labels.length; i++) {
    const [name, value] = labels[i];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`invalid label name: ${name}`);
    out += `${i > 0 ? ',' : ''}${name}="${escapeLabelValue(value)}"`;
  }
  return `${out}}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Backslash, double quote and line feed escaped; a lone surrogate (not UTF-8) becomes U+FFFD. */
export function escapeLabelValue(value: string): string {
  return String(value).replace(LONE_SURROGATE, '\uFFFD').replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

function escapeHelp(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

/** Go's ParseFloat forms: NaN, +Inf, -Inf, and JavaScript's shortest round-trip decimal otherwise. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
