/**
 * Metrics of a run beyond plain counters: latency percentiles, the log's own timeline, health
 * and alerts. Pure TypeScript, fed per batch by the run; the report and the UI read their
 * sections from here.
 */
export * from './histogram.ts';
export * from './timestamps.ts';
export * from './timeline.ts';
export * from './health.ts';
export * from './alerts.ts';
