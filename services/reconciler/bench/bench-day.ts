import { type SettlementLine, VERDICT_CLASSES, type VerdictClass } from "../src/index.ts";
import { seededPermutation } from "./seeded-permutation.ts";

/** The business day every bench run reconciles, and its first instant (00:00 WIB). */
export const DAY = "2026-12-03";
export const DAY_START = Date.parse("2026-12-02T17:00:00Z");
/** QRIS terms: MDR 0.7% plus VAT 11% on it, settled T+1. */
export const RATE_PPM = 7_000n;
export const TAX_PPM = 110_000n;

// A settlement file's trailer closes every batch of about this many lines.
const LINES_PER_BATCH = 250;

/** What a payment of the day is made to look like in the report (or in our store). */
const PAYMENT_INJECTIONS = [
  "amount_mismatch",
  "currency_mismatch",
  "status_mismatch",
  "fee_mismatch",
  "missing_at_provider",
  "duplicate_settlement",
  "unrecorded_refund",
] as const;
/** Lines of the report that settle no payment of ours. */
const EXTRA_LINES = ["missing_internal", "adjustment", "unreadable"] as const;

/**
 * One benchmark day, all derived from (lines, seed): `dayPayments` payments succeeded in the
 * business day and the rest the day before (in the store, not in this report, and not judged);
 * the report has exactly `lines` lines, `batches` of them batch trailers; `perClass` of each
 * discrepancy class are injected at places the seed picks.
 */
export interface BenchDay {
  lines: number;
  seed: number;
  perClass: number;
  payments: number;
  dayPayments: number;
  batches: number;
  /** The payment (0 … dayPayments-1) made FAILED in our store though the report settles it. */
  failedPayments: () => Generator<number>;
  /** Verdicts a correct engine gives for the day, by class. */
  expected: Record<VerdictClass, number>;
  /** The report, line by line, never held whole. */
  report: () => AsyncGenerator<SettlementLine>;
}

/** The day for an N-line report: 1,000 of each class from a million lines, one per thousand below. */
export function benchDay(lines: number, seed: number): BenchDay {
  const perClass = Math.min(1_000, Math.floor(lines / 1_000));
  const batches = Math.ceil(lines / (LINES_PER_BATCH + 1));
  const transactions = lines - batches;
  // Each duplicate and refund adds a line to its payment's, each missing-at-provider takes one away.
  const dayPayments = transactions - perClass - EXTRA_LINES.length * perClass;
  const permutePayments = seededPermutation(dayPayments, seed);
  const permuteBatches = seededPermutation(batches, seed + 1);
  const injection = (payment: number) => {
    const slot = Math.floor(permutePayments(payment) / perClass);
    return PAYMENT_INJECTIONS[slot];
  };
  const mismatchedBatch = (batch: number) => permuteBatches(batch) < perClass;

  // Every class but matched is injected perClass times. Matched: the lines that settle their
  // payment as it is, the first line of each duplicate, each refunded payment's own line, and the
  // batch trailers that add up.
  const matched = dayPayments - 5 * perClass + batches - perClass;
  const expected = Object.fromEntries(
    VERDICT_CLASSES.map((name) => [name, name === "matched" ? matched : perClass]),
  ) as Record<VerdictClass, number>;

  function* failedPayments(): Generator<number> {
    for (let i = 0; i < dayPayments; i++) if (injection(i) === "status_mismatch") yield i;
  }

  async function* report(): AsyncGenerator<SettlementLine> {
    const extras = EXTRA_LINES.length * perClass;
    let nextExtra = 0;
    let transaction = 0;
    let batch = { gross: 0n, net: 0n, lines: 0, unreadable: 0 };
    const batchOf = (t: number) => Math.floor((t * batches) / transactions);
    // Emits `line` into the current batch, then the batch's trailer when the batch is full.
    function* add(line: SettlementLine): Generator<SettlementLine> {
      const id = batchOf(transaction);
      if (line.kind === "unreadable") batch.unreadable += 1;
      else if (line.kind === "transaction" && line.currency === "IDR") {
        batch.gross += line.gross;
        batch.net += line.net;
        batch.lines += 1;
      }
      yield line.kind === "batch_total" ? line : { ...line, batchId: batchName(id) };
      transaction += 1;
      if (transaction === transactions || batchOf(transaction) !== id) {
        const off = mismatchedBatch(id) ? 100n : 0n;
        yield {
          kind: "batch_total",
          batchId: batchName(id),
          currency: "IDR",
          gross: batch.gross + off,
          net: batch.net + off,
          lineCount: batch.lines + batch.unreadable,
          businessDate: DAY,
          rawLine: `T;${batchName(id)};${batch.gross + off};${batch.net + off}`,
        };
        batch = { gross: 0n, net: 0n, lines: 0, unreadable: 0 };
      }
    }

    for (let i = 0; i < dayPayments; i++) {
      const kind = injection(i);
      if (kind !== "missing_at_provider") {
        const line = paymentLine(i);
        if (kind === "amount_mismatch") {
          line.gross += 1n;
          line.net += 1n;
        } else if (kind === "fee_mismatch") {
          line.providerFee += 1n;
          line.net -= 1n;
        } else if (kind === "currency_mismatch") line.currency = "USD";
        yield* add(line);
        if (kind === "duplicate_settlement") yield* add(line);
        if (kind === "unrecorded_refund") {
          yield* add({
            ...line,
            type: "refund",
            gross: -line.gross,
            providerFee: 0n,
            tax: 0n,
            net: -line.gross,
            rawLine: `${DAY};REF-${i};-${line.gross};0;0;REFUND`,
          });
        }
      }
      // The extra lines are spread evenly through the report.
      while (nextExtra < extras && i === Math.floor(((nextExtra + 1) * dayPayments) / (extras + 1))) {
        yield* add(extraLine(nextExtra));
        nextExtra += 1;
      }
    }
  }

  return {
    lines,
    seed,
    perClass,
    payments: lines,
    dayPayments,
    batches,
    failedPayments,
    expected,
    report,
  };
}

/** The amount of payment i, as the store is seeded with it: 100.00 to 50,990.00 IDR. */
export function grossOf(i: number): bigint {
  return 10_000n + BigInt(i % 5_000) * 100n;
}

function batchName(batch: number): string {
  return `BATCH-${String(batch).padStart(5, "0")}`;
}

/** Payment i settled as the fee schedule says; every other line echoes our payment id. add() sets the batch. */
function paymentLine(i: number) {
  const gross = grossOf(i);
  const fee = (gross * RATE_PPM + 500_000n) / 1_000_000n;
  const tax = (fee * TAX_PPM + 500_000n) / 1_000_000n;
  return {
    kind: "transaction" as const,
    type: "payment" as const,
    ...(i % 2 === 0 ? { paymentId: paymentId(i) } : {}),
    providerReference: `REF-${i}`,
    gross,
    providerFee: fee,
    tax,
    net: gross - fee - tax,
    currency: "IDR",
    businessDate: DAY,
    settledAt: new Date(DAY_START + 86_400_000 + 3_600_000),
    batchId: "",
    providerStatus: "SETTLED",
    rawLine: `${DAY};REF-${i};${gross};${fee};${tax};NMID ID1020****1234;SETTLED`,
  };
}

/** Our id of payment i, as the store is seeded with it. */
export function paymentId(i: number): string {
  return `pay_${String(i).padStart(9, "0")}`;
}

function extraLine(j: number): SettlementLine {
  const kind = EXTRA_LINES[j % EXTRA_LINES.length];
  const base = {
    kind: "transaction" as const,
    tax: 0n,
    currency: "IDR",
    businessDate: DAY,
    settledAt: new Date(DAY_START + 86_400_000 + 3_600_000),
    batchId: "",
    providerStatus: "SETTLED",
  };
  switch (kind) {
    case "missing_internal": {
      const gross = 50_000n;
      const fee = (gross * RATE_PPM + 500_000n) / 1_000_000n;
      const tax = (fee * TAX_PPM + 500_000n) / 1_000_000n;
      return {
        ...base,
        type: "payment",
        providerReference: `UNKNOWN-${j}`,
        gross,
        providerFee: fee,
        tax,
        net: gross - fee - tax,
        rawLine: `${DAY};UNKNOWN-${j};${gross};${fee};${tax};SETTLED`,
      };
    }
    case "adjustment":
      return {
        ...base,
        type: "adjustment",
        providerReference: `ADJ-${j}`,
        gross: -2_500n,
        providerFee: 0n,
        net: -2_500n,
        rawLine: `${DAY};ADJ-${j};-2500;0;0;ADJUSTMENT`,
      };
    default:
      return {
        kind: "unreadable",
        reason: 'amount "5O.000" is not a number',
        rawLine: `${DAY};X-${j};5O.000`,
      };
  }
}
