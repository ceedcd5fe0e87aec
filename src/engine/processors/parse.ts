import { ALL_FORMATS } from '../formats/registry.ts';
import { applyFields } from '../formats/stage.ts';
import { defineProcessor } from './define.ts';

/**
 * Gives every record its fields. The run detects the format and parses each line (or joined
 * multi-line entry) once as it is read, so that levels and time come from the fields; this
 * processor marks where fields become part of the pipeline, and parses again only a line that
 * an earlier processor changed.
 */
export const parse = defineProcessor({
  descriptor: {
    type: 'parse',
    title: 'Parse',
    description: "Parses each line with the file's format (detected, or chosen) into fields: timestamp, level, component, pid, thread, message and more.",
    kind: 'map',
    details: [
      'The format is detected from the first lines of the file, or set with `format`.',
      'Fields: `timestamp` (epoch ms), `level` (normalised) and `levelRaw` (as written), `component`, `pid`, `thread`, `message`, and format-specific ones (`status`, `method`, `path`, `bytes`, `ip` for access logs; every key of JSON and logfmt lines).',
      'With `multiline`, a line without a header of the format (a stack frame, a wrapped line) joins the entry before it, so an exception is one record.',
      'Lines that do not fit the format are kept, with plain fields, and counted in the report (`format.unmatchedLines`).',
    ].join(' '),
    params: [
      {
        name: 'format',
        type: 'enum',
        values: ['auto', ...ALL_FORMATS.map((f) => f.id)],
        default: 'auto',
        description: 'A format id, or "auto" to detect it from the first lines.',
        example: 'log4j',
      },
      {
        name: 'multiline',
        type: 'boolean',
        default: true,
        description: 'Join continuation lines (stack traces, wrapped text) to the entry they belong to, for formats with headers.',
        example: false,
      },
    ],
  },
  create(_params, context) {
    return {
      kind: 'map',
      map(record) {
        if (record.parsedText !== record.text) {
          const parser = context.parser;
          if (!parser) throw new Error('no format to parse with: the run has not detected one');
          applyFields(record, parser.parse(record.text));
        }
        return record;
      },
    };
  },
});
