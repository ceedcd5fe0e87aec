import type { CustomFormatSpec, FormatInfo, FormatSection } from '../worker/client.ts';

const FAMILY_LABELS: Record<string, string> = {
  structured: 'Structured (JSON, logfmt)',
  syslog: 'Syslog',
  web: 'Web servers',
  jvm: 'Java (JVM)',
  python: 'Python',
  android: 'Android',
  native: 'Native (Go, glog)',
  windows: 'Windows',
  hpc: 'HPC and supercomputers',
  generic: 'Generic',
  custom: 'Custom',
};

export interface FormatGroup {
  family: string;
  label: string;
  formats: FormatInfo[];
}

/** The formats grouped by family, families in the order their first format comes (plain text last). */
export function formatGroups(formats: readonly FormatInfo[]): FormatGroup[] {
  const groups = new Map<string, FormatGroup>();
  for (const format of formats) {
    let group = groups.get(format.family);
    if (!group) groups.set(format.family, (group = { family: format.family, label: FAMILY_LABELS[format.family] ?? format.family, formats: [] }));
    group.formats.push(format);
  }
  return [...groups.values()];
}

/** The user's custom formats (first, as detection tries them) and the built-in ones, for the format list. */
export function withCustomFormats(builtIn: readonly FormatInfo[], custom: readonly CustomFormatSpec[]): FormatInfo[] {
  const mine = custom.map(({ id, name, description, pattern }) => ({ id, name, family: 'custom', description: description ?? `Custom: ${pattern}` }));
  return [...mine, ...builtIn];
}

/** "Format: Log4j (detected, 99%)" or "Format: Syslog (chosen)". */
export function formatLine(format: FormatSection): string {
  const how = format.overridden ? 'chosen' : `detected, ${Math.round(format.confidence * 100)}%`;
  return `Format: ${format.name} (${how})`;
}

/** The offsets of the world's time zones (minutes east of UTC): whole hours and the few others in use. */
const ZONE_OFFSETS = [
  ...Array.from({ length: 27 }, (_, i) => (i - 12) * 60),
  -570, -210, -150, 210, 270, 330, 345, 390, 525, 570, 630, 765, 825,
].sort((a, b) => a - b);

/** "UTC", "UTC+05:30", "UTC-03:30". */
export function zoneLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The choices of "Time zone" (for timestamps written without one): every offset in use, the
 * computer's current one marked. A fixed offset, not a named zone: a log that crosses a change
 * of daylight saving time is read with one offset throughout.
 */
export function timeZoneOptions(localMinutes: number, chosenMinutes = 0): { minutes: number; label: string }[] {
  // The computer's offset and the chosen one are listed even if this list lacks them.
  const offsets = [...new Set([...ZONE_OFFSETS, localMinutes, chosenMinutes])].sort((a, b) => a - b);
  return offsets.map((minutes) => ({
    minutes,
    label: `${zoneLabel(minutes)}${minutes === localMinutes ? ' (this computer now)' : ''}`,
  }));
}
