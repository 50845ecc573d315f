import { ADAPTER_NAMES, type AdapterName, type FullStack, startFullStack } from "../support/full-stack.ts";
import { TEST_TOKEN } from "../support/qris-stack.ts";
import { type AuditResult, auditRun, readProviders } from "./audit.ts";
import { type ItemRecord, newItemRecord } from "./items.ts";
import {
  buildPlan,
  type ChaosPlan,
  CREATE_FAULTS,
  indexOfKey,
  type PlannedPayment,
  planMix,
  remittanceReference,
} from "./plan.ts";
import { derivePrng, type Prng } from "./prng.ts";
import {
  type CallFailure,
  callFailure,
  createRouterClient,
  inKnownState,
  type RouterClient,
  type RouterPayment,
  type RouterQuote,
  TERMINAL,
} from "./router-client.ts";
import {
  CLEAR_CREATE_FAULTS,
  captureWebhook,
  completeAtProvider,
  createFaultConfig,
  deliverWebhook,
  HAS_CALLBACK_SWITCHES,
  mustControl,
  resendWebhook,
} from "./simulators.ts";

/** What a chaos run is asked to do. */
export interface ChaosOptions {
  seed: number;
  payments: number;
  /** Share of payments that meet a fault, 0..1. */
  faultRate: number;
  /** Payments in flight at once. */
  concurrency: number;
  /** Upper bound on the whole run, stack start to audit. */
  budgetMs: number;
  /** Progress lines (the report itself is returned, not logged). */
  log?: (line: string) => void;
  /** Called once the stack runs, so a caller can stop its processes on a signal or a watchdog. */
  onStack?: (stack: FullStack) => void;
}

/**
 * The router's resolver, fast enough for a run measured in seconds (defaults are minutes).
 * `notFoundConclusiveAfterMs` (a router that does not know it ignores it) stays above the router's
 * 15 s adapter timeout plus the run's longest injected latency, so "the provider has no such
 * payment" is only believed once no request of the run can still be in flight upstream.
 */
export const CHAOS_RESOLVER = {
  intervalMs: 100,
  initialDelayMs: 250,
  maxDelayMs: 2_000,
  horizonMs: 600_000,
  pollAcceptedAfterMs: 3_000,
  notFoundConclusiveAfterMs: 20_000,
} as const;

/** The whole outcome of a run. */
export interface ChaosResult {
  options: Omit<ChaosOptions, "log" | "onStack">;
  plan: ChaosPlan;
  mix: ReturnType<typeof planMix>;
  audit: AuditResult;
  items: ItemRecord[];
  /** The router's payments of this run, as the audit read them. */
  routerPayments: RouterPayment[];
  timings: { startMs: number; driveMs: number; settleMs: number; auditMs: number; totalMs: number };
  /** Why the run could not finish its work in its budget, if it could not. */
  incomplete: string[];
}

const NORMAL_DEADLINE_MS = 10_000;
const MAX_CREATE_ATTEMPTS = 8;
const SETTLE_MAX_MS = 180_000;
/** Settling stops early when the unsettled payments stay exactly as they are this long. */
const SETTLE_STALL_MS = 30_000;
const AUDIT_RESERVE_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Serializes work per simulator, so one payment's fault settings are not switched by another's. */
function createLock(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Runs `work` over `items` with at most `concurrency` in flight; stops taking new ones when `stop()`. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (stop()) return;
      const item = items[next++];
      if (item === undefined) return;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

const idr = (minorUnits: bigint) => ({ currency: "IDR", minorUnits: String(minorUnits) });

/** The CreatePaymentRequest of a planned payment (the same object for every retry: same fingerprint). */
function paymentRequest(plan: PlannedPayment, quote: RouterQuote | undefined): Record<string, unknown> {
  const base = {
    idempotencyKey: plan.key,
    merchantReference: plan.key,
    description: `chaos ${plan.method}`,
    metadata: { chaos_index: String(plan.index) },
  };
  switch (plan.method) {
    case "qris":
      return { ...base, amount: idr(plan.amountMinorUnits), qris: { terminalLabel: "CHAOS-01" } };
    case "va":
      return {
        ...base,
        amount: idr(plan.amountMinorUnits),
        virtualAccount: { bank: plan.vaBank, customerName: "Budi Santoso" },
      };
    case "transfer":
      return {
        ...base,
        amount: idr(plan.amountMinorUnits),
        bankTransfer: {
          bankCode: "BCA",
          accountNumber: plan.accountNumber,
          accountHolderName: "Budi Santoso",
        },
      };
    case "remittance":
      if (quote === undefined) throw new Error("a remittance needs its quote");
      return {
        ...base,
        amount: quote.sourceAmount,
        remittance: {
          quoteId: quote.id,
          recipient: {
            currency: "GBP",
            type: "sort_code",
            accountHolderName: "Ann Smith",
            details: { sortCode: "040075", accountNumber: plan.accountNumber },
          },
          reference: remittanceReference(plan.index),
        },
      };
  }
}

/**
 * One chaos run: starts the whole mesh (four simulators, four adapters, the router on embedded
 * backends with a fast resolver), drives the plan's payments with its faults, completes them at
 * the providers, waits for everything to settle, audits router against providers, stops every
 * process it started. Never throws for what it finds; the result says.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => {});
  const t0 = Date.now();
  const budgetEnd = t0 + options.budgetMs;
  const plan = buildPlan(options.seed, options.payments, options.faultRate);
  const items = plan.payments.map(newItemRecord);
  const incomplete: string[] = [];

  const stack = await startFullStack({ routerConfig: { resolver: CHAOS_RESOLVER } });
  options.onStack?.(stack);
  const tStarted = Date.now();
  log(
    `stack up in ${tStarted - t0} ms; driving ${items.length} payments, concurrency ${options.concurrency}`,
  );
  const everUnknown = new Set<string>();
  const everReview = new Set<string>();
  let client: RouterClient | undefined;
  let sampler: ReturnType<typeof startUnknownSampler> | undefined;
  try {
    client = createRouterClient(stack.routerGrpc, TEST_TOKEN);
    sampler = startUnknownSampler(client, options.seed, everUnknown, everReview);
    const locks = Object.fromEntries(ADAPTER_NAMES.map((name) => [name, createLock()])) as Record<
      AdapterName,
      ReturnType<typeof createLock>
    >;
    const context: RunContext = { stack, client, locks, seed: options.seed };

    // 1. Drive: create every payment (with its fault), and complete the ones the caller knows.
    const driveStop = t0 + options.budgetMs * 0.6;
    let done = 0;
    await pool(
      items,
      options.concurrency,
      async (item) => {
        try {
          await runItem(context, item);
        } catch (error) {
          item.result = "harness-error";
          item.events.push(`harness error: ${error instanceof Error ? error.message : String(error)}`);
        }
        done += 1;
        if (done % 250 === 0) log(`driven ${done}/${items.length} in ${Date.now() - tStarted} ms`);
      },
      () => Date.now() > driveStop,
    );
    for (const item of items) {
      if (item.result === undefined) item.result = "not-started";
    }
    const notStarted = items.filter((item) => item.result === "not-started").length;
    if (notStarted > 0)
      incomplete.push(`${notStarted} payments not started: the drive phase ran out of time`);
    const tDriven = Date.now();
    log(`drive phase done in ${tDriven - tStarted} ms; settling`);

    // 2. Settle: wait for the resolver and the webhooks; complete what only became known now.
    const settleEnd = Math.min(Date.now() + SETTLE_MAX_MS, budgetEnd - AUDIT_RESERVE_MS);
    const unsettled = await settle(context, items, everUnknown, settleEnd);
    if (unsettled.length > 0) {
      incomplete.push(
        `${unsettled.length} payments still moving when settling stopped: ${unsettled.slice(0, 10).join("; ")}`,
      );
    }
    const tSettled = Date.now();
    log(`settled in ${tSettled - tDriven} ms; auditing`);

    // 3. Audit: the router's final view against what each simulator really holds.
    sampler.stop();
    await sampler.idle();
    const routerPayments = (await client.listAll()).filter(
      (payment) => indexOfKey(options.seed, payment.merchantReference) !== undefined,
    );
    const providers = await readProviders(stack, items, routerPayments, options.seed);
    const router = stack.processes.find(
      (service) => (service.ready as { service?: string }).service === "router",
    );
    const audit = auditRun({
      items,
      routerPayments,
      providers,
      everUnknown,
      everReview,
      seed: options.seed,
      routerLog: router?.stderr() ?? "",
    });
    const tAudited = Date.now();
    return {
      options: {
        seed: options.seed,
        payments: options.payments,
        faultRate: options.faultRate,
        concurrency: options.concurrency,
        budgetMs: options.budgetMs,
      },
      plan,
      mix: planMix(plan),
      audit,
      items,
      routerPayments,
      timings: {
        startMs: tStarted - t0,
        driveMs: tDriven - tStarted,
        settleMs: tSettled - tDriven,
        auditMs: tAudited - tSettled,
        totalMs: tAudited - t0,
      },
      incomplete,
    };
  } finally {
    sampler?.stop();
    await sampler?.idle();
    client?.close();
    await stack.stop();
  }
}

interface RunContext {
  stack: FullStack;
  client: RouterClient;
  locks: Record<AdapterName, ReturnType<typeof createLock>>;
  seed: number;
}

/**
 * Every second, the router's unresolved payments (ListPayments unresolved_only): any of this run's
 * payments seen with outcome_unknown (or raised for review) is remembered, whatever the caller saw.
 */
function startUnknownSampler(
  client: RouterClient,
  seed: number,
  everUnknown: Set<string>,
  everReview: Set<string>,
) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async (): Promise<void> => {
    try {
      for (const payment of await client.listAll({ unresolvedOnly: true, maxPages: 30 })) {
        if (indexOfKey(seed, payment.merchantReference) === undefined) continue;
        if (payment.outcomeUnknown) everUnknown.add(payment.id);
        if (payment.needsReview) everReview.add(payment.id);
      }
    } catch {
      // a busy router: the next tick samples again
    }
  };
  const timer = setInterval(() => {
    if (stopped) return;
    running = running.then(tick);
  }, 1_000);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    idle: () => running,
  };
}

/** What one CreatePayment attempt gave. */
type Attempt = { payment: RouterPayment } | { failure: CallFailure };

async function attemptCreate(
  context: RunContext,
  item: ItemRecord,
  request: Record<string, unknown>,
  deadlineMs: number,
  t0: number,
): Promise<Attempt> {
  const started = Date.now();
  try {
    const payment = await context.client.createPayment(request, deadlineMs);
    item.attempts.push(`+${started - t0}ms ${Date.now() - started}ms ok ${payment.id} ${payment.status}`);
    item.told.add(payment.id);
    item.payment = payment;
    return { payment };
  } catch (error) {
    const failure = callFailure(error);
    item.attempts.push(
      `+${started - t0}ms ${Date.now() - started}ms code ${failure.code} ${failure.reason || "-"}` +
        `${failure.paymentId === "" ? "" : ` ${failure.paymentId}`} (${failure.class})`,
    );
    if (failure.paymentId !== "") item.told.add(failure.paymentId);
    return { failure };
  }
}

/** The caller's retry backoff: 150 ms doubling to 3 s, with jitter from the item's own PRNG. */
const backoff = (attempt: number, prng: Prng): number =>
  Math.min(3_000, 150 * 2 ** (attempt - 1)) / 2 + prng.int(Math.min(3_000, 150 * 2 ** (attempt - 1)) / 2 + 1);

/**
 * The caller's side of CreatePayment, as a careful real caller does it: the first attempt (with
 * the item's creation fault, under its simulator's lock), then retries with the same key while the
 * outcome is unknown or the router says "safe to retry" — unless this caller walks away after an
 * unknown outcome (the plan decides), leaving it to the router's resolver.
 */
async function createPayment(
  context: RunContext,
  item: ItemRecord,
  request: Record<string, unknown>,
  prng: Prng,
): Promise<RouterPayment | undefined> {
  const plan = item.plan;
  const t0 = Date.now();
  const simulator = context.stack.simulators[plan.method];
  let result: Attempt;
  if (plan.fault !== undefined && CREATE_FAULTS.has(plan.fault)) {
    result = await context.locks[plan.method](async () => {
      await mustControl(simulator, "/sim/config", createFaultConfig(plan.method, plan));
      try {
        return await attemptCreate(context, item, request, plan.firstDeadlineMs, t0);
      } finally {
        await mustControl(simulator, "/sim/config", CLEAR_CREATE_FAULTS);
      }
    });
  } else if (plan.fault === "double-submit") {
    const copies = 2 + (plan.faultCount % 2);
    const results = await Promise.all(
      Array.from({ length: copies }, () => attemptCreate(context, item, request, NORMAL_DEADLINE_MS, t0)),
    );
    const ids = new Set(results.flatMap((r) => ("payment" in r ? [r.payment.id] : [])));
    if (ids.size > 1) item.events.push(`double submit answered different payments: ${[...ids].join(", ")}`);
    result =
      results.find((r) => "payment" in r) ??
      results.find((r) => "failure" in r && r.failure.class !== "retry") ??
      results[0] ??
      (await attemptCreate(context, item, request, NORMAL_DEADLINE_MS, t0));
  } else {
    result = await attemptCreate(context, item, request, plan.firstDeadlineMs, t0);
  }

  for (let attempt = 1; ; attempt++) {
    if ("payment" in result) {
      item.result = "created";
      if (plan.fault === "double-submit") {
        // The replay must be the same payment, byte for byte the same answer.
        const replay = await attemptCreate(context, item, request, NORMAL_DEADLINE_MS, t0);
        if ("payment" in replay && replay.payment.id !== result.payment.id) {
          item.events.push(`replay answered ${replay.payment.id}, first answer ${result.payment.id}`);
        }
      }
      return result.payment;
    }
    const failure = result.failure;
    if (failure.class === "final") {
      item.result = "refused";
      return undefined;
    }
    if (failure.class === "unknown") {
      item.sawUnknown = true;
      if (!plan.retryAfterUnknown) {
        item.result = "abandoned";
        return undefined;
      }
      item.retriedAfterUnknown = true;
    }
    if (attempt >= MAX_CREATE_ATTEMPTS) {
      item.result = "exhausted";
      return undefined;
    }
    await sleep(backoff(attempt, prng));
    result = await attemptCreate(context, item, request, NORMAL_DEADLINE_MS, t0);
  }
}

async function quoteFor(context: RunContext, item: ItemRecord, prng: Prng): Promise<RouterQuote | undefined> {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      return await context.client.createQuote(item.plan.amountMinorUnits);
    } catch (error) {
      const failure = callFailure(error);
      item.events.push(`CreateQuote failed: code ${failure.code} ${failure.reason} ${failure.message}`);
      if (failure.class === "final") return undefined;
      await sleep(backoff(attempt, prng));
    }
  }
  return undefined;
}

/** One planned payment, start to finish of the drive phase. */
async function runItem(context: RunContext, item: ItemRecord): Promise<void> {
  const plan = item.plan;
  const prng = derivePrng(context.seed, plan.index);
  let quote: RouterQuote | undefined;
  if (plan.method === "remittance") {
    quote = await quoteFor(context, item, prng);
    if (quote === undefined) {
      item.result = "quote-failed";
      return;
    }
  }
  const request = paymentRequest(plan, quote);
  const simulator = context.stack.simulators[plan.method];
  const switches = HAS_CALLBACK_SWITCHES[plan.method];

  if (plan.fault === "out-of-order-callbacks") {
    // Webhooks held and sent newest first (the simulator's switch, on across creation and
    // completion so a VA's "pending" lands after its "settlement"), then a stale one delivered last.
    let stale: Awaited<ReturnType<typeof captureWebhook>>;
    let payment: RouterPayment | undefined;
    const episode = async (): Promise<void> => {
      payment = await createPayment(context, item, request, prng);
      if (payment === undefined) return;
      stale = await captureWebhook(simulator, plan.method, payment);
      await complete(context, item, payment);
    };
    if (switches) {
      await context.locks[plan.method](async () => {
        await mustControl(simulator, "/sim/config", { reorderCallbacks: true });
        try {
          await episode();
        } finally {
          await mustControl(simulator, "/sim/config", { reorderCallbacks: false });
        }
      });
    } else {
      await episode();
    }
    if (stale !== undefined) {
      const status = await deliverWebhook(context.stack.routerHttp, plan.method, stale);
      item.events.push(`stale webhook delivered after completion: HTTP ${status}`);
    }
    return;
  }

  const payment = await createPayment(context, item, request, prng);
  if (payment === undefined) return;
  if (plan.fault === "duplicate-callbacks") {
    if (switches) {
      await context.locks[plan.method](async () => {
        await mustControl(simulator, "/sim/config", { duplicateCallbacks: true });
        try {
          await complete(context, item, payment);
        } finally {
          await mustControl(simulator, "/sim/config", { duplicateCallbacks: false });
        }
      });
    } else {
      await complete(context, item, payment);
    }
    for (let copy = 0; copy < 2; copy++) {
      const resent = await resendWebhook(simulator, plan.method, payment);
      item.events.push(`webhook re-sent: HTTP ${resent.status}`);
    }
    return;
  }
  await complete(context, item, payment);
}

/**
 * The customer's or bank's part for a payment the caller knows: pay, expire, cancel (through the
 * router), complete the payout, or nothing (a customer who never pays). Marks it completed when
 * nothing more is to be done by the run.
 */
async function complete(
  context: RunContext,
  item: ItemRecord,
  payment: RouterPayment,
  phase: "drive" | "settle" = "drive",
): Promise<void> {
  const plan = item.plan;
  const simulator = context.stack.simulators[plan.method];
  const status = payment.status;
  if (TERMINAL.has(status)) {
    item.completed.add(payment.id);
    return;
  }
  if (!inKnownState(payment)) return; // unknown or PENDING: the settle phase comes back to it
  if (plan.completion === "leave") {
    item.completed.add(payment.id);
    return;
  }
  if (plan.completion === "cancel") {
    try {
      const canceled = await context.client.cancelPayment(payment.id);
      item.events.push(`${phase}: canceled through the router: ${canceled.status}`);
      item.completed.add(payment.id);
    } catch (error) {
      const failure = callFailure(error);
      item.events.push(`CancelPayment failed: code ${failure.code} ${failure.reason} ${failure.message}`);
      if (failure.class === "final") item.completed.add(payment.id);
    }
    return;
  }
  if (plan.method === "remittance" && payment.providerReference === "") return; // not known yet
  const action = plan.completion === "expire" ? "expire" : plan.completion === "pay" ? "pay" : "complete";
  const answer = await completeAtProvider(simulator, plan.method, payment, action);
  item.completed.add(payment.id);
  if (phase === "settle" || answer.status !== 200) {
    item.events.push(
      `${phase}: ${action} ${payment.id} (${payment.status}) at the provider: HTTP ${answer.status}` +
        (answer.status === 200 ? "" : ` ${JSON.stringify(answer.body)}`),
    );
  }
}

/**
 * Waits until every payment of the run is where it will stay: known to the router (not unknown,
 * not under review, past PENDING), completed where the plan completes it, and terminal unless its
 * customer never acts. Completes payments that only became known now (the caller walked away or
 * only learned the id from the resolver). Returns what was still moving at the end.
 */
async function settle(
  context: RunContext,
  items: ItemRecord[],
  everUnknown: Set<string>,
  end: number,
): Promise<string[]> {
  let moving: string[] = [];
  let lastPicture = "";
  let unchangedSince = Date.now();
  while (Date.now() < end) {
    const payments = await context.client.listAll().catch(() => undefined);
    if (payments === undefined) {
      await sleep(500);
      continue;
    }
    moving = [];
    const toComplete: Array<{ item: ItemRecord; payment: RouterPayment }> = [];
    for (const payment of payments) {
      const index = indexOfKey(context.seed, payment.merchantReference);
      const item = index === undefined ? undefined : items[index];
      if (item === undefined) continue;
      if (payment.outcomeUnknown) everUnknown.add(payment.id);
      if (!inKnownState(payment)) {
        moving.push(`${payment.id} ${payment.status}${payment.outcomeUnknown ? " outcome_unknown" : ""}`);
        continue;
      }
      if (TERMINAL.has(payment.status)) continue;
      if (!item.completed.has(payment.id)) toComplete.push({ item, payment });
      const waitsOnCustomer =
        payment.status === "PAYMENT_STATUS_REQUIRES_ACTION" && item.plan.completion === "leave";
      if (!waitsOnCustomer) moving.push(`${payment.id} ${payment.status}`);
    }
    await pool(toComplete, 16, async ({ item, payment }) => {
      await complete(context, item, payment, "settle").catch((error: unknown) => {
        item.events.push(
          `settle completion failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    });
    if (moving.length === 0) return [];
    // Nothing has moved for a while although the resolver asks every few seconds: it will not.
    const picture = moving.join("|");
    if (picture !== lastPicture) {
      lastPicture = picture;
      unchangedSince = Date.now();
    } else if (Date.now() - unchangedSince > SETTLE_STALL_MS) {
      return moving.map((line) => `${line} (unchanged for ${SETTLE_STALL_MS / 1000} s)`);
    }
    await sleep(500);
  }
  return moving;
}
