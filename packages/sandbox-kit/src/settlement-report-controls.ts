import type { IncomingMessage } from "node:http";
import { readJsonObject } from "./control-api.ts";
import { ControlError } from "./control-error.ts";
import {
  applyDiscrepancies,
  type Discrepancy,
  dayReportSource,
  type Pricing,
  parseDiscrepancies,
  parseSynthesis,
  type ReportCandidate,
  type ReportSource,
  type Synthesis,
  synthesizedSource,
} from "./settlement-report.ts";

/** How one simulator builds a day's report: what it processed, its price, its day boundaries. */
export interface ReportBasis {
  /** Every transaction the simulator processed whose business date is `date`, in time order. */
  candidates(date: string): ReportCandidate[];
  price: Pricing;
  /** The instant the business day `date` starts (00:00 WIB, or 00:00 UTC for Wise). */
  dayStart(date: string): Date;
  /** The currency the provider settles in: of synthesized lines, and of the declared totals. */
  currency: string;
  /** Whether the report declares control totals (a file's trailer); if not, batch-total-wrong is refused. */
  declaresTotals: boolean;
}

/**
 * What a test set up for a day's report with `POST /sim/settlement-report`: discrepancies to
 * inject into the real report, or a synthesized report instead of it.
 */
export interface SettlementReportControls {
  /** The report of `date` as the provider would deliver it now. */
  source(date: string): ReportSource;
  /** `POST /sim/settlement-report` `{date, discrepancies?}` or `{date, synthesize: {lines, seed}}`; `{date}` alone clears the day. */
  control(request: IncomingMessage): Promise<Record<string, unknown>>;
  clear(): void;
}

/** Creates a simulator's report controls over its {@link ReportBasis}. */
export function createSettlementReportControls(basis: ReportBasis): SettlementReportControls {
  const setups = new Map<string, { discrepancies: Discrepancy[] } | { synthesis: Synthesis }>();
  return {
    source(date) {
      const setup = setups.get(date);
      if (setup !== undefined && "synthesis" in setup) {
        return synthesizedSource(setup.synthesis, {
          dayStart: basis.dayStart(date),
          currency: basis.currency,
          price: basis.price,
        });
      }
      const discrepancies = setup?.discrepancies ?? [];
      return dayReportSource(
        applyDiscrepancies(basis.candidates(date), discrepancies, { date, price: basis.price }),
        basis.currency,
      );
    },
    async control(request) {
      const body = await readJsonObject(request);
      const date = body.date;
      if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        throw new ControlError(400, "date must be YYYY-MM-DD");
      }
      if (body.synthesize !== undefined && body.discrepancies !== undefined) {
        throw new ControlError(400, "give discrepancies or synthesize, not both");
      }
      if (body.synthesize !== undefined) {
        const synthesis = parseSynthesis(body.synthesize);
        setups.set(date, { synthesis });
        return { date, synthesized: synthesis.lines };
      }
      if (body.discrepancies === undefined) {
        setups.delete(date);
        return { date, discrepancies: 0 };
      }
      const discrepancies = parseDiscrepancies(body.discrepancies, basis.candidates(date));
      if (!basis.declaresTotals && discrepancies.some((d) => d.class === "batch-total-wrong")) {
        throw new ControlError(400, "this provider's report declares no batch totals to get wrong");
      }
      setups.set(date, { discrepancies });
      return { date, discrepancies: discrepancies.length };
    },
    clear: () => setups.clear(),
  };
}

/**
 * A simulator's control actions whose `reset` (`POST /sim/reset`) also forgets every report
 * setup, so a test that resets gets the plain report back.
 */
export function withReportReset<A extends { reset(): void }>(
  actions: A,
  report: SettlementReportControls,
): A {
  return {
    ...actions,
    reset() {
      actions.reset();
      report.clear();
    },
  };
}
