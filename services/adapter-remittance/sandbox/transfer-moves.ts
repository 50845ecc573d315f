import type { WebhookJob } from "./notifier.ts";
import type { SimState, SimStateChange, SimTransfer } from "./sim-state.ts";
import type { TransferState } from "./transfer-states.ts";

/**
 * Moves a transfer through `path` one state at a time, applying what each state means for the
 * money: `funds_refunded` credits the source amount back to the balance (and the statement); a
 * `charged_back` funding is simply gone. Returns the webhooks to send, oldest change first.
 */
export function moveTransfer(
  state: SimState,
  transfer: SimTransfer,
  path: readonly TransferState[],
): WebhookJob[] {
  const jobs: WebhookJob[] = [];
  for (const to of path) {
    const change = changeState(transfer, to, state.options.clock());
    if (to === "funds_refunded" && transfer.fundedAt !== undefined) {
      const balance = state.balances.get(transfer.sourceCurrency);
      if (balance !== undefined) balance.minorUnits += transfer.sourceMinorUnits;
      state.statement.push({
        currency: transfer.sourceCurrency,
        type: "CREDIT",
        at: change.occurredAt,
        amountMinorUnits: transfer.sourceMinorUnits,
        feeMinorUnits: 0n,
        transferId: transfer.id,
        description: "Refund of a transfer that could not be completed",
      });
    }
    jobs.push({ transfer, change });
  }
  return jobs;
}

/**
 * Moves a transfer to `to` and records the change. `occurred_at` has whole
 * seconds, as in Wise's examples, and is kept strictly increasing per transfer (a simulator choice)
 * so a receiver can always order two changes made within the same second.
 */
function changeState(transfer: SimTransfer, to: TransferState, now: Date): SimStateChange {
  const last = transfer.changes[transfer.changes.length - 1]?.occurredAt ?? transfer.createdAt;
  const floor = Math.floor(now.getTime() / 1000) * 1000;
  const occurredAt = new Date(Math.max(floor, Math.floor(last.getTime() / 1000) * 1000 + 1000));
  const change: SimStateChange = { state: to, previousState: transfer.state, occurredAt };
  transfer.state = to;
  transfer.changes.push(change);
  return change;
}
