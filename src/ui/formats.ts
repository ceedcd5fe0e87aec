import type { FormatInfo, FormatSection } from '../worker/client.ts';

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

/** "Format: Log4j (detected, 99%)" or "Format: Syslog (chosen)". */
export function formatLine(format: FormatSection): string {
  const how = format.overridden ? 'chosen' : `detected, ${Math.round(format.confidence * 100)}%`;
  return `Format: ${format.name} (${how})`;
}
