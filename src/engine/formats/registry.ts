/**
 * The built-in formats, most specific first: detection keeps the earlier format when two match
 * equally well (Spring Boot lines also read as generic log4j, combined access lines as common).
 */
import { logcatBrief, logcatThreadtime, logcatTime } from './android.ts';
import { bgl, hpc } from './hpc.ts';
import { hdfs, log4j, logback, springBoot, tomcat, zookeeper } from './jvm.ts';
import { glog, goLog } from './native.ts';
import { plain } from './plain.ts';
import { python, pythonDefault } from './python.ts';
import { jsonLines, logfmt } from './structured.ts';
import { syslog, syslog5424, syslogIso } from './syslog.ts';
import type { LogFormat } from './types.ts';
import { accessCombined, accessCommon, apacheError, nginxError } from './web.ts';
import { proxifier, windowsCbs } from './windows.ts';

export const ALL_FORMATS: readonly LogFormat[] = [
  jsonLines,
  logfmt,
  syslog5424,
  accessCombined,
  accessCommon,
  apacheError,
  nginxError,
  logcatThreadtime,
  logcatTime,
  logcatBrief,
  windowsCbs,
  bgl,
  hpc,
  hdfs,
  zookeeper,
  springBoot,
  python,
  pythonDefault,
  tomcat,
  logback,
  log4j,
  glog,
  proxifier,
  syslogIso,
  syslog,
  goLog,
  // Last, and never scored: it reads any line.
  plain,
];

export const PLAIN_FORMAT = plain;

const BY_ID = new Map(ALL_FORMATS.map((format) => [format.id, format]));

/** A built-in format by id (custom formats are the caller's: pass them to detectFormat). */
export function formatById(id: string): LogFormat | undefined {
  return BY_ID.get(id);
}
