import type { EventPublisher } from "@paymesh/queue";
import { isNull, readBigint, readInt, readText, type SqlClient, type SqlRow } from "@paymesh/store";
import { isVerdictClass, type VerdictClass } from "./verdict-class.ts";

/**
 * One discrepancy as published to the `payments.recon` topic exchange, routing key
 * `<adapter>.<class>`, JSON. Amounts are int64 minor units written as decimal strings (JSON
 * numbers lose precision past 2^53). No raw line: it is in the store, for whoever may read it.
 */
export interface DiscrepancyEvent {
  runId: string;
  adapter: string;
  businessDate: string;
  class: VerdictClass;
  /** The report line judged; absent for a payment no line settled. */
  lineNo?: number;
  paymentId?: string;
  providerReference?: string;
  /** The line's currency, else our payment's. */
  currency?: string;
  ourAmountMinor?: string;
  theirAmountMinor?: string;
  detail?: string;
}

/** The run whose discrepancies are published. */
export interface PublishedRun {
  runId: bigint;
  adapter: string;
  businessDate: string;
}

const PAGE = 500;

/**
 * Publishes every discrepancy of a completed run, page by page (a run may hold a million), each
 * confirmed by the broker before the next page is read. Message ids name the run, the verdict and
 * its class, so publishing a run again (a job delivered twice) sends the same ids and consumers
 * deduplicate. Returns the count per class.
 */
export async function publishDiscrepancies(
  sql: SqlClient,
  events: EventPublisher,
  run: PublishedRun,
): Promise<Map<VerdictClass, number>> {
  const counts = new Map<VerdictClass, number>();
  let after: [number, string] = [-1, ""];
  for (;;) {
    const rows = await sql.query(
      `SELECT coalesce(v.line_no, 2147483647) AS k, coalesce(v.payment_id, '') AS pk, v.line_no, v.payment_id,
         v.class, v.our_amount_minor, v.their_amount_minor, v.detail, l.provider_reference,
         coalesce(l.currency, p.currency) AS currency
       FROM recon_verdicts v
       LEFT JOIN recon_lines l ON l.run_id = v.run_id AND l.line_no = v.line_no
       LEFT JOIN payments p ON p.id = v.payment_id
       WHERE v.run_id = $1 AND v.discrepancy
         AND (coalesce(v.line_no, 2147483647), coalesce(v.payment_id, '')) > ($2::integer, $3::text)
       ORDER BY 1, 2 LIMIT ${PAGE}`,
      [run.runId, after[0], after[1]],
    );
    for (const row of rows) {
      const event = discrepancyEvent(run, row);
      const subject = event.lineNo === undefined ? `payment:${event.paymentId}` : `line:${event.lineNo}`;
      await events.publish(`${run.adapter}.${event.class}`, {
        id: `recon:${run.runId}:${subject}:${event.class}`,
        body: new TextEncoder().encode(JSON.stringify(event)),
        headers: { "content-type": "application/json" },
      });
      counts.set(event.class, (counts.get(event.class) ?? 0) + 1);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < PAGE) return counts;
    after = [readInt(last, "k"), readText(last, "pk")];
  }
}

function discrepancyEvent(run: PublishedRun, row: SqlRow): DiscrepancyEvent {
  const name = readText(row, "class");
  if (!isVerdictClass(name)) throw new Error(`recon_verdicts holds an unknown class ${JSON.stringify(name)}`);
  const text = (column: string) => (isNull(row, column) ? undefined : readText(row, column));
  const amount = (column: string) => (isNull(row, column) ? undefined : String(readBigint(row, column)));
  const fields = {
    lineNo: isNull(row, "line_no") ? undefined : readInt(row, "line_no"),
    paymentId: text("payment_id"),
    providerReference: text("provider_reference"),
    currency: text("currency"),
    ourAmountMinor: amount("our_amount_minor"),
    theirAmountMinor: amount("their_amount_minor"),
    detail: text("detail"),
  };
  return {
    runId: String(run.runId),
    adapter: run.adapter,
    businessDate: run.businessDate,
    class: name,
    ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
  };
}
