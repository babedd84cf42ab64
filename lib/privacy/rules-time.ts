/**
 * Time stamps that reveal where the user is. Exports carry UTC only (`…Z` or `+00:00`), so a
 * stamp without a zone is local time (the framework writes naive local stamps in several stores)
 * and a stamp with a non-zero offset names the time zone outright: either one, next to the
 * export's UTC `createdAt`, tells the region (upstream L4, `TZ=Asia/Kolkata` → +05:30).
 */
const STAMP =
  /(?<!\d)\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?(?![\d:.])/g;

export function timeRules(text: string, out: string[]): void {
  if (text.length < 16 || !text.includes(':')) return;
  STAMP.lastIndex = 0;
  for (let m = STAMP.exec(text); m !== null; m = STAMP.exec(text)) {
    const zone = m[1];
    if (zone === undefined) out.push('time/naive-timestamp');
    else if (zone !== 'Z' && !/^[+-]00(?::?00)?$/.test(zone)) out.push('time/local-offset');
  }
}
