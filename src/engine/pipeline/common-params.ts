// Only types and the circuit's defaults are imported here: the page's Processors tab imports
// this file, and must not pull the pattern engine into its bundle.
import { CIRCUIT_PARAMS, DEFAULT_CIRCUIT, ERROR_POLICY_PARAM } from '../observe/circuit.ts';
import type { ParamSpec } from '../processors/params.ts';

export { CIRCUIT_PARAMS };

export const CIRCUIT_PARAM: ParamSpec = {
  name: 'circuit',
  type: 'object',
  items: CIRCUIT_PARAMS,
  default: DEFAULT_CIRCUIT,
  description:
    'The circuit breaker: a processor that keeps failing is taken out of the path for a cool-down, then tried again with one line. Give some of its settings to change them, or `false` to turn it off.',
  example: { consecutiveErrors: 10, whileOpen: 'drop' },
};

/** The keys of `onError` written as an object: `{"retry": 2, "then": "pass"}`. */
export const RETRY_PARAMS = [
  {
    name: 'retry',
    type: 'integer',
    required: true,
    min: 1,
    max: 10,
    description:
      'Times a line that fails at this processor is tried again at once (with the text it came with) before `then` applies. Counted per processor as retries.',
    example: 2,
  },
  {
    name: 'then',
    type: 'enum',
    values: ['drop', 'pass', 'stop'],
    default: 'drop',
    description: 'What happens to the line once its retries have failed too: the policies of `onError`.',
    example: 'pass',
  },
] as const satisfies readonly ParamSpec[];

/**
 * `onError` as the reference shows it. The object form's keys (RETRY_PARAMS, which validation
 * uses) are described in words: the Processors tab lays out sub-keys of objects and lists only.
 */
export const ON_ERROR_PARAM: ParamSpec = {
  ...ERROR_POLICY_PARAM,
  description:
    'What a processor error does to the line: drop it, pass it on unchanged to the next processor, or stop the run. `{"retry": N}` (N from 1 to 10) first tries the failing line again up to N times, with the text it came with, counted as retries; `then` is the policy once they have failed too (default "drop"): `{"retry": 2, "then": "pass"}`.',
};

export const NEXT_PARAM: ParamSpec = {
  name: 'next',
  type: 'ids',
  description:
    'Where this processor sends its lines: an id or a list of ids (each gets its own copy). Absent: the processor listed after it, unless that one is fed by a `next` or a route. Routers name targets in their routes instead.',
  example: ['counter', 'json'],
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
  NEXT_PARAM,
  ON_ERROR_PARAM,
  CIRCUIT_PARAM,
];
