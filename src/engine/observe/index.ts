/** The observability sinks of a run (traces, errors, events, circuits) and their report shapes, in one import. */
export * from './types.ts';
export * from './ring.ts';
export * from './traces.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './circuit.ts';
export * from './text-caps.ts';
