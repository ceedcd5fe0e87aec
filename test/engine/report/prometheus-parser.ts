/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests only: it throws on
 * anything the format does not allow, where scrapers are often lenient. (The npm parser
 * `parse-prometheus-text-format` is a lenient port of an old Python client and merges the
 * label sets of a summary into one, so it could not check what matters here.)
 *
 * Checked, after prometheus.io "Exposition formats" (text format details) and the behaviour of
 * Go's expfmt.TextParser: the last line ends with "\n"; `# HELP name doc` and
 * `# TYPE name counter|gauge|histogram|summary|untyped`, at most one of each per name, before
 * that name's first sample; metric names `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names
 * `[a-zA-Z_][a-zA-Z0-9_]*`, no label twice in a sample; label values in double quotes with only
 * `\\`, `\"` and `\n` as escapes (HELP: `\\` and `\n`); values as Go's ParseFloat reads them
 * (NaN, +Inf, -Inf); optional int64 timestamps; every family in one uninterrupted group; each
 * name + label set once; summaries' `quantile` and histograms' `le` labels numeric and in
 * increasing order, with `_sum`/`_count` (and `_bucket`) only on those types; counters not negative.
 */

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp?: number;
}

export interface ParsedFamily {
  name: string;
  help?: string;
  type: MetricType;
  samples: ParsedSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$/;
const INT64 = /^[+-]?\d{1,19}$/;

export class ExpositionError extends Error {
  constructor(lineNo: number, message: string, line: string) {
    super(`line ${lineNo}: ${message}: ${JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line)}`);
  }
}

/** The families of an exposition, in order; throws ExpositionError on the first violation. */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the last line must end with a line feed');
  const families = new Map<string, ParsedFamily>();
  const helped = new Set<string>();
  const typed = new Set<string>();
  const series = new Set<string>();
  const closed = new Set<string>();
  let current: string | null = null;
  const lines = text.split('\n');
  lines.pop();

  const enter = (family: string, lineNo: number, line: string) => {
    if (family === current) return;
    if (closed.has(family)) throw new ExpositionError(lineNo, `family ${family} is not one uninterrupted group`, line);
    if (current !== null) closed.add(current);
    current = family;
  };
  const familyOf = (name: string): ParsedFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', samples: [] }));
    return f;
  };

  lines.forEach((rawLine, index) => {
    const lineNo = index + 1;
    const line = rawLine.replace(/^[ \t]+|[ \t]+$/g, '');
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#[ \t]+(HELP|TYPE)[ \t]+(\S+)(?:[ \t]+(.*))?$/.exec(line);
      if (!m) return; // a plain comment
      const [, keyword, name, rest = ''] = m;
      if (!METRIC_NAME.test(name)) throw new ExpositionError(lineNo, `invalid metric name ${name}`, rawLine);
      enter(name, lineNo, rawLine);
      const family = familyOf(name);
      if (family.samples.length > 0) throw new ExpositionError(lineNo, `${keyword} after samples of ${name}`, rawLine);
      if (keyword === 'HELP') {
        if (helped.has(name)) throw new ExpositionError(lineNo, `second HELP for ${name}`, rawLine);
        helped.add(name);
        family.help = unescape(rest, false, lineNo, rawLine);
      } else {
        if (typed.has(name)) throw new ExpositionError(lineNo, `second TYPE for ${name}`, rawLine);
        if (!TYPES.has(rest as MetricType)) throw new ExpositionError(lineNo, `unknown type ${JSON.stringify(rest)}`, rawLine);
        typed.add(name);
        family.type = rest as MetricType;
      }
      return;
    }
    const sample = parseSample(line, lineNo, rawLine);
    const family = families.get(baseOf(sample.name, families)) ?? familyOf(sample.name);
    enter(family.name, lineNo, rawLine);
    checkSample(family, sample, lineNo, rawLine);
    const key = `${sample.name}{${Object.keys(sample.labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(sample.labels[k])}`)
      .join(',')}}`;
    if (series.has(key)) throw new ExpositionError(lineNo, `duplicate series ${key}`, rawLine);
    series.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) checkOrder(family);
  return families;
}

/** The family a sample name belongs to: `x_sum` of a summary x is x's. */
function baseOf(name: string, families: Map<string, ParsedFamily>): string {
  for (const suffix of ['_sum', '_count', '_bucket']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || (base.type === 'summary' && suffix !== '_bucket'))) return base.name;
  }
  return name;
}

function checkSample(family: ParsedFamily, s: ParsedSample, lineNo: number, line: string): void {
  const suffix = s.name.slice(family.name.length);
  if (family.type === 'summary') {
    if (suffix === '' && !('quantile' in s.labels)) throw new ExpositionError(lineNo, 'summary sample without quantile label', line);
    if (suffix !== '' && 'quantile' in s.labels) throw new ExpositionError(lineNo, `${suffix} sample with a quantile label`, line);
    if (suffix === '') numericLabel(s.labels.quantile, 'quantile', lineNo, line);
  } else if (family.type === 'histogram') {
    if (suffix === '') throw new ExpositionError(lineNo, 'histogram sample without _bucket, _sum or _count', line);
    if (suffix === '_bucket') numericLabel(s.labels.le, 'le', lineNo, line);
  } else if ('quantile' in s.labels || 'le' in s.labels) {
    throw new ExpositionError(lineNo, `${family.type} sample with a quantile or le label`, line);
  }
  if (family.type === 'counter' && s.value < 0) throw new ExpositionError(lineNo, 'negative counter', line);
}

function numericLabel(value: string | undefined, name: string, lineNo: number, line: string): number {
  if (value === undefined || !FLOAT.test(value)) throw new ExpositionError(lineNo, `${name} label is not a number`, line);
  return goFloat(value);
}

/** Quantiles (summaries) and buckets (histograms) in increasing order within each label set. */
function checkOrder(family: ParsedFamily): void {
  const label = family.type === 'summary' ? 'quantile' : family.type === 'histogram' ? 'le' : null;
  if (label === null) return;
  const last = new Map<string, number>();
  for (const s of family.samples) {
    if (!(label in s.labels)) continue;
    const rest = Object.keys(s.labels)
      .filter((k) => k !== label)
      .sort()
      .map((k) => `${k}=${s.labels[k]}`)
      .join(',');
    const value = goFloat(s.labels[label]);
    if (last.has(rest) && !(value > last.get(rest)!)) throw new Error(`${family.name}: ${label} labels not in increasing order for {${rest}}`);
    last.set(rest, value);
  }
}

function parseSample(line: string, lineNo: number, rawLine: string): ParsedSample {
  let i = 0;
  const nameMatch = /^[^{ \t]+/.exec(line);
  if (!nameMatch || !METRIC_NAME.test(nameMatch[0])) throw new ExpositionError(lineNo, 'invalid metric name', rawLine);
  const name = nameMatch[0];
  i = name.length;
  const labels: Record<string, string> = Object.create(null) as Record<string, string>;
  const skipBlanks = () => {
    while (line[i] === ' ' || line[i] === '\t') i++;
  };
  skipBlanks();
  if (line[i] === '{') {
    i++;
    skipBlanks();
    while (line[i] !== '}') {
      const labelMatch = /^[^=\s]+/.exec(line.slice(i));
      if (!labelMatch || !LABEL_NAME.test(labelMatch[0])) throw new ExpositionError(lineNo, 'invalid label name', rawLine);
      const labelName = labelMatch[0];
      if (labelName in labels) throw new ExpositionError(lineNo, `label ${labelName} twice`, rawLine);
      i += labelName.length;
      skipBlanks();
      if (line[i] !== '=') throw new ExpositionError(lineNo, `expected = after ${labelName}`, rawLine);
      i++;
      skipBlanks();
      if (line[i] !== '"') throw new ExpositionError(lineNo, `expected " to open the value of ${labelName}`, rawLine);
      i++;
      let value = '';
      for (;;) {
        if (i >= line.length) throw new ExpositionError(lineNo, `unterminated value of ${labelName}`, rawLine);
        const c = line[i++];
        if (c === '"') break;
        if (c === '\\') {
          const e = line[i++];
          if (e === '\\') value += '\\';
          else if (e === '"') value += '"';
          else if (e === 'n') value += '\n';
          else throw new ExpositionError(lineNo, `invalid escape \\${e ?? ''} in label value`, rawLine);
        } else {
          value += c;
        }
      }
      labels[labelName] = value;
      skipBlanks();
      if (line[i] === ',') {
        i++;
        skipBlanks();
      } else if (line[i] !== '}') {
        throw new ExpositionError(lineNo, 'expected , or } after a label', rawLine);
      }
    }
    i++;
  }
  const rest = line.slice(i).trim().split(/[ \t]+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') throw new ExpositionError(lineNo, 'expected a value and an optional timestamp', rawLine);
  if (!FLOAT.test(rest[0])) throw new ExpositionError(lineNo, `invalid value ${rest[0]}`, rawLine);
  const sample: ParsedSample = { name, labels, value: goFloat(rest[0]) };
  if (rest.length === 2) {
    if (!INT64.test(rest[1])) throw new ExpositionError(lineNo, `invalid timestamp ${rest[1]}`, rawLine);
    sample.timestamp = Number(rest[1]);
  }
  return sample;
}

function goFloat(text: string): number {
  const lower = text.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number(text);
}

function unescape(text: string, quotes: boolean, lineNo: number, line: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[++i];
    if (e === '\\') out += '\\';
    else if (e === 'n') out += '\n';
    else if (quotes && e === '"') out += '"';
    else throw new ExpositionError(lineNo, `invalid escape \\${e ?? ''}`, line);
  }
  return out;
}
