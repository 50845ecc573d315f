/**
 * SNAP timestamps (`X-TIMESTAMP`, `validityPeriod`, `paidTime`) are ISO 8601 local times with an
 * explicit offset, `yyyy-MM-ddTHH:mm:ss+07:00` (docs/providers.md, "Bank Indonesia SNAP"). Banks sign the
 * exact string, so formatting must be byte-stable: no milliseconds, never `Z`.
 */

const WIB_OFFSET_MINUTES = 420;

const SNAP_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2}):(\d{2})|Z)$/;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * Formats an instant as a SNAP timestamp in the given UTC offset (default +07:00, Western
 * Indonesia Time, which is what Indonesian banks send and expect).
 */
export function snapTimestamp(date: Date, offsetMinutes = WIB_OFFSET_MINUTES): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("snapTimestamp: invalid Date");
  if (!Number.isInteger(offsetMinutes) || Math.abs(offsetMinutes) > 14 * 60) {
    throw new RangeError(`snapTimestamp: offset ${offsetMinutes} minutes is not a valid UTC offset`);
  }
  // Shift the instant so the UTC getters read the wall clock at the wanted offset.
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * Parses a SNAP timestamp into an instant. Accepts fractional seconds and `Z`, which some banks
 * send, but rejects anything that is not a real calendar time with an explicit offset: an offset-less
 * time would silently be read in the server's own zone.
 */
export function parseSnapTimestamp(value: string): Date {
  const match = SNAP_TIMESTAMP.exec(value);
  if (match === null) {
    throw new RangeError(`"${value}" is not a SNAP timestamp (yyyy-MM-ddTHH:mm:ss+07:00)`);
  }
  const [, y, mo, d, h, mi, s, fraction = "", sign, oh = "00", om = "00"] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offset = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(wall);
  const valid =
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    Number(om) <= 59 &&
    Math.abs(offset) <= 14 * 60 &&
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day;
  if (!valid) throw new RangeError(`"${value}" is not a valid calendar time`);
  return new Date(wall - offset * 60_000);
}

/**
 * The calendar day (`yyyy-MM-dd`) of an instant at an offset. SNAP scopes X-EXTERNAL-ID
 * uniqueness and settlement reports to the Indonesian business day, not the UTC one.
 */
export function snapDate(date: Date, offsetMinutes = WIB_OFFSET_MINUTES): string {
  return snapTimestamp(date, offsetMinutes).slice(0, 10);
}
