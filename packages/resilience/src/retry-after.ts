/** The start of an HTTP-date in any of its three forms: "Sun, 06 Nov 1994 …", "Sunday, 06-Nov-94 …", "Sun Nov  6 …". */
const HTTP_DATE_START = /^[A-Za-z]{3,9},? /;

/**
 * Milliseconds a Retry-After header asks the client to wait (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date, compared with `now`), or undefined when it is absent or unreadable. Anything else —
 * "1.5", a bare ISO date — is undefined rather than guessed, because Date.parse accepts far more than
 * HTTP dates and would turn "1.5" into a day in 2001.
 */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!HTTP_DATE_START.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
