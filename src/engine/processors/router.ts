import { validPattern, type Pattern } from '../text/pattern.ts';
import { LEVELS, type Level } from '../types.ts';
import { defineProcessor } from './define.ts';
import { fieldReader, fieldText, type FieldReader } from './fields.ts';
import { detectLevel } from './level-detect.ts';

/** The branch unmatched lines take when `default` is set. */
export const DEFAULT_BRANCH = 'default';

const LEVEL_BIT = new Map<Level, number>(LEVELS.map((level, i) => [level, 1 << i]));

export const router = defineProcessor({
  descriptor: {
    type: 'router',
    title: 'Router',
    description: 'Sends each line to the branch of the first route that matches its level or a pattern.',
    kind: 'router',
    details:
      'A `pattern` is searched in the line, or with `field` in the value of that record field (set by `parse` or `json`) as text; a record without the field matches no such route.',
    params: [
      {
        name: 'routes',
        type: 'list',
        required: true,
        description: 'Routes tried in order; the first that matches takes the line. Each has `levels` or `pattern`, not both.',
        example: [
          { branch: 'warn', levels: ['WARN'], next: 'warn_counter' },
          { branch: 'error', levels: ['ERROR', 'FATAL'], next: 'error_counter' },
        ],
        items: [
          {
            name: 'branch',
            type: 'string',
            required: true,
            description: 'Name of the branch, unique within the router (not "default").',
            example: 'error',
          },
          {
            name: 'levels',
            type: 'strings',
            values: LEVELS,
            description:
              'Matches lines whose level is one of these; a line without a level gets the one detected from its text.',
            example: ['ERROR', 'FATAL'],
          },
          {
            name: 'pattern',
            type: 'regex',
            description: 'Matches lines where this regular expression is found (in the line, or in the value of `field`).',
            example: 'timeout|refused',
          },
          {
            name: 'field',
            type: 'string',
            description: 'Record field this route\'s `pattern` is searched in, instead of the router\'s `field`.',
            example: 'status',
          },
          {
            name: 'ignoreCase',
            type: 'boolean',
            default: false,
            description: 'Match `pattern` regardless of case.',
            example: true,
          },
          {
            name: 'next',
            type: 'ids',
            required: true,
            description: 'Processor id, or list of ids, that the branch feeds.',
            example: 'error_counter',
          },
        ],
      },
      {
        name: 'field',
        type: 'string',
        description: 'Record field (e.g. "component") that the routes\' patterns are searched in. Absent: the line text. Level routes are not affected.',
        example: 'component',
      },
      {
        name: 'default',
        type: 'ids',
        description: 'Processor id(s) that lines matching no route go to (branch "default"). Absent: such lines are dropped.',
        example: 'general',
      },
    ],
  },
  check({ routes, field }) {
    if (routes.length === 0) return { path: 'routes', message: 'needs at least one route' };
    const seen = new Set<string>();
    for (let i = 0; i < routes.length; i++) {
      const route = routes[i];
      const path = `routes[${i}]`;
      if ((route.levels === undefined) === (route.pattern === undefined)) {
        return { path, message: 'needs exactly one of "levels" or "pattern"' };
      }
      if (route.levels !== undefined && route.levels.length === 0) {
        return { path: `${path}.levels`, message: 'needs at least one level' };
      }
      if (route.levels !== undefined && route.field !== undefined) {
        return { path: `${path}.field`, message: 'only used with "pattern"' };
      }
      if (route.branch === DEFAULT_BRANCH) {
        return { path: `${path}.branch`, message: '"default" is reserved for the "default" param' };
      }
      if (seen.has(route.branch)) {
        return { path: `${path}.branch`, message: `duplicate branch "${route.branch}"` };
      }
      seen.add(route.branch);
    }
    if (field !== undefined && routes.every((route) => route.pattern === undefined)) {
      return { path: 'field', message: 'only used by routes with a "pattern", and no route has one' };
    }
    return null;
  },
  branches({ routes, default: fallback }) {
    const branches: Record<string, string[]> = {};
    for (const route of routes) branches[route.branch] = [...route.next];
    if (fallback !== undefined) branches[DEFAULT_BRANCH] = [...fallback];
    return branches;
  },
  create({ routes, field, default: fallback }) {
    // Parallel arrays: a route is either a level mask or a regex (the other is 0/null); a
    // pattern route reads the line (null reader) or a field.
    const n = routes.length;
    const names = routes.map((route) => route.branch);
    const masks = routes.map((route) =>
      route.levels === undefined ? 0 : route.levels.reduce((mask, l: Level) => mask | (LEVEL_BIT.get(l) ?? 0), 0),
    );
    const regexes = routes.map((route): Pattern | null =>
      route.pattern === undefined ? null : validPattern(route.pattern, { ignoreCase: route.ignoreCase }),
    );
    const readers = routes.map((route): FieldReader | null => {
      const name = route.pattern === undefined ? undefined : (route.field ?? field);
      return name === undefined ? null : fieldReader(name);
    });
    const unmatched = fallback === undefined ? null : DEFAULT_BRANCH;
    return {
      kind: 'router',
      route: (record) => {
        // Detected at most once per line, and only if a level route is reached.
        let levelBit = -1;
        for (let i = 0; i < n; i++) {
          const regex = regexes[i];
          if (regex !== null) {
            const read = readers[i];
            if (read === null) {
              if (regex.test(record.text)) return names[i];
            } else {
              const text = fieldText(read(record));
              if (text !== null && regex.test(text)) return names[i];
            }
          } else {
            if (levelBit === -1) levelBit = LEVEL_BIT.get(record.level ?? detectLevel(record.text)) ?? 0;
            if ((masks[i] & levelBit) !== 0) return names[i];
          }
        }
        return unmatched;
      },
    };
  },
});
