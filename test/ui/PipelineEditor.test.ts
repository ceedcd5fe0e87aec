import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import PipelineEditor from '../../src/ui/PipelineEditor.svelte';
import { PRESETS } from '../../src/ui/presets.ts';

const seed = PRESETS.find((p) => p.name === 'Seed example')!.text;

function setup(props: Partial<Parameters<typeof render<typeof PipelineEditor>>[1] & object> = {}) {
  const callbacks = { onapply: vi.fn(), onpreset: vi.fn(), onimport: vi.fn() };
  render(PipelineEditor, { text: seed, applied: { name: 'Seed example', text: seed }, issues: [], ...callbacks, ...props });
  return callbacks;
}

describe('PipelineEditor', () => {
  it('shows the pipeline text, the matching preset and which pipeline is applied', () => {
    setup();
    expect((screen.getByLabelText('Pipeline config (JSON)') as HTMLTextAreaElement).value).toBe(seed);
    expect((screen.getByLabelText('Pipeline preset') as HTMLSelectElement).value).toBe('Seed example');
    expect(screen.getByText('Seed example', { selector: 'strong' })).toBeTruthy();
  });

  it('lists each config issue as path: message in an alert', () => {
    setup({
      issues: [
        { path: 'processors[2].pattern', message: 'invalid regular expression: Unterminated group' },
        { path: 'processors[0].type', message: 'unknown processor type "nope"' },
      ],
    });
    const items = [...screen.getByRole('alert').querySelectorAll('li')].map((li) => li.textContent);
    expect(items).toEqual([
      'processors[2].pattern: invalid regular expression: Unterminated group',
      'processors[0].type: unknown processor type "nope"',
    ]);
  });

  it('shows no alert when the config has no issues', () => {
    setup();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('applies the edited text and marks edits as not yet applied', async () => {
    const { onapply } = setup();
    const edited = '{"processors":[{"type":"uppercase"}]}';
    await fireEvent.input(screen.getByLabelText('Pipeline config (JSON)'), { target: { value: edited } });
    expect(screen.getByText(/edits not applied/)).toBeTruthy();
    expect((screen.getByLabelText('Pipeline preset') as HTMLSelectElement).value).toBe('');

    await fireEvent.click(screen.getByRole('button', { name: 'Apply pipeline' }));
    expect(onapply).toHaveBeenCalledWith(edited);
  });

  it('hands the file picked with "Import pipeline" to the callback', async () => {
    const { onimport } = setup();
    const input = screen.getByLabelText('Import pipeline') as HTMLInputElement;
    const file = new File([seed], 'pipeline.json', { type: 'application/json' });
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    expect(onimport).toHaveBeenCalledWith(file);
  });

  it('asks for the chosen preset', async () => {
    const { onpreset } = setup();
    await fireEvent.change(screen.getByLabelText('Pipeline preset'), { target: { value: 'Route by level' } });
    expect(onpreset).toHaveBeenCalledWith('Route by level');
  });
});
