import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import FileOpen from '../../src/ui/FileOpen.svelte';

/** jsdom has no DataTransfer; the component reads only `types` and `files`. */
function dataTransfer(files: File[]) {
  return { types: files.length ? ['Files'] : ['text/plain'], files, dropEffect: 'none' };
}

describe('FileOpen', () => {
  it('hands the file picked with "Open log file" to the callback, whatever its extension', async () => {
    const onfile = vi.fn();
    render(FileOpen, { onfile, onsample: () => {} });
    const input = screen.getByLabelText('Open log file') as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('');
    const file = new File(['a\nb\n'], 'syslog.1');
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await fireEvent.change(input);
    expect(onfile).toHaveBeenCalledWith(file);
  });

  it('runs the sample from its button', async () => {
    const onsample = vi.fn();
    render(FileOpen, { onfile: () => {}, onsample });
    await fireEvent.click(screen.getByRole('button', { name: 'Try a sample log' }));
    expect(onsample).toHaveBeenCalledOnce();
  });

  it('shows the drop overlay while a file is dragged over the window and runs the dropped file', async () => {
    const onfile = vi.fn();
    render(FileOpen, { onfile, onsample: () => {} });
    const file = new File(['x\n'], 'app.log.gz');
    expect(screen.queryByText('Drop a log file to analyze it')).toBeNull();

    await fireEvent.dragOver(window, { dataTransfer: dataTransfer([file]) });
    expect(screen.getByText('Drop a log file to analyze it')).toBeTruthy();

    await fireEvent.drop(window, { dataTransfer: dataTransfer([file]) });
    expect(onfile).toHaveBeenCalledWith(file);
    expect(screen.queryByText('Drop a log file to analyze it')).toBeNull();
  });

  it('ignores drags and drops that carry no file', async () => {
    const onfile = vi.fn();
    render(FileOpen, { onfile, onsample: () => {} });
    await fireEvent.dragOver(window, { dataTransfer: dataTransfer([]) });
    expect(screen.queryByText('Drop a log file to analyze it')).toBeNull();
    await fireEvent.drop(window, { dataTransfer: dataTransfer([]) });
    expect(onfile).not.toHaveBeenCalled();
  });
});
