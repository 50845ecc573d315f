import { isPaymeshError, type ProviderExchangeInit, reportUnknownProviderValue } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError, wiseOutcome } from "./wise-error-map.ts";
import type { ProviderPaymentInit } from "./wise-status.ts";
import { minorUnits, type WiseTransfer } from "./wise-wire.ts";

/**
 * Funds a transfer from the Wise balance, which is how the adapter pays for every transfer. Wise
 * refuses to fund twice, so an "already funded" (an earlier attempt did it) counts as funded, and so
 * does "not fundable": the transfer's state, read next, says what happened. A funding Wise
 * REJECTED (a balance too small) is a declined payment: FAILED, and the unfunded transfer is
 * cancelled so nothing can fund it later by accident. Undefined when the transfer was funded.
 */
export async function fundFromBalance(
  client: WiseClient,
  transfer: WiseTransfer,
  exchanges: ProviderExchangeInit[],
  signal: AbortSignal,
  paymentId?: string,
): Promise<ProviderPaymentInit | undefined> {
  const answer = await recorded(exchanges, () => client.fundTransfer(transfer.id, signal));
  if (!answer.ok) {
    const outcome = wiseOutcome(answer.status, answer.errors[0]?.code ?? "", { paymentId });
    if (outcome.kind === "duplicate" || outcome.kind === "declined") return undefined;
    throw wiseError("fundTransfer", answer);
  }
  // Wise's "Funding errors" guide: COMPLETED funded it, REJECTED did not. Any other word is
  // reported and left to the transfer's own state, which the caller reads next: a funding of
  // unknown result is never called funded or declined on a guess.
  if (answer.body.status === "COMPLETED") return undefined;
  if (answer.body.status !== "REJECTED") {
    reportUnknownProviderValue({
      adapter: "adapter-remittance",
      field: "funding.status",
      value: answer.body.status,
      paymentId,
    });
    return undefined;
  }
  const { errorCode } = answer.body;
  const outcome = wiseOutcome(200, errorCode, { paymentId });
  const reason = outcome.kind === "declined" ? outcome.reason : ErrorReason.PROVIDER_DECLINED;
  return {
    status: PaymentStatus.FAILED,
    providerReference: transfer.id,
    providerStatus: await cancelUnfunded(client, transfer, exchanges, signal),
    amount: {
      currency: transfer.sourceCurrency,
      minorUnits: minorUnits(transfer.sourceValue, transfer.sourceCurrency),
    },
    failure: {
      reason,
      message: `Wise rejected funding the transfer from the balance (${errorCode})`,
      providerCode: errorCode,
    },
  };
}

/** Cancels a transfer whose funding was rejected; its state afterwards (unchanged if that failed). */
async function cancelUnfunded(
  client: WiseClient,
  transfer: WiseTransfer,
  exchanges: ProviderExchangeInit[],
  signal: AbortSignal,
): Promise<string> {
  try {
    const cancelled = await recorded(exchanges, () => client.cancelTransfer(transfer.id, signal));
    return cancelled.ok ? cancelled.body.status : transfer.status;
  } catch (error) {
    // Best effort: an unfunded transfer moves no money, and Wise cancels stale ones itself.
    if (!isPaymeshError(error)) throw error;
    return transfer.status;
  }
}
