// Midtrans writes times as "yyyy-MM-dd HH:mm:ss" in Western Indonesia Time (UTC+7, no daylight
// saving), without a zone; `custom_expiry.order_time` carries one: "yyyy-MM-dd HH:mm:ss +0700".
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/;

/** "2024-03-05 10:00:00" for 2024-03-05T03:00:00Z: Midtrans's transaction_time shape. */
export function wibDateTime(date: Date): string {
  const iso = new Date(date.getTime() + WIB_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** "2024-03-05": the WIB calendar day a moment falls on (settlement reports are per WIB day). */
export function wibDate(date: Date): string {
  return wibDateTime(date).slice(0, 10);
}

/**
 * Parses either shape; a time without a zone is WIB. Undefined when malformed or not a real
 * calendar time (month 13, 25 o'clock).
 */
export function parseWibDateTime(text: string): Date | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offsetMs =
    sign === undefined ? WIB_OFFSET_MS : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  const date = new Date(local - offsetMs);
  const roundTrip = new Date(local).toISOString().slice(0, 19).replace("T", " ");
  return roundTrip === text.slice(0, 19) ? date : undefined;
}
