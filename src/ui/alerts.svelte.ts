/**
 * Alerts of the shown run as the UI holds them: the list (live from snapshots, or a report's),
 * what a person does with one (through the engine, which answers with the whole new list), and
 * desktop notifications for alerts that start firing while the tab is hidden.
 */
import { alertUnit, alertValueText, type AlertUserAction, type AlertView } from '../worker/client.ts';
import { formatClock } from './format.ts';

/** `untilMs`: for `suppress`, until when (epoch ms); null: until the run ends. */
export type AlertActionCall = (id: string, action: AlertUserAction, untilMs?: number | null) => Promise<AlertView[] | null>;

/** How long "Suppress for" lasts; null: until the run ends. */
export const SUPPRESS_CHOICES: readonly { label: string; ms: number | null }[] = [
  { label: '15 min', ms: 15 * 60_000 },
  { label: '1 h', ms: 3_600_000 },
  { label: '8 h', ms: 8 * 3_600_000 },
  { label: 'until the run ends', ms: null },
];

/**
 * How long a suppressed alert stays so, as its badge says it: "until 14:05:00", "until the run
 * ends" while the run is live, and once it has ended, "for the run".
 */
export function suppressedFor(until: string | null | undefined, running: boolean): string {
  if (until === undefined) return '';
  if (until === null) return running ? 'until the run ends' : 'for the run';
  return `until ${formatClock(until).slice(0, 8)}`;
}

/** The end of a suppression in the audit trail: "14:05:00", or "the run ends". */
export function suppressionEnd(until: string | null): string {
  return until === null ? 'the run ends' : formatClock(until).slice(0, 8);
}

/** Why a stored or imported run's alerts cannot be changed (its engine is gone). */
export const STORED_RUN_READ_ONLY = 'This run was opened from storage: its alerts are a record and cannot be changed.';
const ENGINE_GONE = 'Nothing changed: the alert is no longer in a state that allows this, or the engine no longer holds this run.';

export type NotificationState = NotificationPermission | 'unsupported';

function notificationApi(): typeof Notification | undefined {
  return typeof globalThis.Notification === 'function' ? globalThis.Notification : undefined;
}

const STATE_RANK: Record<AlertView['state'], number> = { firing: 0, acknowledged: 1, suppressed: 2, resolved: 3 };

export class AlertsState {
  /** Firing first, then acknowledged, suppressed, resolved; replaced whole. */
  list = $state.raw<AlertView[]>([]);
  /** Why actions are off (a stored run); null: they work. */
  readOnly = $state<string | null>(null);
  /** The alert whose action is on its way to the engine. */
  pending = $state<string | null>(null);
  /** The outcome of the last action, when it needs words. */
  message = $state<string | null>(null);
  permission = $state<NotificationState>(notificationApi()?.permission ?? 'unsupported');
  readonly firing = $derived(this.list.filter((a) => a.state === 'firing'));
  /** Called when a desktop notification is clicked (e.g. to show the Alerts tab). */
  onopen: (() => void) | null = null;

  /** Alert id → the firedAt it was last seen firing with: a new firedAt is a new firing. */
  private readonly seen = new Map<string, string | null>();
  /** What the list looked like, so ten identical updates a second change nothing. */
  private key = '';
  /** Bumped by reset(): an answer for a previous run is dropped. */
  private generation = 0;

  constructor(private readonly call: AlertActionCall) {}

  /** A new run starts. */
  reset(): void {
    this.generation++;
    this.list = [];
    this.readOnly = null;
    this.pending = null;
    this.message = null;
    this.seen.clear();
    this.key = '';
  }

  /** A live snapshot's alerts: newly firing ones may notify. */
  update(alerts: readonly AlertView[] | undefined): void {
    if (!alerts) return;
    const key = keyOf(alerts);
    if (key === this.key) return;
    this.key = key;
    for (const alert of alerts) {
      if (alert.state !== 'firing') continue;
      if (this.seen.has(alert.id) && this.seen.get(alert.id) === alert.firedAt) continue;
      this.seen.set(alert.id, alert.firedAt);
      this.notify(alert);
    }
    this.list = sorted(alerts);
  }

  /** A report's alerts (finished, stored or imported run): no notifications; `readOnly` says why actions are off. */
  load(alerts: readonly AlertView[] | undefined, readOnly: string | null = null): void {
    this.readOnly = readOnly;
    if (!alerts) return;
    for (const alert of alerts) if (alert.state === 'firing') this.seen.set(alert.id, alert.firedAt);
    this.key = keyOf(alerts);
    this.list = sorted(alerts);
  }

  /** Acknowledge, resolve, suppress (until `untilMs`, epoch ms; null: until the run ends) or unsuppress; whether it took. */
  async act(id: string, action: AlertUserAction, untilMs?: number | null): Promise<boolean> {
    if (this.readOnly !== null || this.pending !== null) return false;
    const generation = this.generation;
    this.pending = id;
    this.message = null;
    try {
      const alerts = await this.call(id, action, untilMs);
      if (generation !== this.generation) return false;
      if (!alerts) {
        this.message = ENGINE_GONE;
        return false;
      }
      for (const alert of alerts) if (alert.state === 'firing') this.seen.set(alert.id, alert.firedAt);
      this.key = keyOf(alerts);
      this.list = sorted(alerts);
      return true;
    } catch (error) {
      if (generation === this.generation) this.message = `The alert could not be changed: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    } finally {
      if (generation === this.generation) this.pending = null;
    }
  }

  /** Asks the browser for permission; only ever called from a click. */
  async enableNotifications(): Promise<void> {
    const api = notificationApi();
    if (!api) {
      this.permission = 'unsupported';
      return;
    }
    try {
      this.permission = await api.requestPermission();
    } catch {
      this.permission = api.permission;
    }
  }

  /** A desktop notification, only when the tab is hidden and the user allowed them. */
  private notify(alert: AlertView): void {
    const api = notificationApi();
    if (!api || api.permission !== 'granted' || typeof document === 'undefined' || document.visibilityState !== 'hidden') return;
    try {
      const notification = new api(`Alert firing: ${alert.name}`, {
        body: `${alert.processor ? `Processor ${alert.processor}. ` : ''}Severity ${alert.severity}. ${describeValue(alert)}`,
        tag: `linesight-alert-${alert.id}`,
      });
      notification.onclick = () => {
        window.focus();
        this.onopen?.();
        notification.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker; the header still shows it.
    }
  }
}

function keyOf(alerts: readonly AlertView[]): string {
  return alerts.map((a) => `${a.id}\u0000${a.state}\u0000${a.firedAt}\u0000${a.history.length}\u0000${a.suppressedUntil ?? ''}`).join('\u0001');
}

function sorted(alerts: readonly AlertView[]): AlertView[] {
  return alerts.toSorted((a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || (b.firedAt ?? '').localeCompare(a.firedAt ?? ''));
}

/** An alert's value in its rule's unit: "20%", "open", "1,250 µs", "812 lines/s". */
export function formatAlertValue(alert: Pick<AlertView, 'rule' | 'unit'>, value: number | null): string {
  return alertValueText(alertUnit(alert), value);
}

/** "value 20% (threshold 5%)". */
export function describeValue(alert: AlertView): string {
  return `Value ${formatAlertValue(alert, alert.value)} (threshold ${formatAlertValue(alert, alert.threshold)}).`;
}
