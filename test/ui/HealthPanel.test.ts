import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import HeaderStatus from '../../src/ui/HeaderStatus.svelte';
import HealthPanel from '../../src/ui/HealthPanel.svelte';
import type { HealthSection } from '../../src/worker/client.ts';

const healthy: HealthSection = { status: 'HEALTHY', reasons: [], bottleneck: { processor: 'parse', linesPerSec: 1_250_000 }, recentThroughputLps: 812_345 };

describe('HealthPanel', () => {
  it('says HEALTHY in words, with a symbol and colour class, the bottleneck with its lines/s and the recent throughput', () => {
    render(HealthPanel, { health: healthy });
    const panel = screen.getByRole('region', { name: 'Health' });
    const status = within(panel).getByText('HEALTHY', { exact: false });
    expect(status.textContent?.trim()).toBe('✓ HEALTHY');
    expect(status.className).toContain('ok');
    expect(within(panel).getByText('Nothing needs attention.')).toBeTruthy();
    expect(within(panel).queryByRole('list', { name: 'Reasons' })).toBeNull();
    const facts = within(panel).getAllByRole('definition').map((dd) => dd.textContent?.replace(/\s+/g, ' ').trim());
    expect(facts).toEqual(['parse 1.25 M lines/s', '812,345 lines/s']);
    // No memory figure unless the browser reported one.
    expect(panel.textContent).not.toContain('Peak memory');
  });

  it('lists the reasons of DEGRADED and UNHEALTHY, and the peak memory where reported', async () => {
    const { rerender } = render(HealthPanel, {
      health: { ...healthy, status: 'DEGRADED', reasons: ["errors in 'parse': 4.2% of lines (threshold 1%)"], peakMemoryBytes: 96 * 1024 * 1024 },
    });
    let panel = screen.getByRole('region', { name: 'Health' });
    expect(within(panel).getByText('DEGRADED', { exact: false }).className).toContain('warn');
    expect(within(within(panel).getByRole('list', { name: 'Reasons' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      "errors in 'parse': 4.2% of lines (threshold 1%)",
    ]);
    expect(panel.textContent).toContain('Peak memory');
    expect(panel.textContent).toContain('96.0 MB');

    await rerender({
      health: {
        status: 'UNHEALTHY',
        reasons: ["circuit of 'parse' is open, and it is the bottleneck", "errors in 'parse': 40% of lines (threshold 1%, unhealthy above 10%)"],
        bottleneck: null,
        recentThroughputLps: 0,
      },
    });
    panel = screen.getByRole('region', { name: 'Health' });
    const status = within(panel).getByText((_, el) => el?.classList.contains('status') === true);
    expect(status.textContent?.trim()).toBe('✕ UNHEALTHY');
    expect(status.className).toContain('bad');
    expect(within(panel).getAllByRole('listitem')).toHaveLength(2);
    expect(panel.textContent).toContain('none yet');
  });
});

describe('HeaderStatus', () => {
  it('shows the health as a badge with its status in words, and opens the charts on a click', async () => {
    const onhealth = vi.fn();
    render(HeaderStatus, { health: { ...healthy, status: 'DEGRADED', reasons: ['throughput collapsed'] }, firing: 0, onhealth, onalerts: () => {} });
    const badge = screen.getByRole('button', { name: /Health: DEGRADED/ });
    expect(badge.getAttribute('title')).toBe('throughput collapsed');
    await fireEvent.click(badge);
    expect(onhealth).toHaveBeenCalledOnce();
    // The live region is there before any alert fires, and empty.
    expect(screen.getByRole('status').textContent?.trim()).toBe('');
  });

  it('announces firing alerts in a status region; a click opens the alerts', async () => {
    const onalerts = vi.fn();
    const { rerender } = render(HeaderStatus, { health: null, firing: 1, onhealth: () => {}, onalerts });
    expect(screen.queryByRole('button', { name: /Health/ })).toBeNull();
    expect(within(screen.getByRole('status')).getByRole('button').textContent?.trim()).toBe('1 alert firing');
    await rerender({ firing: 2 });
    await fireEvent.click(screen.getByRole('button', { name: '2 alerts firing' }));
    expect(onalerts).toHaveBeenCalledOnce();
  });
});
