import { CIRCUIT_PARAMS, DEFAULT_CIRCUIT, ERROR_POLICY_PARAM } from '../observe/circuit.ts';
import type { ParamSpec } from '../processors/types.ts';

export const CIRCUIT_PARAM: ParamSpec = {
  name: 'circuit',
  type: 'object',
  items: CIRCUIT_PARAMS,
  default: DEFAULT_CIRCUIT,
  description:
    'The circuit breaker: a processor that keeps failing is taken out of the path for a cool-down, then tried again with one line. Give some of its settings to change them, or `false` to turn it off.',
  example: { consecutiveErrors: 10, whileOpen: 'drop' },
};

/**
 * Keys every processor accepts besides its type's own params, described like params so the
 * reference (README and the Processors page) is generated from what validation checks.
 */
export const COMMON_PARAMS: readonly ParamSpec[] = [
  {
    name: 'id',
    type: 'string',
    description:
      'Name of this processor in stats, traces, errors and `next`: letters, digits, "_", "-" or ".". Defaults to the type, numbered from the second of a type on (`filter_2`).',
    example: 'errors_only',
  },
  {
    name: 'next',
    type: 'ids',
    description:
      'Where this processor sends its lines: an id or a list of ids (each gets its own copy). Absent: the processor listed after it, unless that one is fed by a `next` or a route. Routers name targets in their routes instead.',
    example: ['counter', 'json'],
  },
  ERROR_POLICY_PARAM,
  CIRCUIT_PARAM,
];
