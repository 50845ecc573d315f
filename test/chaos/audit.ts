import { ADAPTER_NAMES, type AdapterName, type FullStack } from "../support/full-stack.ts";
import type { ItemRecord } from "./items.ts";
import { indexOfKey, remittanceReference } from "./plan.ts";
import { inKnownState, type RouterPayment, timestampMs } from "./router-client.ts";
import {
  type ProviderCharge,
  qrisCharge,
  type SimulatorStats,
  simulatorStats,
  vaCharge,
  WISE_FUNDED_STATES,
  type WiseTransfer,
  wiseTransfers,
  xenditPayouts,
} from "./simulators.ts";

/** What the four simulators hold at the end of the run. */
export interface ProviderData {
  stats: Record<AdapterName, SimulatorStats>;
  /** QRIS, VA (probed per payment id) and Xendit (listed) charges, by the payment id they carry. */
  byPaymentId: Record<"qris" | "va" | "transfer", Map<string, ProviderCharge[]>>;
  /** Every Wise transfer (listed), each naming its run item by its reference. */
  wise: WiseTransfer[];
}

/** One simulator's charges against what the run can attribute to its payments. */
export interface SimulatorAudit {
  name: AdapterName;
  /** `/sim/stats` charges: what it really created. */
  charges: number;
  /** Charges the audit tied to a payment of the run. */
  attributed: number;
  /** charges - attributed: charged, but no payment of the run (or a second time). */
  unattributed: number;
  /** Payment ids (or Wise customerTransactionIds) with more than one charge. */
  chargedTwice: string[];
  /** Wise only: `/sim/stats` fundings and the transfers in a funded state. */
  fundings?: number;
  fundedTransfers?: number;
}

/** The run's figures. */
export interface AuditResult {
  counts: {
    /** Distinct payments the router recorded or returned for the run. */
    created: number;
    succeeded: number;
    failed: number;
    canceled: number;
    expired: number;
    /** REQUIRES_ACTION: waiting on a customer who, in the plan, never acts. */
    awaitingCustomer: number;
    /** PROCESSING at the end (a payout still moving). */
    processing: number;
    /** Payments whose outcome was ever unknown (caller side or router side) and that ended known. */
    resolvedFromUnknown: number;
    /** Extra charges: more than one per payment intent, or charges no payment of the run owns. */
    duplicates: number;
    /** Payment intents the caller was told of, the provider charged, or the router recorded, not known to the router at the end. */
    lost: number;
    /** Payments whose router status contradicts what the provider holds. */
    disagreements: number;
  };
  client: {
    attempts: number;
    /** Intents whose CreatePayment ever ended with an unknown outcome. */
    unknownSeen: number;
    retriedAfterUnknown: number;
    abandonedAfterUnknown: number;
    /** Unknown outcome, and in the end nothing exists anywhere (the request never got far). */
    unknownNothingCreated: number;
    refused: number;
    exhausted: number;
    quoteFailed: number;
    notStarted: number;
    harnessErrors: number;
    /** Payments the router flagged outcome_unknown at some point (sampled) / raised for review. */
    routerFlaggedUnknown: number;
    routerRaisedReview: number;
  };
  simulators: SimulatorAudit[];
  byMethod: Record<AdapterName, { planned: number; created: number; succeeded: number; failed: number }>;
  /** Router failure reasons of FAILED payments, counted. */
  failureReasons: Record<string, number>;
  evidence: { duplicates: string[]; lost: string[]; disagreements: string[]; audit: string[] };
  /** Every payment's story: plan, the caller's attempts and events, router and provider state. */
  stories: string[];
}

/** Runs `work` over `items`, at most `concurrency` at a time, collecting results in order. */
async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const index = next++;
        const item = items[index];
        if (item === undefined) return;
        results[index] = await work(item);
      }
    }),
  );
  return results;
}

/** The payment ids that belong to each item: the ones the caller was told and the ones the router holds. */
function idsByMethod(items: ItemRecord[], routerPayments: RouterPayment[], seed: number) {
  const ids: Record<AdapterName, Set<string>> = {
    qris: new Set(),
    va: new Set(),
    transfer: new Set(),
    remittance: new Set(),
  };
  for (const item of items) for (const id of item.told) ids[item.plan.method].add(id);
  for (const payment of routerPayments) {
    const item = items[indexOfKey(seed, payment.merchantReference) ?? -1];
    if (item !== undefined) ids[item.plan.method].add(payment.id);
  }
  return ids;
}

/** Reads back every simulator: its counters and the charges it holds. */
export async function readProviders(
  stack: FullStack,
  items: ItemRecord[],
  routerPayments: RouterPayment[],
  seed: number,
): Promise<ProviderData> {
  const ids = idsByMethod(items, routerPayments, seed);
  const stats = Object.fromEntries(
    await Promise.all(
      ADAPTER_NAMES.map(async (name) => [name, await simulatorStats(stack.simulators[name])]),
    ),
  ) as Record<AdapterName, SimulatorStats>;
  const probe = async (
    name: "qris" | "va",
    read: (url: string, id: string) => Promise<ProviderCharge | undefined>,
  ): Promise<Map<string, ProviderCharge[]>> => {
    const list = [...ids[name]];
    const found = await mapPool(list, 16, (id) => read(stack.simulators[name], id));
    return new Map(
      list.map((id, i): [string, ProviderCharge[]] => {
        const charge = found[i];
        return [id, charge === undefined ? [] : [charge]];
      }),
    );
  };
  const payouts = new Map<string, ProviderCharge[]>();
  for (const payout of await xenditPayouts(stack.simulators.transfer)) {
    payouts.set(payout.paymentId, [...(payouts.get(payout.paymentId) ?? []), payout]);
  }
  return {
    stats,
    byPaymentId: {
      qris: await probe("qris", qrisCharge),
      va: await probe("va", vaCharge),
      transfer: payouts,
    },
    wise: await wiseTransfers(stack.simulators.remittance),
  };
}

/** Provider classes a router status is consistent with. */
function consistent(status: string, providerClass: string): boolean {
  switch (status) {
    case "PAYMENT_STATUS_SUCCEEDED":
      return providerClass === "success";
    case "PAYMENT_STATUS_FAILED":
    case "PAYMENT_STATUS_CANCELED":
    case "PAYMENT_STATUS_EXPIRED":
      return providerClass === "closed" || providerClass === "none" || providerClass === "unfunded";
    case "PAYMENT_STATUS_REQUIRES_ACTION":
    case "PAYMENT_STATUS_PROCESSING":
      return providerClass === "pending";
    default:
      return false;
  }
}

function describe(payment: RouterPayment): string {
  const flags = [
    payment.outcomeUnknown ? "outcome_unknown" : "",
    payment.needsReview ? `needs_review (${payment.reviewReason})` : "",
    payment.failure === null ? "" : `failure ${payment.failure.reason}/${payment.failure.providerCode}`,
  ].filter(Boolean);
  const lastWrite = timestampMs(payment.updatedAt) - timestampMs(payment.createdAt);
  return `${payment.id} ${payment.status.replace("PAYMENT_STATUS_", "")}${flags.length > 0 ? ` [${flags.join(", ")}]` : ""} ref=${payment.providerReference || "-"} last written ${lastWrite} ms after creation`;
}

/** The router's JSON log lines (stderr) that name a payment, by payment id. */
function logLinesById(routerLog: string): Map<string, string[]> {
  const byId = new Map<string, string[]>();
  for (const line of routerLog.split("\n")) {
    const id = /"paymentId":"(pay_[0-9a-z]+)"/.exec(line)?.[1];
    if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), line]);
  }
  return byId;
}

function itemStory(
  item: ItemRecord,
  rps: RouterPayment[],
  charges: ProviderCharge[],
  logs: ReadonlyMap<string, string[]> = new Map(),
): string {
  const plan = item.plan;
  const ids = new Set([...item.told, ...rps.map((payment) => payment.id)]);
  const logLines = [...ids].flatMap((id) => logs.get(id) ?? []).slice(0, 40);
  return [
    `#${plan.index} ${plan.method} key=${plan.key} amount=${plan.amountMinorUnits} outcome=${plan.outcome}` +
      ` fault=${plan.fault ?? "none"} completion=${plan.completion} retryAfterUnknown=${plan.retryAfterUnknown}`,
    `  caller: ${item.result ?? "?"}; told ${[...item.told].join(", ") || "nothing"}`,
    ...item.attempts.map((line) => `  attempt ${line}`),
    ...item.events.map((line) => `  event ${line}`),
    `  router: ${rps.map(describe).join("; ") || "no payment"}`,
    `  provider: ${charges.map((c) => `${c.providerId} ${c.state} (${c.paymentId || "-"})`).join("; ") || "no charge"}`,
    ...logLines.map((line) => `  router log ${line}`),
  ].join("\n");
}

/** Counts and evidence, from the caller's records, the router's payments and the providers' records. */
export function auditRun(input: {
  items: ItemRecord[];
  routerPayments: RouterPayment[];
  providers: ProviderData;
  everUnknown: ReadonlySet<string>;
  everReview: ReadonlySet<string>;
  seed: number;
  /** The router's stderr: its JSON log lines (resolver and policy events), for evidence. */
  routerLog?: string;
}): AuditResult {
  const { items, routerPayments, providers, everUnknown, everReview, seed } = input;
  const logs = logLinesById(input.routerLog ?? "");
  const routerByItem = new Map<number, RouterPayment[]>();
  for (const payment of routerPayments) {
    const index = indexOfKey(seed, payment.merchantReference);
    if (index === undefined) continue;
    routerByItem.set(index, [...(routerByItem.get(index) ?? []), payment]);
  }
  const wiseByReference = new Map<string, WiseTransfer[]>();
  for (const transfer of providers.wise) {
    wiseByReference.set(transfer.reference, [...(wiseByReference.get(transfer.reference) ?? []), transfer]);
  }

  const evidence: AuditResult["evidence"] = { duplicates: [], lost: [], disagreements: [], audit: [] };
  const attributed: Record<AdapterName, number> = { qris: 0, va: 0, transfer: 0, remittance: 0 };
  const attributedTransferIds = new Set<string>();
  const attributedWise = new Set<string>();
  const byMethod = Object.fromEntries(
    ADAPTER_NAMES.map((name) => [name, { planned: 0, created: 0, succeeded: 0, failed: 0 }]),
  ) as AuditResult["byMethod"];
  const failureReasons: Record<string, number> = {};
  let perIntentExtra = 0;
  let lost = 0;
  let resolvedFromUnknown = 0;
  let unknownNothingCreated = 0;
  let disagreements = 0;
  const created = new Set<string>();
  const stories: string[] = [];

  for (const item of items) {
    const { method, index } = item.plan;
    byMethod[method].planned += 1;
    const rps = routerByItem.get(index) ?? [];
    const ids = new Set([...item.told, ...rps.map((payment) => payment.id)]);
    for (const id of ids) created.add(id);
    byMethod[method].created += ids.size;
    const charges: ProviderCharge[] =
      method === "remittance"
        ? (wiseByReference.get(remittanceReference(index)) ?? [])
        : [...ids].flatMap((id) => providers.byPaymentId[method].get(id) ?? []);
    attributed[method] += charges.length;
    stories.push(itemStory(item, rps, charges, logs));
    for (const charge of charges) {
      if (method === "transfer") attributedTransferIds.add(charge.providerId);
      if (method === "remittance") attributedWise.add(charge.providerId);
    }

    // Duplicates: one intent (one idempotency key) must be one payment and at most one charge.
    const extra = Math.max(rps.length - 1, charges.length - 1, 0);
    if (extra > 0) {
      perIntentExtra += extra;
      evidence.duplicates.push(
        `${extra} extra for one key: ${rps.length} router payments, ${charges.length} charges\n${itemStory(item, rps, charges, logs)}`,
      );
    }

    // Lost: told of, charged or recorded, but not known to the router at the end.
    const reasons: string[] = [];
    for (const id of item.told) {
      if (!rps.some((payment) => payment.id === id))
        reasons.push(`the caller was told ${id}; the router has no such payment`);
    }
    if (charges.length > 0 && rps.length === 0)
      reasons.push("the provider charged it; the router has no payment");
    for (const payment of rps) {
      if (!inKnownState(payment)) reasons.push(`the router holds ${describe(payment)}`);
    }
    if (reasons.length > 0) {
      lost += 1;
      evidence.lost.push(`${reasons.join("; ")}\n${itemStory(item, rps, charges, logs)}`);
    }

    const everUnknownHere = item.sawUnknown || rps.some((payment) => everUnknown.has(payment.id));
    if (everUnknownHere && rps.length > 0 && rps.every(inKnownState)) resolvedFromUnknown += 1;
    if (item.sawUnknown && rps.length === 0 && charges.length === 0 && item.told.size === 0) {
      unknownNothingCreated += 1;
    }

    // Disagreements: the router's final status against the provider's record of the same payment.
    for (const payment of rps) {
      if (payment.status === "PAYMENT_STATUS_SUCCEEDED") byMethod[method].succeeded += 1;
      if (payment.status === "PAYMENT_STATUS_FAILED") {
        byMethod[method].failed += 1;
        const reason = payment.failure?.reason ?? "none";
        failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
      }
      if (!inKnownState(payment)) continue;
      const charge =
        method === "remittance"
          ? (charges.find((c) => c.providerId === payment.providerReference) ??
            (charges.length === 1 ? charges[0] : undefined))
          : (providers.byPaymentId[method].get(payment.id) ?? [])[0];
      const providerClass =
        charge === undefined
          ? "none"
          : method === "remittance" && charge.state === "incoming_payment_waiting"
            ? "unfunded"
            : charge.class;
      if (!consistent(payment.status, providerClass)) {
        disagreements += 1;
        evidence.disagreements.push(
          `router ${payment.status} vs provider ${charge === undefined ? "no charge" : `${charge.state} (${providerClass})`}\n${itemStory(item, rps, charges, logs)}`,
        );
      }
    }
  }

  // Per simulator: charges it counted against charges tied to the run's payments.
  const simulators: SimulatorAudit[] = ADAPTER_NAMES.map((name) => {
    const charges = providers.stats[name].charges;
    const audit: SimulatorAudit = {
      name,
      charges,
      attributed: attributed[name],
      unattributed: charges - attributed[name],
      chargedTwice: [],
    };
    if (name === "transfer") {
      for (const [id, payouts] of providers.byPaymentId.transfer) {
        if (payouts.length > 1) audit.chargedTwice.push(`${id} x${payouts.length}`);
      }
      for (const payouts of providers.byPaymentId.transfer.values()) {
        for (const payout of payouts) {
          if (!attributedTransferIds.has(payout.providerId)) {
            evidence.duplicates.push(
              `Xendit payout ${payout.providerId} (${payout.paymentId}, ${payout.state}) belongs to no payment of the run`,
            );
          }
        }
      }
    }
    if (name === "remittance") {
      const byCustomerId = new Map<string, number>();
      for (const transfer of providers.wise) {
        byCustomerId.set(
          transfer.customerTransactionId,
          (byCustomerId.get(transfer.customerTransactionId) ?? 0) + 1,
        );
        if (!attributedWise.has(transfer.providerId)) {
          evidence.duplicates.push(
            `Wise transfer ${transfer.providerId} (reference ${transfer.reference}, ${transfer.state}) belongs to no payment of the run`,
          );
        }
      }
      for (const [id, count] of byCustomerId) if (count > 1) audit.chargedTwice.push(`${id} x${count}`);
      audit.fundings = providers.stats.remittance.fundings ?? 0;
      audit.fundedTransfers = providers.wise.filter((t) => WISE_FUNDED_STATES.has(t.state)).length;
    }
    if (audit.unattributed < 0) {
      evidence.audit.push(
        `${name}: ${charges} charges counted but ${attributed[name]} attributed: the audit is wrong`,
      );
    } else if (audit.unattributed > 0) {
      evidence.duplicates.push(
        `${name}: ${audit.unattributed} charges the simulator counted that no payment of the run owns`,
      );
    }
    return audit;
  });
  const extraFundings = simulators.reduce(
    (sum, s) => sum + Math.max(0, (s.fundings ?? 0) - (s.fundedTransfers ?? 0)),
    0,
  );
  if (extraFundings > 0)
    evidence.duplicates.push(`Wise: ${extraFundings} fundings beyond the funded transfers`);
  const duplicates =
    perIntentExtra + simulators.reduce((sum, s) => sum + Math.max(0, s.unattributed), 0) + extraFundings;

  const statusCount = (status: string) =>
    routerPayments.filter((payment) => payment.status === `PAYMENT_STATUS_${status}`).length;
  const count = (predicate: (item: ItemRecord) => boolean) => items.filter(predicate).length;
  for (const item of items) {
    if (item.result === "harness-error")
      evidence.audit.push(itemStory(item, routerByItem.get(item.plan.index) ?? [], [], logs));
  }
  return {
    counts: {
      created: created.size,
      succeeded: statusCount("SUCCEEDED"),
      failed: statusCount("FAILED"),
      canceled: statusCount("CANCELED"),
      expired: statusCount("EXPIRED"),
      awaitingCustomer: statusCount("REQUIRES_ACTION"),
      processing: statusCount("PROCESSING"),
      resolvedFromUnknown,
      duplicates,
      lost,
      disagreements,
    },
    client: {
      attempts: items.reduce((sum, item) => sum + item.attempts.length, 0),
      unknownSeen: count((item) => item.sawUnknown),
      retriedAfterUnknown: count((item) => item.retriedAfterUnknown),
      abandonedAfterUnknown: count((item) => item.result === "abandoned"),
      unknownNothingCreated,
      refused: count((item) => item.result === "refused"),
      exhausted: count((item) => item.result === "exhausted"),
      quoteFailed: count((item) => item.result === "quote-failed"),
      notStarted: count((item) => item.result === "not-started"),
      harnessErrors: count((item) => item.result === "harness-error"),
      routerFlaggedUnknown: everUnknown.size,
      routerRaisedReview: everReview.size,
    },
    simulators,
    byMethod,
    failureReasons,
    evidence,
    stories,
  };
}
