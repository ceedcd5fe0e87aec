import { vi } from 'vitest';

export interface Download {
  name: string;
  blob: Blob;
}

/**
 * Catches what the app downloads (a Blob URL clicked on an `<a download>`): call in beforeEach;
 * `vi.restoreAllMocks()` in afterEach undoes the click spy. Returns the list it fills.
 */
export function captureDownloads(): Download[] {
  const downloads: Download[] = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = vi.fn((blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ name: this.download, blob: blobs.get(this.href) as Blob });
  });
  return downloads;
}
