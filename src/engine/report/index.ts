/**
 * The report and its exports: the JSON report (`linesight.report/v1`, schema in
 * schema/report.schema.json), Prometheus text, OTLP/JSON traces, NDJSON events, a static HTML
 * snapshot, and the checked import of a report file. All pure functions of a report.
 */
export * from './report.ts';
export { toPrometheus, writeExposition, escapeLabelValue, formatValue, PROMETHEUS_CONTENT_TYPE, type Family, type Sample } from './prometheus.ts';
export * from './otlp.ts';
export * from './ndjson.ts';
export { toHtmlSnapshot, escapeHtml, visibleText, HTML_CSP, HTML_LIMITS } from './html.ts';
export { parseReport, readReport, reportSizeIssue, checkReport, MAX_REPORT_CHARS, MAX_REPORT_STRING_BYTES, MAX_DEPTH, FORBIDDEN_KEYS, IMPORT_LIMITS, type ImportedReport } from './import.ts';
export { checkSchema, unsupportedKeywords, type Schema, type SchemaIssue } from './schema-check.ts';
