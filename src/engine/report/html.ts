/**
 * A self-contained HTML snapshot of a report's dashboard: one file that opens in any browser,
 * offline, without the app. Static on purpose: no script, no link, nothing fetched (the CSP
 * meta forbids it all but inline styles and data: images), light and dark from the system.
 *
 * Everything that comes from the report — log lines, messages, ids, parameters — is text,
 * never markup: it only ever passes through `html```, which escapes every interpolated value
 * (`& < > " '`) unless it is a fragment `html``` made itself. Terminal escape sequences are
 * removed, other control and bidi-override characters are shown as visible `\xNN` / `\u202e`.
 * No value from the report ends up in an attribute, and nothing from it becomes a link.
 */
import { LEVELS, type Level } from '../types.ts';
import type { LogEvent, Trace } from '../observe/types.ts';
import type { AnyReport } from './report.ts';
import { alertUnit, alertValueText } from '../metrics/alert-units.ts';

export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** How many of the most recent items each list shows. */
export const HTML_LIMITS = { journeys: 25, errors: 25, events: 100, counterKeys: 20, timelineBars: 240 } as const;

/** The report's dashboard as one static HTML document. */
export function toHtmlSnapshot(report: AnyReport): string {
  const r = report;
  const title = `Linesight report: ${r.run.file.name} (${r.run.id})`;
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header>
<h1>Linesight report</h1>
<p class="sub"><span class="file">${r.run.file.name}</span> · ${statusBadge(r.run.status)} · generated ${r.generatedAt}</p>
</header>
<main>
${summarySection(r)}
${healthSection(r)}
${alertsSection(r)}
${statsSection(r)}
${countersSection(r)}
${levelsSection(r)}
${errorsSection(r)}
${journeysSection(r)}
${eventsSection(r)}
${pipelineSection(r)}
</main>
<footer><p>A static snapshot made by Linesight: no scripts, nothing loaded from elsewhere. Schema ${r.schema}.</p></footer>
</body>
</html>
`;
  return doc.value;
}

// ---------------------------------------------------------------------------------------------
// Sections

function summarySection(r: AnyReport): Safe {
  const run = r.run;
  const seconds = run.durationMs / 1000;
  const rows: [string, unknown][] = [
    ['File', `${run.file.name} (${bytes(run.file.size)})`],
    ['Run', run.id],
    ['Status', run.message ? html`${statusBadge(run.status)} ${run.message}` : statusBadge(run.status)],
    ['Started', run.startedAt],
    ['Finished', run.finishedAt],
    ['Duration', duration(run.durationMs)],
    ['Lines read', count(run.linesRead)],
    ['Bytes read', bytes(run.bytesRead)],
    ['Throughput', seconds > 0 ? `${count(run.linesRead / seconds)} lines/s` : '—'],
    ['Lines out', count(r.totals.linesOut)],
    ['Dropped', count(r.totals.dropped)],
    ['Errors', count(r.totals.errors)],
    ['Compression', r.input.compression],
    ['Log time', r.timeRange ? `${r.timeRange.start} to ${r.timeRange.end}` : 'no timestamps found'],
  ];
  if (r.input.truncatedLines > 0) rows.push(['Truncated lines', count(r.input.truncatedLines)]);
  if (r.input.invalidUtf8Lines > 0) rows.push(['Lines with invalid UTF-8', count(r.input.invalidUtf8Lines)]);
  return section('run', 'Run', html`<dl class="summary">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`);
}

function healthSection(r: AnyReport): Safe {
  const h = r.health;
  const bottleneck = h.bottleneck
    ? html`<p>Bottleneck: <code>${h.bottleneck.processor}</code>, ${count(h.bottleneck.linesPerSec)} lines/s on its own.</p>`
    : html`<p>No bottleneck measured.</p>`;
  const reasons = h.reasons.length > 0 ? html`<ul>${h.reasons.map((reason) => html`<li>${reason}</li>`)}</ul>` : html`<p>Nothing to report.</p>`;
  const retention = r.retention
    ? html`<p class="muted">Stored under caps of ${count(r.retention.caps.traces)} traces, ${count(r.retention.caps.errors)} errors and ${count(r.retention.caps.events)} events; evicted ${count(r.retention.evicted.traces)} traces, ${count(r.retention.evicted.errors)} errors, ${count(r.retention.evicted.events)} events.</p>`
    : '';
  return section('health', 'Health', html`<p><span class="${healthClass(h.status)}">${h.status}</span></p>${reasons}${bottleneck}${retention}`);
}

function alertsSection(r: AnyReport): Safe {
  if (r.alerts.length === 0) return section('alerts', 'Alerts', html`<p>No alerts.</p>`);
  const rows = r.alerts.map(
    (a) => {
      const unit = alertUnit(a);
      return html`<tr><th scope="row">${a.name}</th><td>${a.processor ?? ''}</td><td><span class="${severityClass(a.severity)}">${a.severity}</span></td><td>${alertState(a)}</td><td class="num">${alertValueText(unit, a.value)}</td><td class="num">${alertValueText(unit, a.threshold)}</td><td>${a.firedAt ?? '—'}</td></tr>`;
    },
  );
  return section(
    'alerts',
    'Alerts',
    html`<table><caption>Alerts</caption><thead><tr><th scope="col">Alert</th><th scope="col">Processor</th><th scope="col">Severity</th><th scope="col">State</th><th scope="col" class="num">Value</th><th scope="col" class="num">Threshold</th><th scope="col">Fired at</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** "suppressed until 2026-01-01T12:15:00.000Z", "suppressed for the run", or the state alone. */
function alertState(a: AnyReport['alerts'][number]): string {
  if (a.state !== 'suppressed') return a.state;
  return a.suppressedUntil ? `suppressed until ${a.suppressedUntil}` : 'suppressed for the run';
}

/** The app's stats table: same accessible name and first six headers (DESIGN.md), plus latency. */
function statsSection(r: AnyReport): Safe {
  const rows = r.processors.map(
    (p) => html`<tr><th scope="row"><span class="id">${p.id}</span> <span class="type">${p.type}</span>${p.circuit !== 'closed' ? html` <span class="badge bad">circuit ${p.circuit}</span>` : ''}${p.errorPolicy !== 'drop' ? html` <span class="badge">on error: ${p.errorPolicy}</span>` : ''}</th><td class="num">${count(p.linesIn)}</td><td class="num">${count(p.linesOut)}</td><td class="num">${count(p.dropped)}</td><td class="num${p.errors > 0 ? ' bad' : ''}">${count(p.errors)}</td><td class="num">${ms(p.timeMs)}</td><td class="num">${us(p.p50Us)}</td><td class="num">${us(p.p95Us)}</td><td class="num">${us(p.p99Us)}</td><td class="num">${percent(p.utilization)}</td></tr>`,
  );
  const totalMs = r.processors.reduce((sum, p) => sum + p.timeMs, 0);
  const headers = ['Processor', 'Lines in', 'Lines out', 'Dropped', 'Errors', 'Time (ms)', 'p50 (µs)', 'p95 (µs)', 'p99 (µs)', 'Share of time'];
  return section(
    'processors',
    'Processors',
    html`<table class="stats"><caption>Processor stats</caption><thead><tr>${headers.map((h, i) => html`<th scope="col"${raw(i > 0 ? ' class="num"' : '')}>${h}</th>`)}</tr></thead><tbody>${rows}</tbody><tfoot><tr><th scope="row">Total</th><td class="num">${count(r.run.linesRead)}</td><td class="num">${count(r.totals.linesOut)}</td><td class="num">${count(r.totals.dropped)}</td><td class="num">${count(r.totals.errors)}</td><td class="num">${ms(totalMs)}</td><td></td><td></td><td></td><td></td></tr></tfoot></table>`,
  );
}

function countersSection(r: AnyReport): Safe | string {
  if (r.counters.length === 0) return '';
  const tables = r.counters.map((c) => {
    const total = c.counts.reduce((sum, [, n]) => sum + n, 0);
    const rows = c.counts.slice(0, HTML_LIMITS.counterKeys).map(([key, n]) => html`<tr><th scope="row"><code>${key}</code></th><td class="num">${count(n)}</td><td class="num">${percent(total > 0 ? n / total : 0)}</td></tr>`);
    return html`<table><caption>Counts by key: ${c.processor} (${count(c.distinct)} distinct)</caption><thead><tr><th scope="col">Key</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Share</th></tr></thead><tbody>${rows}</tbody></table>`;
  });
  return section('counters', 'Counters', html`${tables}`);
}

function levelsSection(r: AnyReport): Safe {
  const total = LEVELS.reduce((sum, l) => sum + (r.levels[l] ?? 0), 0);
  const rows = LEVELS.map(
    (l) => html`<tr><th scope="row"><span class="swatch ${raw(`lv-${l}`)}"></span>${l}</th><td class="num">${count(r.levels[l] ?? 0)}</td><td class="num">${percent(total > 0 ? (r.levels[l] ?? 0) / total : 0)}</td></tr>`,
  );
  const table = html`<table><caption>Lines per level</caption><thead><tr><th scope="col">Level</th><th scope="col" class="num">Lines</th><th scope="col" class="num">Share</th></tr></thead><tbody>${rows}</tbody></table>`;
  return section('levels', 'Levels over log time', html`${table}${timelineChart(r)}`);
}

function errorsSection(r: AnyReport): Safe {
  const e = r.errors;
  if (e.total === 0) return section('errors', 'Errors', html`<p>No processor errors.</p>`);
  const byProcessor = tallyTable('Errors by processor', 'Processor', e.byProcessor);
  const byType = tallyTable('Errors by type', 'Type', e.byType);
  const recent = e.items.slice(-HTML_LIMITS.errors).reverse();
  const samples = recent.map(
    (item) => html`<li><p><strong>${item.type}</strong> in <code>${item.processor}</code> at line ${count(item.lineNo)}: ${item.message}</p><pre>${item.text}</pre></li>`,
  );
  return section(
    'errors',
    'Errors',
    html`<p>${count(e.total)} errors; the ${count(recent.length)} most recent of ${count(e.items.length)} kept:</p><div class="pair">${byProcessor}${byType}</div><ol class="samples">${samples}</ol>`,
  );
}

function journeysSection(r: AnyReport): Safe {
  const t = r.traces;
  if (!t.enabled && t.items.length === 0) return section('journeys', 'Journeys', html`<p>Tracing was off for this run.</p>`);
  const recent = t.items.slice(-HTML_LIMITS.journeys).reverse();
  return section(
    'journeys',
    'Journeys',
    html`<p>${count(t.seen)} lines traced, ${count(t.kept)} kept; the ${count(recent.length)} most recent:</p><ol class="journeys">${recent.map(journey)}</ol>`,
  );
}

function journey(trace: Trace): Safe {
  const steps = trace.steps.map(
    (s) => html`<li><code>${s.processor}</code> <span class="step-${raw(STEP_CLASSES.get(s.status) ?? 'other')}">${s.status}</span>${s.branch !== undefined ? html` → ${s.branch}` : ''} <span class="muted">${us(s.durationUs)} µs${s.estimated ? ' (estimated)' : ''}${s.bypassed ? ', circuit open: went around' : ''}</span>${s.error !== undefined ? html`<br><span class="bad">${s.error}</span>` : ''}</li>`,
  );
  return html`<li><p>Line ${count(trace.lineNo)} <span class="${traceClass(trace.status)}">${trace.status}</span></p><pre>${trace.text}</pre><ol class="path">${steps}</ol></li>`;
}

const STEP_CLASSES = new Map<string, string>([['emit', 'emit'], ['drop', 'drop'], ['error', 'error'], ['route', 'route']]);

function eventsSection(r: AnyReport): Safe {
  const ev = r.events;
  const tail = ev.items.slice(-HTML_LIMITS.events);
  const rows = tail.map(
    (e) => html`<tr><td>${e.ts}</td><td><span class="${eventClass(e.level)}">${e.level}</span></td><td><code>${e.component}</code></td><td>${e.event}</td><td><code>${eventDetails(e)}</code></td></tr>`,
  );
  return section(
    'events',
    'Event log',
    html`<p>${count(ev.seen)} events, ${count(ev.kept)} kept; the last ${count(tail.length)}:</p><table class="events"><caption>Event log (most recent last)</caption><thead><tr><th scope="col">Time</th><th scope="col">Level</th><th scope="col">Component</th><th scope="col">Event</th><th scope="col">Details</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function pipelineSection(r: AnyReport): Safe {
  const edges = r.graph.edges.map((e) => html`<li><code>${e.from}</code> → <code>${e.to}</code>${e.branch !== undefined ? html` (${e.branch})` : ''}: ${count(e.lines)} lines</li>`);
  return section(
    'pipeline',
    'Pipeline',
    html`${edges.length > 0 ? html`<ul>${edges}</ul>` : ''}<details><summary>Configuration</summary><pre><code>${safeJson(r.pipeline)}</code></pre></details>`,
  );
}

// ---------------------------------------------------------------------------------------------
// Timeline chart: inline SVG, stacked bars per level; numbers only in attributes.

const CHART = { width: 960, height: 160 } as const;

function timelineChart(r: AnyReport): Safe {
  const buckets = r.timeline.buckets;
  if (buckets.length === 0) return html`<p>No timestamps: no timeline.</p>`;
  const per = Math.ceil(buckets.length / HTML_LIMITS.timelineBars);
  const bars: Record<Level, number>[] = [];
  for (let i = 0; i < buckets.length; i += per) {
    const sum = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<Level, number>;
    for (const b of buckets.slice(i, i + per)) for (const l of LEVELS) sum[l] += finite(b.counts[l]);
    bars.push(sum);
  }
  const max = Math.max(1, ...bars.map((b) => LEVELS.reduce((s, l) => s + b[l], 0)));
  const w = CHART.width / bars.length;
  const rects: Safe[] = [];
  bars.forEach((bar, i) => {
    let y = CHART.height;
    for (const l of LEVELS) {
      if (bar[l] <= 0) continue;
      const h = (bar[l] / max) * CHART.height;
      y -= h;
      rects.push(html`<rect class="lv-${raw(l)}" x="${fixed(i * w)}" y="${fixed(y)}" width="${fixed(Math.max(w - 0.5, 0.5))}" height="${fixed(h)}"></rect>`);
    }
  });
  const bucketMs = r.timeline.bucketMs * per;
  const label = `Lines per level, ${bars.length} bars of ${duration(bucketMs)} from ${buckets[0].start} to ${buckets[buckets.length - 1].start}`;
  const legend = LEVELS.map((l) => html`<li><span class="swatch ${raw(`lv-${l}`)}"></span>${l}</li>`);
  return html`<figure><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART.width} ${CHART.height}" preserveAspectRatio="none" role="img" aria-labelledby="timeline-title"><title id="timeline-title">${label}</title>${rects}</svg><figcaption>${label}.</figcaption><ul class="legend">${legend}</ul></figure>`;
}

// ---------------------------------------------------------------------------------------------
// Small pieces

function section(id: string, heading: string, body: Safe): Safe {
  return html`<section aria-labelledby="${raw(`h-${id}`)}"><h2 id="${raw(`h-${id}`)}">${heading}</h2>${body}</section>`;
}

function tallyTable(caption: string, what: string, tally: Record<string, number>): Safe {
  const rows = Object.entries(tally)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => html`<tr><th scope="row"><code>${k}</code></th><td class="num">${count(n)}</td></tr>`);
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">${what}</th><th scope="col" class="num">Errors</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function statusBadge(status: string): Safe {
  const cls = status === 'completed' ? 'ok' : status === 'failed' || status === 'interrupted' ? 'bad' : 'warn';
  return html`<span class="badge ${raw(cls)}">${status}</span>`;
}

// Class names from closed sets only: a value from the report never becomes an attribute.
const healthClass = (s: string) => raw(s === 'HEALTHY' ? 'badge ok' : s === 'DEGRADED' ? 'badge warn' : 'badge bad');
const severityClass = (s: string) => raw(s === 'critical' || s === 'high' ? 'badge bad' : 'badge warn');
const traceClass = (s: string) => raw(s === 'emitted' ? 'badge ok' : s === 'error' ? 'badge bad' : 'badge');
const eventClass = (s: string) => raw(s === 'error' ? 'badge bad' : s === 'warn' ? 'badge warn' : 'badge');

const FIXED_EVENT_KEYS = new Set(['ts', 'level', 'component', 'event']);

function eventDetails(e: LogEvent): string {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(e)) if (!FIXED_EVENT_KEYS.has(key)) Object.defineProperty(rest, key, { value: e[key], enumerable: true });
  return Object.keys(rest).length > 0 ? safeJson(rest, 0) : '';
}

/** JSON for display; never throws (bigint, cycles from a hand-made report). */
function safeJson(value: unknown, indent = 2): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent) ?? '';
  } catch {
    return '(not serializable)';
  }
}

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const finite = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
const count = (n: number): string => whole.format(finite(n));
const ms = (n: number): string => oneDecimal.format(finite(n));
const us = (n: number): string => twoDecimals.format(finite(n));
const percent = (share: number): string => `${oneDecimal.format(finite(share) * 100)}%`;
const fixed = (n: number): string => String(Math.round(finite(n) * 100) / 100);

function bytes(n: number): string {
  const value = finite(n);
  if (value < 1024) return `${whole.format(value)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = value;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 100 ? 1 : 0)} ${units[u]}`;
}

function duration(msValue: number): string {
  const m = finite(msValue);
  if (m < 1000) return `${Math.round(m)} ms`;
  if (m < 60_000) return `${(m / 1000).toFixed(1)} s`;
  const s = Math.round(m / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  const min = Math.round(s / 60);
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

// ---------------------------------------------------------------------------------------------
// Escaping

/** A fragment of trusted markup; anything else interpolated into `html``` is escaped. */
class Safe {
  constructor(readonly value: string) {}
}

function raw(markup: string): Safe {
  return new Safe(markup);
}

function html(strings: TemplateStringsArray, ...values: unknown[]): Safe {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Safe(out);
}

function render(value: unknown): string {
  if (value instanceof Safe) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML text: terminal escapes removed, invisible controls made visible, then `& < > " '` escaped. */
export function escapeHtml(text: string): string {
  return visibleText(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

// CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and two-character escapes (ESC x).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 controls but tab, line feed and carriage return; DEL; C1; bidi overrides and isolates
// (they can make a line read differently from what it is).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal colour/link sequences; shows other control characters as `\xNN` / `\uNNNN`. */
export function visibleText(text: string): string {
  return text.replace(ANSI, '').replace(INVISIBLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

const CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1d2433;--muted:#5b6475;--border:#d8dde6;--panel:#f5f7fa;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;
--TRACE:#8c959f;--DEBUG:#6e7781;--INFO:#0969da;--WARN:#d4a72c;--ERROR:#cf222e;--FATAL:#82071e;--UNKNOWN:#b7bdc8}
@media (prefers-color-scheme:dark){:root{--bg:#0f131a;--fg:#e6e9ef;--muted:#9aa4b5;--border:#2c3340;--panel:#171c25;--ok:#3fb950;--warn:#d29922;--bad:#f85149;
--INFO:#4493f8;--UNKNOWN:#57606a}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 1rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.15rem;margin:0 0 .5rem}
section{background:var(--panel);border:1px solid var(--border);border-radius:8px;padding:1rem;margin:1rem 0;overflow-x:auto}
.sub,.muted,footer{color:var(--muted)}
table{border-collapse:collapse;margin:.25rem 0 .75rem;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding-bottom:.35rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid var(--border);text-align:left;vertical-align:top}
.num{text-align:right}
.stats{width:100%}
.type{color:var(--muted);font-size:.85em}
.summary{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.5rem 1rem;margin:0}
.summary dt{color:var(--muted);font-size:.85em}.summary dd{margin:0;overflow-wrap:anywhere}
.badge{display:inline-block;padding:0 .45em;border-radius:999px;border:1px solid var(--border);font-size:.85em}
.ok{color:var(--ok);border-color:var(--ok)}.warn{color:var(--warn);border-color:var(--warn)}.bad{color:var(--bad);border-color:var(--bad)}
td.bad{font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--border);border-radius:4px;padding:.4rem .6rem;margin:.25rem 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
.pair{display:flex;flex-wrap:wrap;gap:2rem}
.samples>li,.journeys>li{margin-bottom:.75rem}
.path{margin:.25rem 0}
.step-error{color:var(--bad)}.step-drop{color:var(--warn)}
figure{margin:.5rem 0}svg{width:100%;height:160px;display:block;border-bottom:1px solid var(--border)}
figcaption{color:var(--muted);font-size:.85em;margin-top:.25rem}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:1rem;padding:0;margin:.25rem 0}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.35em;vertical-align:-.05em}
${LEVELS.map((l) => `.lv-${l}{fill:var(--${l});background:var(--${l})}`).join('\n')}
.events td:first-child{white-space:nowrap}
`;
