/** Built-in pipelines offered in the editor. Their texts are what users see and edit. */

export interface Preset {
  name: string;
  text: string;
}

const pretty = (config: unknown) => JSON.stringify(config, null, 2);

export const DEFAULT_PRESET = 'Default';

export const PRESETS: readonly Preset[] = [
  {
    name: DEFAULT_PRESET,
    text: pretty({
      // parse first: fields, levels and time from the file's own format (detected).
      processors: [
        { type: 'parse', id: 'parse' },
        { type: 'counter', id: 'by_level', by: 'level' },
      ],
    }),
  },
  {
    // Kept byte for byte as the seed format is written: it must load unchanged.
    name: 'Seed example',
    text: '{"processors":[{"type":"line_counter","id":"counter","format":"Line {count}: {line}"},{"type":"uppercase","id":"uppercase"},{"type":"filter","id":"important_filter","pattern":"important"}]}',
  },
  {
    name: 'Route by level',
    text: pretty({
      processors: [
        { type: 'parse', id: 'parse' },
        {
          type: 'router',
          id: 'start',
          routes: [
            { branch: 'warn', levels: ['WARN'], next: 'warn_counter' },
            { branch: 'error', levels: ['ERROR', 'FATAL'], next: 'error_counter' },
          ],
          default: 'general',
        },
        // The parsed component (logger, tag, program), whatever the format.
        { type: 'counter', id: 'warn_counter', by: 'field', field: 'component' },
        { type: 'counter', id: 'error_counter', by: 'field', field: 'component' },
        { type: 'counter', id: 'general', by: 'level' },
      ],
    }),
  },
  {
    name: 'Errors only',
    text: pretty({
      processors: [{ type: 'filter', id: 'errors_only', pattern: '\\b(ERROR|FATAL)\\b' }],
    }),
  },
];

export function presetText(name: string): string | undefined {
  return PRESETS.find((preset) => preset.name === name)?.text;
}

/** The preset a text is, if any: edits turn the editor's choice into "custom". */
export function presetOf(text: string): string | undefined {
  return PRESETS.find((preset) => preset.text === text)?.name;
}
