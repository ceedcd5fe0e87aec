// The sync access handle exists only in dedicated workers, so TypeScript's DOM lib lacks it
// (and the WebWorker lib cannot be combined with DOM). Just what output.ts uses.
interface FileSystemSyncAccessHandle {
  write(buffer: AllowSharedBufferSource, options?: { at?: number }): number;
  truncate(size: number): void;
  getSize(): number;
  flush(): void;
  close(): void;
}

interface FileSystemFileHandle {
  createSyncAccessHandle(): Promise<FileSystemSyncAccessHandle>;
}

interface FileSystemDirectoryHandle {
  keys(): AsyncIterableIterator<string>;
}
