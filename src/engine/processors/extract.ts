import { validPattern } from '../text/pattern.ts';
import { defineProcessor } from './define.ts';
import { fieldReader, fieldText, setField } from './fields.ts';

/** A line the pattern does not match, under `noMatch: "error"`. The name is shown to users as the error type. */
export class ExtractNoMatch extends Error {
  override name = 'ExtractNoMatch';
}

export const extract = defineProcessor({
  descriptor: {
    type: 'extract',
    title: 'Extract',
    description: 'Sets fields from the named groups of a regular expression matched in the line (or in a field).',
    kind: 'map',
    details: [
      'Each named group `(?<name>...)` that takes part in the match sets the field `name` to the text it matched (a group that takes no part sets nothing);',
      'groups without a name only group.',
      'The pattern runs on the linear-time engine, like every pattern (see Patterns).',
      'Fields set here are read by `filter`, `router` and `counter` with `field`, and numbers in them compare as numbers (`{"field": "status", "op": ">=", "value": 500}`).',
    ].join(' '),
    params: [
      {
        name: 'pattern',
        type: 'regex',
        required: true,
        description: 'Regular expression with at least one named group; the first match in the text is used.',
        example: '(?<method>[A-Z]+) (?<path>\\S+) HTTP/[\\d.]+" (?<status>\\d{3})',
      },
      {
        name: 'field',
        type: 'string',
        description: 'Record field to match instead of the line text.',
        example: 'message',
      },
      {
        name: 'ignoreCase',
        type: 'boolean',
        default: false,
        description: 'Match `pattern` regardless of case.',
        example: true,
      },
      {
        name: 'noMatch',
        type: 'enum',
        values: ['pass', 'drop', 'error'],
        default: 'pass',
        description:
          'What happens to a line the pattern does not match (or without `field`): passed on unchanged, dropped, or an error of this processor (its `onError` applies).',
        example: 'drop',
      },
    ],
  },
  check({ pattern }) {
    if (validPattern(pattern).names.size === 0) {
      return { path: 'pattern', message: 'has no named group to make a field of; name one, as in (?<status>\\d{3})' };
    }
    return null;
  },
  create({ pattern, field, ignoreCase, noMatch }) {
    const compiled = validPattern(pattern, { ignoreCase });
    const names = [...compiled.names.keys()];
    const numbers = [...compiled.names.values()];
    const read = field === undefined ? null : fieldReader(field);
    const what = field === undefined ? 'the line' : `field "${field}"`;
    return {
      kind: 'map',
      map: (record) => {
        const text = read === null ? record.text : fieldText(read(record));
        const match = text === null ? null : compiled.exec(text);
        if (match === null) {
          if (noMatch === 'pass') return record;
          if (noMatch === 'drop') return null;
          throw new ExtractNoMatch(text === null ? `the record has no field "${field}"` : `the pattern does not match ${what}`);
        }
        for (let i = 0; i < names.length; i++) {
          const value = match.groups[numbers[i]];
          if (value !== undefined) setField(record, names[i], value);
        }
        return record;
      },
    };
  },
});
