/**
 * A stand-in for uPlot in jsdom (no canvas there): it records what a component asks of the
 * chart — construction, setData, setSize, setScale, destroy — which is the wrapper's contract.
 *
 *   vi.mock('uplot', () => import('./uplot-mock.ts'));
 */
import { vi } from 'vitest';

type Options = Record<string, unknown> & { width: number; height: number; hooks?: Record<string, ((u: FakeUPlot) => void)[]> };

export class FakeUPlot {
  static instances: FakeUPlot[] = [];
  static paths = { bars: vi.fn(() => () => null) };
  static tzDate = (date: Date) => date;
  /** The next construction throws with this message (as uPlot would without a canvas). */
  static failNext: string | null = null;

  readonly root = document.createElement('div');
  readonly over = document.createElement('div');
  cursor: { idx: number | null; left: number } = { idx: null, left: -1 };
  select = { left: 0, top: 0, width: 0, height: 0 };
  width: number;
  height: number;
  data: unknown;

  setData = vi.fn((data: unknown, _resetScales?: boolean) => {
    this.data = data;
  });
  setSize = vi.fn(({ width, height }: { width: number; height: number }) => {
    this.width = width;
    this.height = height;
  });
  setScale = vi.fn((_key: string, _limits: { min: number; max: number }) => {});
  setSelect = vi.fn((_opts: unknown, _fire?: boolean) => {});
  redraw = vi.fn();
  /** Identity: a test picks pixel positions that are also the values. */
  posToVal = vi.fn((pos: number, _scale: string) => pos);
  destroy = vi.fn(() => this.root.remove());

  constructor(
    readonly opts: Options,
    data: unknown,
    readonly target: HTMLElement,
  ) {
    if (FakeUPlot.failNext !== null) {
      const message = FakeUPlot.failNext;
      FakeUPlot.failNext = null;
      throw new Error(message);
    }
    this.data = data;
    this.width = opts.width;
    this.height = opts.height;
    this.root.className = 'uplot';
    this.root.append(document.createElement('canvas'), this.over);
    target.append(this.root);
    FakeUPlot.instances.push(this);
  }

  /** Runs the chart's hooks of a kind, as uPlot would. */
  fire(hook: string): void {
    for (const fn of this.opts.hooks?.[hook] ?? []) fn(this);
  }

  /** A plain click on the plot at `left` (CSS px, which the identity posToVal makes the x value). */
  clickAt(left: number, idx: number | null = null): void {
    this.cursor = { idx, left };
    this.over.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  }

  static last(): FakeUPlot {
    const chart = FakeUPlot.instances.at(-1);
    if (!chart) throw new Error('no chart was created');
    return chart;
  }

  static reset(): void {
    FakeUPlot.instances = [];
  }
}

export default FakeUPlot;

/** ResizeObserver for jsdom: a test resizes the box by hand. */
export class FakeResizeObserver {
  static instances: FakeResizeObserver[] = [];
  readonly observed: Element[] = [];
  disconnected = false;

  constructor(private readonly callback: ResizeObserverCallback) {
    FakeResizeObserver.instances.push(this);
  }

  observe(target: Element): void {
    this.observed.push(target);
  }

  unobserve(): void {}

  disconnect(): void {
    this.disconnected = true;
  }

  resize(width: number, height = 200): void {
    const entry = { target: this.observed[0], contentRect: { width, height } } as unknown as ResizeObserverEntry;
    this.callback([entry], this as unknown as ResizeObserver);
  }

  static install(): void {
    FakeResizeObserver.instances = [];
    globalThis.ResizeObserver = FakeResizeObserver as unknown as typeof ResizeObserver;
  }
}
