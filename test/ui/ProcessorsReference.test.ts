import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { COMMON_PARAMS } from '../../src/worker/client.ts';
import ProcessorsReference from '../../src/ui/ProcessorsReference.svelte';
import type { ProcessorDescriptor } from '../../src/worker/client.ts';

const descriptors: ProcessorDescriptor[] = [
  {
    type: 'router',
    title: 'Router',
    description: 'Sends each line to the branch of the first route that matches.',
    details: 'Routes are tried in order.\n\nA line matching none takes `default`.',
    kind: 'router',
    params: [
      {
        name: 'routes',
        type: 'list',
        required: true,
        description: 'Routes tried in order.',
        items: [
          { name: 'branch', type: 'string', required: true, description: 'Name of the branch.', example: 'error' },
          { name: 'ignoreCase', type: 'boolean', default: false, description: 'Match `pattern` regardless of case.' },
        ],
      },
    ],
  },
  { type: 'uppercase', title: 'Uppercase', description: 'Upper-cases the line.', kind: 'map', params: [] },
  {
    type: 'filter',
    title: 'Filter',
    description: 'Keeps lines matching a pattern.',
    kind: 'map',
    params: [{ name: 'limit', type: 'integer', min: 1, max: 100, default: 10, description: 'At most <b>this</b>.', example: 5 }],
  },
];

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...(row as HTMLTableRowElement).cells].map((c) => c.textContent?.trim()));

describe('ProcessorsReference', () => {
  it('documents each type: title, type id, kind, description, details and its params like the README table', () => {
    render(ProcessorsReference, { processors: descriptors, common: COMMON_PARAMS });
    const router = screen.getByRole('article', { name: /Router router/ });
    expect(within(router).getByText('Sends each line to the branch of the first route that matches.')).toBeTruthy();
    expect(within(router).getByText('Routes are tried in order.')).toBeTruthy();
    expect(within(router).getByText('default', { selector: 'code' })).toBeTruthy();
    expect(rowsOf(within(router).getByRole('table', { name: 'Parameters of router' }))).toEqual([
      ['routes', 'list', 'required', '', 'Routes tried in order.', ''],
      ['routes[].branch', 'string', 'required', '', 'Name of the branch.', '"error"'],
      ['routes[].ignoreCase', 'boolean', 'false', '', 'Match pattern regardless of case.', ''],
    ]);

    const filter = screen.getByRole('article', { name: /Filter filter/ });
    expect(rowsOf(within(filter).getByRole('table', { name: 'Parameters of filter' }))).toEqual([
      ['limit', 'integer', '10', '1–100', 'At most <b>this</b>.', '5'],
    ]);
    expect(within(screen.getByRole('article', { name: /Uppercase uppercase/ })).getByText('No parameters.')).toBeTruthy();
  });

  it('documents the keys every processor takes: id, next, onError and circuit with its settings', () => {
    render(ProcessorsReference, { processors: descriptors, common: COMMON_PARAMS });
    const common = screen.getByRole('article', { name: 'Common keys' });
    const rows = rowsOf(within(common).getByRole('table', { name: 'Keys of every processor' }));
    expect(rows.map((r) => r[0])).toEqual([
      'id',
      'next',
      'onError',
      'circuit',
      'circuit.consecutiveErrors',
      'circuit.errorRate',
      'circuit.window',
      'circuit.cooldownMs',
      'circuit.whileOpen',
    ]);
    expect(rows[2].slice(1, 3)).toEqual(['enum (drop, pass, stop)', '"drop"']);
    expect(rows[3][1]).toBe('object');
  });
});
