// Midtrans times are Western Indonesia Time (UTC+7, no daylight saving): answers write
// "yyyy-MM-dd HH:mm:ss" with no zone, `custom_expiry.order_time` takes "yyyy-MM-dd HH:mm:ss +0700".
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const ANSWER_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** "2024-03-05 10:00:00 +0700" for 2024-03-05T03:00:00Z: the custom_expiry.order_time shape. */
export function formatOrderTime(date: Date): string {
  const iso = new Date(date.getTime() + WIB_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0700`;
}

/**
 * Reads an answer's time ("2024-03-05 10:00:00", WIB). Undefined for anything else, so a
 * surprising format costs a missing timestamp, never a wrong one.
 */
export function parseAnswerTime(text: string | undefined): Date | undefined {
  const match = text === undefined ? null : ANSWER_TIME.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const valid = new Date(local).toISOString().slice(0, 19) === `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  return valid ? new Date(local - WIB_OFFSET_MS) : undefined;
}
