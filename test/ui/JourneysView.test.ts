import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import JourneysView from '../../src/ui/JourneysView.svelte';
import type { Trace } from '../../src/worker/client.ts';
import { trace, traces } from './fixtures.ts';

const processors = ['level', 'start', 'error_counter', 'json'];

const cards = () => screen.queryAllByRole('article');
const lineNumbers = () => cards().map((card) => card.getAttribute('aria-label'));

const errored: Trace = {
  lineNo: 9,
  offset: 4096,
  text: '{"broken": ',
  status: 'error',
  steps: [
    { processor: 'level', status: 'emit', durationUs: 2 },
    { processor: 'json', status: 'error', durationUs: 12, estimated: true, error: 'JsonParseError: Unexpected end of JSON input' },
  ],
};

const dropped: Trace = {
  lineNo: 5,
  offset: 160,
  text: 'DEBUG noise',
  status: 'dropped',
  steps: [
    { processor: 'level', status: 'emit', durationUs: 1 },
    { processor: 'json', status: 'drop', durationUs: 1, bypassed: true },
  ],
};

describe('JourneysView', () => {
  it('shows a trace’s line number, byte offset, original text and the path it took', () => {
    render(JourneysView, { traces: traces([trace(3)]), processors });
    const card = screen.getByRole('article', { name: 'Line 3' });
    expect(within(card).getByText('Line 3')).toBeTruthy();
    expect(within(card).getByText(/at byte 80/)).toBeTruthy();
    expect(within(card).getByText('2026-01-01 ERROR line 3')).toBeTruthy();
    expect(within(card).getByText('level → start[error] → error_counter')).toBeTruthy();
    expect(within(card).getByText('emitted')).toBeTruthy();
  });

  it('draws one waterfall row per step with its status, duration and a bar scaled to the trace’s total', () => {
    render(JourneysView, { traces: traces([trace(3)]), processors });
    const steps = within(screen.getByRole('list', { name: 'Steps of line 3' })).getAllByRole('listitem');
    expect(steps.map((s) => s.querySelector('.proc')?.textContent)).toEqual(['level', 'start', 'error_counter']);
    expect(steps.map((s) => s.querySelector('.badges')?.textContent?.trim())).toEqual(['emit', 'route [error]', 'emit']);
    expect(steps.map((s) => s.querySelector('.dur')?.textContent?.trim())).toEqual(['3.0 µs', '1.5 µs', '5.5 µs']);
    // 3 + 1.5 + 5.5 = 10 µs: each bar starts where the previous ended.
    const bars = steps.map((s) => s.querySelector<HTMLElement>('.bar')!.style);
    expect(bars.map((b) => [b.left, b.width])).toEqual([
      ['0%', '30%'],
      ['30%', '15%'],
      ['45%', '55%'],
    ]);
  });

  it('shows the text after a step only for steps that changed the line', () => {
    render(JourneysView, { traces: traces([trace(3)]), processors });
    const steps = within(screen.getByRole('list', { name: 'Steps of line 3' })).getAllByRole('listitem');
    expect(within(steps[0]).getByText('[ERROR] line 3')).toBeTruthy();
    expect(within(steps[0]).getByText('after level')).toBeTruthy();
    expect(steps[1].querySelector('.after')).toBeNull();
    expect(steps[2].querySelector('.after')).toBeNull();
  });

  it('shows an error step’s message, marks estimated durations with ≈ and bypassed steps', () => {
    render(JourneysView, { traces: traces([errored, dropped]), processors });
    const errorSteps = within(screen.getByRole('list', { name: 'Steps of line 9' })).getAllByRole('listitem');
    expect(within(errorSteps[1]).getByText('JsonParseError: Unexpected end of JSON input')).toBeTruthy();
    expect(errorSteps[1].querySelector('.dur')?.textContent?.trim()).toBe('≈12 µs');
    expect(errorSteps[0].querySelector('.dur')?.textContent?.trim()).toBe('2.0 µs');
    const dropSteps = within(screen.getByRole('list', { name: 'Steps of line 5' })).getAllByRole('listitem');
    expect(within(dropSteps[1]).getByText('bypassed')).toBeTruthy();
  });

  it('lists newest first and filters by final status, by processor and by text', async () => {
    render(JourneysView, { traces: traces([trace(1), dropped, trace(7), errored]), processors });
    expect(lineNumbers()).toEqual(['Line 9', 'Line 7', 'Line 5', 'Line 1']);

    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'error' } });
    expect(lineNumbers()).toEqual(['Line 9']);
    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'dropped' } });
    expect(lineNumbers()).toEqual(['Line 5']);
    await fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });

    await fireEvent.change(screen.getByLabelText('Processor'), { target: { value: 'error_counter' } });
    expect(lineNumbers()).toEqual(['Line 7', 'Line 1']);
    await fireEvent.change(screen.getByLabelText('Processor'), { target: { value: 'json' } });
    expect(lineNumbers()).toEqual(['Line 9', 'Line 5']);
    await fireEvent.change(screen.getByLabelText('Processor'), { target: { value: '' } });

    await fireEvent.input(screen.getByLabelText('Search traces'), { target: { value: 'NOISE' } });
    expect(lineNumbers()).toEqual(['Line 5']);
    // The text a processor made of the line counts too, and so do error messages.
    await fireEvent.input(screen.getByLabelText('Search traces'), { target: { value: '[error] line 7' } });
    expect(lineNumbers()).toEqual(['Line 7']);
    await fireEvent.input(screen.getByLabelText('Search traces'), { target: { value: 'end of json' } });
    expect(lineNumbers()).toEqual(['Line 9']);
    await fireEvent.input(screen.getByLabelText('Search traces'), { target: { value: 'nothing like this' } });
    expect(cards()).toHaveLength(0);
    expect(screen.getByText('No trace matches these filters.')).toBeTruthy();
  });

  it('shows the newest page of traces, then a page more on each "Show more"', async () => {
    // A page of 5, not the app's 100: the paging is the same, and jsdom draws 12 cards in no time.
    render(JourneysView, { traces: traces(Array.from({ length: 12 }, (_, i) => trace(i + 1))), processors, limit: 5, page: 5 });
    expect(lineNumbers()).toEqual(['Line 12', 'Line 11', 'Line 10', 'Line 9', 'Line 8']);

    await fireEvent.click(screen.getByRole('button', { name: 'Show more (7 older)' }));
    expect(lineNumbers()).toHaveLength(10);
    expect(lineNumbers()[9]).toBe('Line 3');
    await fireEvent.click(screen.getByRole('button', { name: 'Show more (2 older)' }));
    expect(lineNumbers()).toHaveLength(12);
    expect(lineNumbers()[11]).toBe('Line 1');
    expect(screen.queryByRole('button', { name: /Show more/ })).toBeNull();
  });

  it('renders a line that looks like HTML as text', () => {
    const text = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    render(JourneysView, {
      traces: traces([trace(4, { text, steps: [{ processor: 'level', status: 'emit', durationUs: 1, text: `<b>${text}</b>` }] })]),
      processors,
    });
    const card = screen.getByRole('article', { name: 'Line 4' });
    expect(within(card).getByText(text)).toBeTruthy();
    expect(card.querySelector('script, img, b')).toBeNull();
  });

  it('says when tracing was off for the run, and when nothing was traced yet', async () => {
    const { rerender } = render(JourneysView, { traces: traces([], { enabled: false, policy: null }), processors });
    expect(screen.getByText(/Tracing was off for this run/)).toBeTruthy();
    expect(screen.queryByLabelText('Status')).toBeNull();
    await rerender({ traces: traces([]) });
    expect(screen.getByText('No lines traced yet.')).toBeTruthy();
  });

  it('counts kept and traced lines', () => {
    render(JourneysView, { traces: traces([trace(1)], { seen: 48_213, kept: 1 }), processors });
    expect(screen.getByText(/1 kept of 48,213 traced/)).toBeTruthy();
  });
});
