/**
 * How long a Blob URL outlives its click. Revoking at once can cancel a download the browser
 * has not started reading yet (a multi-GB file from disk takes a moment); FileSaver.js waits 40 s.
 */
const REVOKE_AFTER_MS = 40_000;

/** Saves a Blob (or a disk-backed File) under a name, without reading it into memory. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
