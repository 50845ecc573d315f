import { setTimeout as sleep } from "node:timers/promises";
import { ControlError, type SimCounts } from "@paymesh/sandbox-kit";
import type { CallbackSender, FirstDelivery } from "./callback-sender.ts";
import type { SimDisbursement } from "./disbursement-store.ts";
import { callbackBody } from "./disbursement-view.ts";
import { type FailureCode, magicFailureCode } from "./magic-values.ts";
import type { DeliveryAttempt, SimConfig, SimState } from "./sim-state.ts";

/** How a test names a disbursement: Xendit's id, or the partner's external_id. */
export interface DisbursementLookup {
  id?: string | undefined;
  externalId?: string | undefined;
}

/** How a test wants a payout to end; by default the account number's magic value decides. */
export interface CompletionOutcome {
  status?: "COMPLETED" | "FAILED" | undefined;
  failureCode?: FailureCode | undefined;
}

/** A callback exactly as it would go on the wire. */
export interface RecordedCallback {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Counters behind `GET /sim/stats`; `charges` counts disbursements really created: payouts a bank network would have executed. */
export interface SimStats extends Pick<SimCounts, "charges" | "requests"> {
  /** Callback attempts made, and those the receiver took with a 2xx. */
  callbacks: number;
  callbacksDelivered: number;
}

/** What a test can do to a running simulator; the control API and the handle both call these. */
export interface SimActions {
  /** The bank network answers: the payout completes or fails, and the callback is sent. */
  complete(
    lookup: DisbursementLookup,
    outcome?: CompletionOutcome,
  ): Promise<{ disbursement: SimDisbursement; delivery: FirstDelivery }>;
  /** Re-sends the callback of a disbursement's current state: a duplicate delivery. */
  notify(lookup: DisbursementLookup): Promise<FirstDelivery>;
  /** The callback for the current state with the right (or, `forged`, a wrong) token, not sent. */
  webhook(lookup: DisbursementLookup, options: { path: string; forged: boolean }): RecordedCallback;
  /**
   * Another disbursement with the same external_id, created `createdOffsetMs` after (negative:
   * before) the one looked up — as a payout made by hand in Xendit's dashboard with the same id
   * would be. A real payout (counted in `charges`); spends no idempotency key; sends no callback.
   */
  addSibling(
    lookup: DisbursementLookup,
    sibling: { createdOffsetMs: number; status?: string | undefined; failureCode?: string | undefined },
  ): SimDisbursement;
  /**
   * Sets a disbursement's status and failure code to any words at all, documented or not: what a
   * Xendit that grew a new value would answer. Sends nothing (`notify` sends the callback).
   */
  override(
    lookup: DisbursementLookup,
    values: { status?: string | undefined; failureCode?: string | undefined },
  ): SimDisbursement;
  configure(patch: Partial<SimConfig>): Promise<SimConfig>;
  stats(): SimStats;
  /** Every callback delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  reset(): void;
  /**
   * Schedules automatic completion, `autoCompleteMs` after the disbursement was created: called by the
   * create route for each new one, and at start for each pending one a restart kept.
   */
  onCreated(disbursement: SimDisbursement): void;
}

/** A token no receiver is configured with, for `forged` callbacks. */
export const FORGED_CALLBACK_TOKEN = "FAKE-forged-callback-token";

/** Creates the actions. `signal` (the simulator closing) cancels pending automatic completions. */
export function createSimActions(options: {
  state: SimState;
  sender: CallbackSender;
  signal: AbortSignal;
}): SimActions {
  const { state, sender, signal } = options;

  function find(lookup: DisbursementLookup): SimDisbursement {
    if (lookup.id !== undefined) {
      const found = state.disbursements.byId(lookup.id);
      if (found === undefined) throw new ControlError(404, "no such disbursement");
      return found;
    }
    if (lookup.externalId === undefined) throw new ControlError(400, "give id or external_id");
    const found = state.disbursements.byExternalId(lookup.externalId);
    if (found.length > 1) throw new ControlError(409, "several disbursements have this external_id; give id");
    const [only] = found;
    if (only === undefined) throw new ControlError(404, "no such disbursement");
    return only;
  }

  async function complete(lookup: DisbursementLookup, outcome: CompletionOutcome = {}) {
    const disbursement = find(lookup);
    if (disbursement.status !== "PENDING")
      throw new ControlError(409, `disbursement is ${disbursement.status}`);
    if (outcome.status === "COMPLETED" && outcome.failureCode !== undefined) {
      throw new ControlError(400, "failure_code needs status FAILED");
    }
    const magic = magicFailureCode(disbursement.accountNumber);
    const fails = outcome.status === "FAILED" || outcome.failureCode !== undefined;
    const failureCode = fails
      ? (outcome.failureCode ?? magic ?? "TRANSFER_ERROR")
      : outcome.status === undefined
        ? magic
        : undefined;
    disbursement.status = failureCode === undefined ? "COMPLETED" : "FAILED";
    if (failureCode !== undefined) disbursement.failureCode = failureCode;
    disbursement.updated = state.options.clock();
    return { disbursement, delivery: await sender.deliver(disbursement) };
  }

  return {
    complete,
    notify: (lookup) => sender.deliver(find(lookup)),
    addSibling(lookup, sibling) {
      const original = find(lookup);
      const created = new Date(original.created.getTime() + sibling.createdOffsetMs);
      const added: SimDisbursement = {
        ...original,
        id: state.options.newId(),
        status: sibling.status ?? "PENDING",
        created,
        updated: created,
      };
      delete added.failureCode;
      if (sibling.failureCode !== undefined) added.failureCode = sibling.failureCode;
      state.disbursements.add(added, undefined);
      state.records.countCharge();
      return added;
    },
    override(lookup, values) {
      const disbursement = find(lookup);
      if (values.status !== undefined) disbursement.status = values.status;
      if (values.failureCode !== undefined) disbursement.failureCode = values.failureCode;
      disbursement.updated = state.options.clock();
      return disbursement;
    },
    webhook(lookup, { path, forged }) {
      const token = forged ? FORGED_CALLBACK_TOKEN : state.options.callbackToken;
      return {
        path,
        headers: { "content-type": "application/json", "x-callback-token": token },
        body: callbackBody(find(lookup)),
      };
    },
    async configure(patch) {
      state.config = { ...state.config, ...patch };
      if (!state.config.reorderCallbacks) await sender.flushHeld();
      return state.config;
    },
    stats() {
      const { charges, requests, made, delivered } = state.records.counts();
      return { charges, requests, callbacks: made, callbacksDelivered: delivered };
    },
    deliveries: () => state.records.attempts(),
    reset() {
      sender.forgetHeld();
      state.reset();
    },
    onCreated(disbursement) {
      const delayMs = state.config.autoCompleteMs;
      if (delayMs === undefined) return;
      const dueMs = disbursement.created.getTime() + delayMs - state.options.clock().getTime();
      void sleep(Math.max(0, dueMs), undefined, { signal })
        .then(() => (disbursement.status === "PENDING" ? complete({ id: disbursement.id }) : undefined))
        // The simulator closed, or a test reset or completed the disbursement first.
        .catch(() => undefined);
    },
  };
}
