/**
 * The run's event log as NDJSON: one JSON object per line, each ending in "\n", the same
 * objects the Events view lists. The serializer lives with the event log (observe/events.ts)
 * so the live view's filter and this export agree on the text of an event.
 */
import { eventsToNdjson } from '../observe/events.ts';
import type { AnyReport } from './report.ts';

export { eventsToNdjson };

/** The report's kept events as NDJSON ("" when none were kept). */
export function toEventsNdjson(report: Pick<AnyReport, 'events'>): string {
  return eventsToNdjson(report.events.items);
}

/** The Content-Type to save this text with. */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';
