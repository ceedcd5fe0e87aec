// Setup of the jsdom test project (vite.config.ts `setupFiles`).
// @testing-library/jest-dom is not a dependency: tests assert on DOM properties with plain expect.

// jsdom has no matchMedia; uPlot and prefers-color-scheme checks call it.
if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    configurable: true,
    value: (query: string): MediaQueryList =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList,
  });
}
