/** Wise transfer states: Wise's "Tracking transfers" guide, "Transfer statuses" (docs/providers.md, "Wise"). */
export const TRANSFER_STATES = [
  "incoming_payment_waiting",
  "incoming_payment_initiated",
  "processing",
  "funds_converted",
  "outgoing_payment_sent",
  "cancelled",
  "funds_refunded",
  "bounced_back",
  "charged_back",
  "unknown",
  "waiting_recipient_input_to_proceed",
] as const;

/** One Wise transfer state. */
export type TransferState = (typeof TRANSFER_STATES)[number];

/** Where a funded transfer ends when `/sim/advance {"to":"complete"}` runs it (see magic-values.ts). */
export type TransferFate = "sent" | "refunded" | "bounced" | "charged_back";

/**
 * The moves the simulator allows. Wise's states are not a simple line: a sent transfer can still
 * bounce back, and a bounced one is then refunded (docs/providers.md: "States can move back"). The order
 * in each list is the preferred route when a test asks to jump several states at once.
 */
const NEXT: Readonly<Record<TransferState, readonly TransferState[]>> = {
  incoming_payment_waiting: ["processing", "cancelled", "incoming_payment_initiated"],
  incoming_payment_initiated: ["processing", "cancelled"],
  processing: [
    "funds_converted",
    "funds_refunded",
    "charged_back",
    "waiting_recipient_input_to_proceed",
    "unknown",
  ],
  // Wise waits for the recipient's details, or for news from a payout partner.
  waiting_recipient_input_to_proceed: ["processing", "cancelled"],
  unknown: ["processing", "outgoing_payment_sent", "funds_refunded"],
  funds_converted: ["outgoing_payment_sent", "funds_refunded", "charged_back"],
  outgoing_payment_sent: ["bounced_back", "charged_back"],
  bounced_back: ["funds_refunded"],
  cancelled: [],
  funds_refunded: [],
  charged_back: [],
};

const FATE_STATE: Readonly<Record<TransferFate, TransferState>> = {
  sent: "outgoing_payment_sent",
  refunded: "funds_refunded",
  bounced: "bounced_back",
  charged_back: "charged_back",
};

/** True for one of the Wise states. */
export function isTransferState(value: string): value is TransferState {
  return (TRANSFER_STATES as readonly string[]).includes(value);
}

/** The final state of a fate. */
export function fateState(fate: TransferFate): TransferState {
  return FATE_STATE[fate];
}

/** The states to pass through from `from` to `to` (excluding `from`), or undefined if unreachable. */
export function pathBetween(from: TransferState, to: TransferState): TransferState[] | undefined {
  const queue: TransferState[][] = [[from]];
  const seen = new Set<TransferState>([from]);
  for (let route = queue.shift(); route !== undefined; route = queue.shift()) {
    const last = route[route.length - 1] ?? from;
    if (last === to && route.length > 1) return route.slice(1);
    for (const next of NEXT[last]) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([...route, next]);
    }
  }
  return undefined;
}
