/**
 * Wise's timestamps (PROVIDERS.md, "Wise"): ISO 8601 in UTC with or without milliseconds
 * ("2020-01-01T12:34:56Z"), or the space-separated "2020-01-01 12:34:56" of older answers, which is
 * also UTC. Stricter than `new Date(text)`, which reads "2024" as a date and an offset-less ISO
 * time in the server's own zone: a time without an offset is read as UTC, and anything that is not
 * a real calendar time is undefined.
 */
const WISE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

/** The instant a Wise timestamp names, or undefined when it is not one. */
export function parseWiseTime(value: string): Date | undefined {
  const match = WISE_TIME.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = "", offset = "Z"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const valid =
    Number(h) <= 23 &&
    Number(mi) <= 59 &&
    Number(s) <= 59 &&
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  if (!valid) return undefined;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${fraction.slice(0, 4)}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
