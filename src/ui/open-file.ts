/**
 * Telling a Linesight report from a log, for files that arrive without saying which they are
 * (dropped on the page, picked with "Open log file", opened from the operating system or from
 * Recent files). Only the head of the file is read: a log may be gigabytes.
 */

/** How much of a `.json` file is read to recognise a report. */
export const REPORT_SNIFF_BYTES = 64 * 1024;

const SCHEMA_MARK = /"schema"\s*:\s*"linesight\.report\//;

/**
 * A report is a `.json` file (by name or type) that is one JSON object naming
 * `"schema": "linesight.report/…"` in its first 64 KiB (Linesight writes it first). Anything
 * else — JSON lines logs named `.json` too — is a log. A file that looks like a report but is
 * broken is still a report: importing it says what is wrong, rather than running it as a log.
 */
export async function isReportFile(file: File): Promise<boolean> {
  if (!/\.json$/i.test(file.name) && file.type !== 'application/json') return false;
  let head: string;
  try {
    head = await file.slice(0, REPORT_SNIFF_BYTES).text();
  } catch {
    return false; // unreadable: the log run says why
  }
  return head.replace(/^\uFEFF/, '').trimStart().startsWith('{') && SCHEMA_MARK.test(head);
}
