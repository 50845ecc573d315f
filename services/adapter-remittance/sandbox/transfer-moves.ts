import type { WebhookJob } from "./notifier.ts";
import type { SimState, SimTransfer } from "./sim-state.ts";
import { changeState, type TransferState } from "./transfer-lifecycle.ts";

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
    const change = changeState(transfer, to, state.options.clock(), state.subscriptionId);
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
    jobs.push({ transferId: transfer.id, change });
  }
  return jobs;
}
