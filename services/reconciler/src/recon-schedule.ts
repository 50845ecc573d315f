/** When one adapter's daily run falls due. */
export interface AdapterSchedule {
  /**
   * The cut-off: a business day ends at midnight in this time zone.
   * @default "Asia/Jakarta" (00:00 WIB)
   */
  timeZone: string;
  /** How long after the cut-off the provider's report for the day is complete (T+1: a day). */
  settlementLagMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day `at` falls on in `timeZone`, "YYYY-MM-DD". */
export function dateIn(at: Date, timeZone: string): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

/** `date` moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The business dates whose run is due at `now`, newest first: the latest day whose cut-off plus
 * settlement lag has passed, and the `lookBackDays - 1` days before it. A reconciler that was down
 * finds the days it missed among them; days already run are the scheduler's to skip.
 */
export function dueBusinessDates(now: Date, schedule: AdapterSchedule, lookBackDays: number): string[] {
  // Day d is due once midnight after d, plus the lag, has passed: d + 1 <= the date at now − lag.
  const latest = addDays(dateIn(new Date(now.getTime() - schedule.settlementLagMs), schedule.timeZone), -1);
  return Array.from({ length: lookBackDays }, (_, back) => addDays(latest, -back));
}
