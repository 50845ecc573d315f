import type { AdapterName } from "../support/full-stack.ts";
import { createPrng } from "./prng.ts";

/**
 * Faults a payment can meet. The first five hit its creation, the last two its completion:
 * - latency: the provider answers after the caller's deadline (it still processes the request);
 * - server-error: the provider answers 5xx (failNext) and processes nothing, 1–4 times;
 * - connection-reset: the provider reads the request, processes nothing, drops the connection, 1–4 times;
 * - timeout-after-charge: the provider's own magic amount that creates the charge, then answers 5xx/504;
 * - double-submit: the caller sends the same request (same key) 2–3 times at once;
 * - duplicate-callbacks: every webhook delivered twice, plus a re-sent one;
 * - out-of-order-callbacks: webhooks held and sent newest first, plus a stale one delivered last.
 */
export const FAULT_KINDS = [
  "latency",
  "server-error",
  "connection-reset",
  "timeout-after-charge",
  "double-submit",
  "duplicate-callbacks",
  "out-of-order-callbacks",
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Relative weights of the fault kinds among faulted payments. */
const FAULT_WEIGHTS: Readonly<Record<FaultKind, number>> = {
  latency: 20,
  "server-error": 15,
  "connection-reset": 15,
  "timeout-after-charge": 12,
  "double-submit": 10,
  "duplicate-callbacks": 14,
  "out-of-order-callbacks": 14,
};

/** Faults that act on the creation call and need the simulator's config for that moment. */
export const CREATE_FAULTS: ReadonlySet<FaultKind> = new Set(["latency", "server-error", "connection-reset"]);
/** Faults that act on the webhooks of the completion. */
export const CALLBACK_FAULTS: ReadonlySet<FaultKind> = new Set([
  "duplicate-callbacks",
  "out-of-order-callbacks",
]);

/**
 * What the provider is set up to do with the payment, through its documented magic values:
 * - ordinary: accepted, and completes as the customer or bank acts;
 * - declined: refused at creation (QRIS Rp666 insufficient funds, Midtrans Rp10.202 deny, Xendit
 *   Rp10.404 above the limit, Wise 66666.66 funding rejected);
 * - provider-error: the provider answers 5xx every time and creates nothing (QRIS Rp500,13,
 *   Midtrans Rp10.500, Xendit Rp10.500); not for Wise, which has no such value;
 * - fails-later: accepted, then fails at completion (Xendit account …101–106, Wise account
 *   …9001 refunded / …9002 bounced back / …9003 charged back); only for payouts.
 */
export type ProviderOutcome = "ordinary" | "declined" | "provider-error" | "fails-later";

/**
 * What happens after creation: the customer pays (QRIS, VA), never pays, the VA expires, the
 * caller cancels, or the bank network completes the payout (transfer, remittance).
 */
export type Completion = "pay" | "leave" | "expire" | "cancel" | "complete";

/** One payment of the run, decided entirely by the seed. */
export interface PlannedPayment {
  index: number;
  method: AdapterName;
  /** Idempotency key and merchant reference (the same string). */
  key: string;
  /** Minor units of IDR (for remittance: the quote's source amount). */
  amountMinorUnits: bigint;
  outcome: ProviderOutcome;
  fault: FaultKind | undefined;
  /** Fault parameters, where the kind has any. */
  faultCount: number;
  latencyMs: number;
  /** The caller's deadline on its first attempt (short for a latency fault). */
  firstDeadlineMs: number;
  /** Which 5xx shape the simulator answers with (an index into its own list). */
  faultVariant: number;
  /** After an unknown outcome, does the caller retry with the same key (true) or walk away? */
  retryAfterUnknown: boolean;
  completion: Completion;
  /** VA bank, as the proto enum name. */
  vaBank: string;
  /** Xendit account number (transfer) or the GBP sort-code account number (remittance). */
  accountNumber: string;
}

/** The whole run's plan, and what it contains. */
export interface ChaosPlan {
  seed: number;
  payments: PlannedPayment[];
}

export const VA_BANKS = [
  "VIRTUAL_ACCOUNT_BANK_BCA",
  "VIRTUAL_ACCOUNT_BANK_BNI",
  "VIRTUAL_ACCOUNT_BANK_BRI",
  "VIRTUAL_ACCOUNT_BANK_PERMATA",
] as const;

const METHODS: readonly AdapterName[] = ["qris", "va", "transfer", "remittance"];
const NORMAL_DEADLINE_MS = 10_000;

/** The key (and merchant reference) of item `index` in a run with `seed`. */
export function paymentKey(seed: number, index: number): string {
  return `chaos-${seed}-${index}`;
}

/** The item index a merchant reference of this run names, if it is one. */
export function indexOfKey(seed: number, key: string): number | undefined {
  const prefix = `chaos-${seed}-`;
  if (!key.startsWith(prefix)) return undefined;
  const index = Number(key.slice(prefix.length));
  return Number.isInteger(index) && index >= 0 ? index : undefined;
}

/** The reference a remittance carries to Wise (at most 35 characters); it names the run's item. */
export function remittanceReference(index: number): string {
  return `chaos-${index}`;
}

/** Whole rupiah to IDR minor units (exponent 2). */
const rupiah = (whole: bigint): bigint => whole * 100n;

/**
 * Amount for a method and outcome. Ordinary amounts stay clear of every magic value; the magic
 * ones are the simulators' documented values (sandbox/README.md of each adapter).
 */
function amountFor(
  method: AdapterName,
  outcome: ProviderOutcome,
  timeoutAfterCharge: boolean,
  prng: ReturnType<typeof createPrng>,
): bigint {
  switch (method) {
    case "qris":
      if (timeoutAfterCharge) return 504_04n; // 504.04: 5044700 after creating the QR
      if (outcome === "declined") return rupiah(666n); // 4034714 insufficient funds
      if (outcome === "provider-error") return 500_13n; // 5004700, nothing created, every time
      return rupiah(prng.bigintBetween(1_000n, 2_000_000n));
    case "va":
      if (timeoutAfterCharge) return rupiah(10_504n); // VA created, then 504
      if (outcome === "declined") return rupiah(10_202n); // deny
      if (outcome === "provider-error") return rupiah(10_500n); // 500, nothing created
      return rupiah(prng.bigintBetween(20_000n, 5_000_000n));
    case "transfer":
      if (timeoutAfterCharge) return rupiah(10_501n); // payout created, then 500
      if (outcome === "declined") return rupiah(10_404n); // MAXIMUM_TRANSFER_LIMIT_ERROR
      if (outcome === "provider-error") return rupiah(10_500n); // 500 every time, nothing created
      return rupiah(prng.bigintBetween(50_000n, 10_000_000n));
    case "remittance":
      if (timeoutAfterCharge) return 50_404_04n; // transfer created, then 504 once
      if (outcome === "declined") return 66_666_66n; // funding REJECTED insufficient funds
      return rupiah(prng.bigintBetween(100_000n, 20_000_000n));
  }
}

/** Builds the run's plan from its seed: the same seed and sizes always give the same plan. */
export function buildPlan(seed: number, count: number, faultRate: number): ChaosPlan {
  const prng = createPrng(seed);
  const payments: PlannedPayment[] = [];
  for (let index = 0; index < count; index++) {
    const method = prng.pick(METHODS);
    const fault = prng.chance(faultRate) ? prng.weighted(FAULT_WEIGHTS) : undefined;
    const payout = method === "transfer" || method === "remittance";
    // A callback fault needs a completion with webhooks; a timeout-after-charge uses the magic amount.
    let outcome: ProviderOutcome = prng.weighted(
      payout
        ? { ordinary: 84, declined: 4, "provider-error": method === "transfer" ? 3 : 0, "fails-later": 9 }
        : { ordinary: 92, declined: 5, "provider-error": 3, "fails-later": 0 },
    );
    if (fault === "timeout-after-charge" || (fault !== undefined && CALLBACK_FAULTS.has(fault))) {
      if (outcome === "declined" || outcome === "provider-error") outcome = "ordinary";
    }
    let completion: Completion = payout
      ? "complete"
      : prng.weighted(
          method === "va"
            ? { pay: 84, leave: 8, expire: 4, cancel: 4 }
            : { pay: 88, leave: 8, expire: 0, cancel: 4 },
        );
    if (fault !== undefined && CALLBACK_FAULTS.has(fault) && !payout) completion = "pay";
    const amountMinorUnits = amountFor(method, outcome, fault === "timeout-after-charge", prng);
    const latencyMs = prng.between(900, 1_500);
    const accountNumber =
      method === "transfer"
        ? outcome === "fails-later"
          ? `9999999${prng.pick(["101", "102", "103", "104", "105", "106"])}`
          : `1${String(prng.between(0, 999_999_999)).padStart(9, "0")}`
        : outcome === "fails-later"
          ? `3777${prng.pick(["9001", "9002", "9003"])}`
          : `3777${String(prng.between(0, 8_999)).padStart(4, "0")}`;
    payments.push({
      index,
      method,
      key: paymentKey(seed, index),
      amountMinorUnits,
      outcome,
      fault,
      faultCount: prng.between(1, 4),
      latencyMs,
      firstDeadlineMs: fault === "latency" ? prng.between(250, 450) : NORMAL_DEADLINE_MS,
      faultVariant: prng.int(1_000),
      retryAfterUnknown: prng.chance(0.75),
      completion,
      vaBank: prng.pick(VA_BANKS),
      accountNumber,
    });
  }
  return { seed, payments };
}

/** Counts of a plan, for the report: how many payments of each method, fault and outcome. */
export function planMix(plan: ChaosPlan): {
  methods: Record<AdapterName, number>;
  faults: Record<FaultKind, number>;
  outcomes: Record<ProviderOutcome, number>;
  completions: Record<Completion, number>;
  faulted: number;
} {
  const methods: Record<AdapterName, number> = { qris: 0, va: 0, transfer: 0, remittance: 0 };
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const outcomes: Record<ProviderOutcome, number> = {
    ordinary: 0,
    declined: 0,
    "provider-error": 0,
    "fails-later": 0,
  };
  const completions: Record<Completion, number> = { pay: 0, leave: 0, expire: 0, cancel: 0, complete: 0 };
  let faulted = 0;
  for (const payment of plan.payments) {
    methods[payment.method] += 1;
    outcomes[payment.outcome] += 1;
    completions[payment.completion] += 1;
    if (payment.fault !== undefined) {
      faults[payment.fault] += 1;
      faulted += 1;
    }
  }
  return { methods, faults, outcomes, completions, faulted };
}
