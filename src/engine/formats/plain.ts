/** The fallback: any line, no fields; level and timestamp found wherever they are near the start. */
import { extractTimestamp } from '../metrics/timestamps.ts';
import { detectLevel } from '../processors/level-detect.ts';
import { fields } from './fields.ts';
import type { LogFormat } from './types.ts';

export const plain: LogFormat = {
  id: 'plain',
  name: 'Plain text',
  description: 'any text: the whole line is the message; level and timestamp are found in it when present',
  family: 'generic',
  hasHeaders: false,
  sample: 'Server started on port 8080 (WARN: debug mode)',
  parse: (line, ctx) => fields(extractTimestamp(line, ctx.time), detectLevel(line), null, null, null, null, line),
};
