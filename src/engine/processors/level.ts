import { LEVELS } from '../types.ts';
import { detectLevel, LEVEL_LETTERS, LEVEL_WORDS } from './level-detect.ts';
import { defineProcessor } from './define.ts';

/** From the detection tables themselves, so the reference cannot drift from them. */
function spellings(): string {
  return LEVELS.filter((level) => level !== 'UNKNOWN')
    .map((level) => {
      const letters = [...LEVEL_LETTERS].filter(([, l]) => l === level).map(([letter]) => letter);
      return `${level} = ${[...LEVEL_WORDS[level], ...letters].join(', ')}`;
    })
    .join('; ');
}

export const level = defineProcessor({
  descriptor: {
    type: 'level',
    title: 'Level',
    description:
      'Sets the level of each line (TRACE, DEBUG, INFO, WARN, ERROR, FATAL or UNKNOWN) from the spelling found in its text.',
    kind: 'map',
    params: [],
    details: [
      'Looked for, in this order: a single-letter level in its column (Android logcat `V D I W E F A`, glog `I0102 ...`);',
      'in a JSON or logfmt line, its key (`level=warn`, `"level":"warn"`, `severity=ERROR`, pino/bunyan `"level":40`);',
      'otherwise the first level word in brackets (`[notice]`, `<warn>`, `[ERR]`, Serilog `[15:46:53 WRN]`) or all-caps level word of four letters or more (`INFO`, `WARNING`),',
      'and only when there is none, a level key further on (`app[12]: level=warn ...`).',
      'A lowercase word in free text ("connection error") is not a level.',
      `Spellings: ${spellings()}.`,
      'Syslog levels above error (critical, alert, emergency) become FATAL, the only level above ERROR.',
    ].join(' '),
  },
  create() {
    return {
      kind: 'map',
      map: (record) => {
        record.level = detectLevel(record.text);
        return record;
      },
    };
  },
});
