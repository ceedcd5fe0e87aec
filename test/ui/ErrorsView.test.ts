import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ErrorsView from '../../src/ui/ErrorsView.svelte';
import { errorsSection, processorError } from './fixtures.ts';

const rowsOf = (name: string) =>
  within(screen.getByRole('table', { name }))
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => cell.textContent?.trim()));

const groupNames = () => screen.queryAllByRole('region').map((r) => r.getAttribute('aria-label')).filter((n) => n !== null);

/** Oldest first, as the engine keeps them: two json parse errors, then a regex timeout, then one more parse error. */
const items = [
  processorError({ lineNo: 3, text: 'plain text', message: 'Unexpected token p' }),
  processorError({ lineNo: 4, text: '{"a":', message: 'Unexpected end of JSON input', stack: undefined }),
  processorError({ processor: 'extract', type: 'RangeError', lineNo: 8, text: 'x'.repeat(30), message: 'Maximum call stack size exceeded', stack: ['at match (extract.ts:4:2)'] }),
  processorError({ lineNo: 12, text: 'GET /index.html', message: 'Unexpected token G' }),
];

describe('ErrorsView', () => {
  it('counts errors by processor and by type, from the exact totals rather than the kept samples', () => {
    render(ErrorsView, {
      errors: errorsSection(items, { total: 1_204, byProcessor: { json: 1_200, extract: 4 }, byType: { JsonParseError: 1_200, RangeError: 4 } }),
    });
    expect(rowsOf('Errors by processor')).toEqual([
      ['json', '1,200', '100%'],
      ['extract', '4', '0.3%'],
    ]);
    expect(rowsOf('Errors by type')).toEqual([
      ['JsonParseError', '1,200', '100%'],
      ['RangeError', '4', '0.3%'],
    ]);
    expect(screen.getByText(/showing 4 of 1,204 errors \(most recent\)/)).toBeTruthy();
  });

  it('leaves out the "showing N of M" note when every error was kept', () => {
    render(ErrorsView, { errors: errorsSection(items) });
    expect(screen.getByText(/^\s*4 errors\s*$/)).toBeTruthy();
    expect(screen.queryByText(/showing/)).toBeNull();
  });

  it('groups samples by processor and type, most recent group and sample first', () => {
    render(ErrorsView, { errors: errorsSection(items) });
    expect(groupNames()).toEqual(['json JsonParseError', 'extract RangeError']);
    const json = screen.getByRole('region', { name: 'json JsonParseError' });
    expect(within(json).getByText('3 samples')).toBeTruthy();
    const samples = within(json).getAllByRole('listitem').filter((li) => li.classList.contains('sample'));
    expect(samples.map((s) => s.querySelector('pre')?.textContent)).toEqual(['GET /index.html', '{"a":', 'plain text']);
    expect(within(samples[0]).getByText('Line 12')).toBeTruthy();
    expect(within(samples[0]).getByText(/Unexpected token G/)).toBeTruthy();
  });

  it('shows the first stack frames in a collapsed section when there is a stack', () => {
    render(ErrorsView, { errors: errorsSection(items) });
    const extract = screen.getByRole('region', { name: 'extract RangeError' });
    const details = extract.querySelector('details') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(within(details).getByText('Stack (1 frame)')).toBeTruthy();
    expect(within(details).getByText('at match (extract.ts:4:2)')).toBeTruthy();

    const json = screen.getByRole('region', { name: 'json JsonParseError' });
    // Two of its three samples have a stack.
    expect(json.querySelectorAll('details')).toHaveLength(2);
    expect(within(json).getAllByText('Stack (2 frames)')).toHaveLength(2);
  });

  it('filters samples by text, message, type or processor, case-insensitively', async () => {
    render(ErrorsView, { errors: errorsSection(items) });
    const search = screen.getByLabelText('Search errors');

    await fireEvent.input(search, { target: { value: 'index.HTML' } });
    expect(groupNames()).toEqual(['json JsonParseError']);
    expect(screen.getByText('1 of 4 samples match')).toBeTruthy();

    await fireEvent.input(search, { target: { value: 'call stack' } });
    expect(groupNames()).toEqual(['extract RangeError']);

    await fireEvent.input(search, { target: { value: 'rangeerror' } });
    expect(groupNames()).toEqual(['extract RangeError']);

    await fireEvent.input(search, { target: { value: 'EXTRACT' } });
    expect(groupNames()).toEqual(['extract RangeError']);

    await fireEvent.input(search, { target: { value: 'no such thing' } });
    expect(groupNames()).toEqual([]);
    expect(screen.getByText('No sample matches the search.')).toBeTruthy();
    // The counts by processor and type stay: they describe the run, not the search.
    expect(rowsOf('Errors by processor')).toHaveLength(2);
  });

  it('lists five samples of a group, then all on request', async () => {
    const many = Array.from({ length: 8 }, (_, i) => processorError({ lineNo: i + 1, text: `line ${i + 1}` }));
    render(ErrorsView, { errors: errorsSection(many) });
    const group = screen.getByRole('region', { name: 'json JsonParseError' });
    expect(group.querySelectorAll('li.sample')).toHaveLength(5);
    await fireEvent.click(within(group).getByRole('button', { name: 'Show all 8' }));
    expect(group.querySelectorAll('li.sample')).toHaveLength(8);
  });

  it('renders messages, lines and frames that look like HTML as text', () => {
    const html = '<img src=x onerror=alert(1)>';
    render(ErrorsView, { errors: errorsSection([processorError({ text: html, message: html, stack: [html] })]) });
    expect(screen.getAllByText(html, { exact: false }).length).toBeGreaterThanOrEqual(3);
    expect(document.querySelector('img')).toBeNull();
  });

  it('says so when the run had no errors', () => {
    render(ErrorsView, { errors: errorsSection([]) });
    expect(screen.getByText('No processor errors.')).toBeTruthy();
  });
});
