import { normalizeLevel } from './level-detect.ts';
import { defineProcessor } from './define.ts';

/** A line that is not a JSON object. The name is shown to users as the error type. */
export class JsonParseError extends Error {
  override name = 'JsonParseError';
}

export const json = defineProcessor({
  descriptor: {
    type: 'json',
    title: 'JSON',
    description: 'Parses each line as a JSON object into the fields of the line; other lines are errors.',
    kind: 'map',
    canFail: true,
    params: [
      {
        name: 'levelField',
        type: 'string',
        description:
          'Field that holds the level (e.g. "warning", "ERR", or pino\'s 40); sets the line\'s level, UNKNOWN when not a level. Absent: the level is left alone.',
        example: 'level',
      },
    ],
  },
  create({ levelField }) {
    return {
      kind: 'map',
      map: (record) => {
        let value: unknown;
        try {
          value = JSON.parse(record.text);
        } catch (error) {
          throw new JsonParseError((error as Error).message);
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
          throw new JsonParseError(`expected a JSON object, got ${got}`);
        }
        const fields = value as Record<string, unknown>;
        if (record.fields === undefined) record.fields = fields;
        else Object.assign(record.fields, fields);
        if (levelField !== undefined && Object.hasOwn(fields, levelField)) {
          record.level = normalizeLevel(fields[levelField]) ?? 'UNKNOWN';
        }
        return record;
      },
    };
  },
});
