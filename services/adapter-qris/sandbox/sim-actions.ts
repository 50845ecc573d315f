import type { KeyObject } from "node:crypto";
import { ControlError, type SimCounts } from "@paymesh/sandbox-kit";
import { notificationBody, type SignedNotification, signNotification } from "./notification.ts";
import type { FirstDelivery, Notifier } from "./notifier.ts";
import type { PaymentLookup, SimPayment } from "./payment-store.ts";
import type { DeliveryAttempt, SimConfig, SimState } from "./sim-state.ts";

/** Counters behind `GET /sim/stats`; `charges` counts dynamic QRs really generated: what a bank would have created. */
export interface SimStats extends Pick<SimCounts, "charges" | "requests"> {
  /** Notification attempts made, and those the receiver took with a 2xx. */
  notifications: number;
  notificationsDelivered: number;
}

/** What a test can do to a running simulator; the control API and the handle both call these. */
export interface SimActions {
  /** The customer pays: marks the payment paid and sends the notification. */
  pay(lookup: PaymentLookup): Promise<{ payment: SimPayment; delivery: FirstDelivery }>;
  /** Re-sends the notification of a payment's current state: a duplicate delivery. */
  notify(lookup: PaymentLookup): Promise<FirstDelivery>;
  /**
   * Makes query answers and notifications report `latestTransactionStatus` (with its description,
   * by default the published one) from now on; with `notify`, sends that notification too.
   */
  setStatus(
    lookup: PaymentLookup,
    status: { latestTransactionStatus: string; transactionStatusDesc?: string | undefined; notify?: boolean },
  ): Promise<{ payment: SimPayment; delivery?: FirstDelivery }>;
  /**
   * A correctly signed (or, with `forged`, wrongly signed) notification, not sent. With `pretty`
   * the body is pretty-printed JSON while the signature covers its minified form, as SNAP's
   * `SHA-256(minify(body))` rule allows a bank to send.
   */
  webhook(
    lookup: PaymentLookup,
    options: { path: string; forged: boolean; pretty?: boolean },
  ): SignedNotification;
  configure(patch: Partial<SimConfig>): SimConfig;
  stats(): SimStats;
  /** Every notification delivery attempt so far, oldest first. */
  deliveries(): DeliveryAttempt[];
  revokeTokens(): void;
  reset(): void;
}

/** The descriptions the published status lists give each `latestTransactionStatus`. */
const PUBLISHED_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "00": "Success",
  "01": "Initiated",
  "02": "Paying",
  "03": "Pending",
  "04": "Refunded",
  "05": "Canceled",
  "06": "Failed",
  "07": "Not found",
  "08": "Expiry",
  "09": "Rejected",
};

/** Creates the actions. `forgedKey` is a throwaway key made at startup that no receiver trusts. */
export function createSimActions(options: {
  state: SimState;
  notifier: Notifier;
  forgedKey: KeyObject;
}): SimActions {
  const { state, notifier } = options;

  function find(lookup: PaymentLookup): SimPayment {
    if (lookup.referenceNo === undefined && lookup.partnerReferenceNo === undefined) {
      throw new ControlError(400, "give partnerReferenceNo or referenceNo");
    }
    const payment = state.payments.find(lookup);
    if (payment === undefined) throw new ControlError(404, "no such payment");
    return payment;
  }

  return {
    async pay(lookup) {
      const payment = find(lookup);
      if (payment.state !== "pending") throw new ControlError(409, `payment is ${payment.state}`);
      payment.state = "paid";
      payment.paidAt = state.options.clock();
      return { payment, delivery: await notifier.deliver(payment) };
    },
    notify: (lookup) => notifier.deliver(find(lookup)),
    async setStatus(lookup, { latestTransactionStatus, transactionStatusDesc, notify }) {
      if (!/^\d{2}$/.test(latestTransactionStatus))
        throw new ControlError(400, "latestTransactionStatus must be 2 digits");
      const payment = find(lookup);
      payment.reported = {
        latestTransactionStatus,
        transactionStatusDesc:
          transactionStatusDesc ?? PUBLISHED_DESCRIPTIONS[latestTransactionStatus] ?? "Unknown",
      };
      return notify === true ? { payment, delivery: await notifier.deliver(payment) } : { payment };
    },
    webhook(lookup, { path, forged, pretty }) {
      const { clock, newId, partnerId, channelId, bankPrivateKey } = state.options;
      const body = notificationBody(find(lookup));
      const signed = signNotification({
        body,
        path,
        privateKey: forged ? options.forgedKey : bankPrivateKey,
        now: clock(),
        externalId: newId(),
        partnerId,
        channelId,
      });
      return pretty === true ? { ...signed, body: JSON.stringify(JSON.parse(body), null, 2) } : signed;
    },
    configure(patch) {
      state.config = { ...state.config, ...patch };
      return state.config;
    },
    stats() {
      const { charges, requests, made, delivered } = state.records.counts();
      return { charges, requests, notifications: made, notificationsDelivered: delivered };
    },
    deliveries: () => state.records.attempts(),
    revokeTokens: () => state.tokens.revokeAll(),
    reset: () => state.reset(),
  };
}
