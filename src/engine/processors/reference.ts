import { COMMON_PARAMS } from '../pipeline/common-params.ts';
import { describeProcessors } from './registry.ts';
import type { ParamSpec, ProcessorDescriptor } from './types.ts';

/** A table cell: one line, pipes escaped so the table keeps its columns. */
const cell = (text: string): string => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
const code = (value: unknown): string => (value === undefined ? '' : cell(`\`${JSON.stringify(value)}\``));

function typeOf(param: ParamSpec): string {
  return param.values === undefined ? param.type : `${param.type} (${param.values.join(', ')})`;
}

function rangeOf(param: ParamSpec): string {
  if (param.min !== undefined && param.max !== undefined) return `${param.min}–${param.max}`;
  if (param.min !== undefined) return `≥ ${param.min}`;
  if (param.max !== undefined) return `≤ ${param.max}`;
  return '';
}

/** Rows of a param and, for a list, of its item fields as `name[].field`. */
function rows(param: ParamSpec, prefix = ''): string[] {
  const name = `${prefix}${param.name}`;
  const defaultCell = param.required ? 'required' : param.default === undefined ? 'optional' : code(param.default);
  const row = `| \`${name}\` | ${cell(typeOf(param))} | ${defaultCell} | ${rangeOf(param)} | ${cell(param.description)} | ${code(param.example)} |`;
  const itemPrefix = param.type === 'list' ? `${name}[].` : `${name}.`;
  return [row, ...(param.items ?? []).flatMap((item) => rows(item, itemPrefix))];
}

const TABLE_HEAD = ['| Name | Type | Default | Range | Description | Example |', '| --- | --- | --- | --- | --- | --- |'];

function section(descriptor: ProcessorDescriptor): string {
  const lines = [`### ${descriptor.title} (\`${descriptor.type}\`)`, '', `${descriptor.description}`, ''];
  if (descriptor.details !== undefined) lines.push(descriptor.details, '');
  lines.push(`Kind: ${descriptor.kind}.`, '');
  // Such a pipeline reads its lines in file order on one worker (see ProcessorDescriptor.ordered).
  if (descriptor.ordered !== undefined) lines.push(`A pipeline with it reads its lines in file order, on one worker: it ${descriptor.ordered}.`, '');
  if (descriptor.params.length === 0) {
    lines.push('No parameters.');
  } else {
    lines.push(...TABLE_HEAD, ...descriptor.params.flatMap((param) => rows(param)));
  }
  return lines.join('\n');
}

/**
 * The processor reference as Markdown, one section per type in registry order.
 * Deterministic (no dates, no environment), so the copy in README.md can be checked for drift.
 */
export function processorReferenceMarkdown(
  descriptors: readonly ProcessorDescriptor[] = describeProcessors(),
  common: readonly ParamSpec[] = COMMON_PARAMS,
): string {
  const commonSection = [
    '### Keys every processor accepts',
    '',
    '`type` names the processor type; these may be given to any of them.',
    '',
    ...TABLE_HEAD,
    ...common.flatMap((param) => rows(param)),
  ].join('\n');
  return `${[commonSection, ...descriptors.map(section)].join('\n\n')}\n`;
}

const START = '<!-- processor-reference:start -->';
const END = '<!-- processor-reference:end -->';

/** A document with the text between the reference markers replaced by the current reference. */
export function replaceReference(document: string, reference = processorReferenceMarkdown()): string {
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the document has no ${START} ... ${END} markers`);
  return `${document.slice(0, start + START.length)}\n${reference}${document.slice(end)}`;
}
