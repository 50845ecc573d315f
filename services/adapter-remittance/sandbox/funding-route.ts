import { formatMinorUnits } from "@paymesh/adapter-kit";
import { readFields } from "./body-fields.ts";
import { MAGIC_AMOUNTS } from "./magic-values.ts";
import { moveTransfer } from "./transfer-moves.ts";
import { findTransfer } from "./transfer-routes.ts";
import { notValid, wiseFailure } from "./wise-failure.ts";
import { param, requireProfile, type WiseRoute } from "./wise-route.ts";

/**
 * `POST /v3/profiles/{profileId}/transfers/{transferId}/payments {"type":"BALANCE"}`: pays the
 * transfer from the profile's balance in its source currency, moving it to `processing` (with a
 * webhook). Too little money is a normal 200 answer `{"status":"REJECTED","errorCode":...}`, as Wise
 * reports funding outcomes (*unconfirmed* error code `transfer.insufficient_funds`). Funding twice
 * is refused with `transfer.already.funded` (409, *unconfirmed*).
 */
export const fundTransferRoute: WiseRoute = {
  method: "POST",
  pattern: /^\/v3\/profiles\/(\d+)\/transfers\/(\d+)\/payments$/,
  endpoint: "fund-transfer",
  handle(context) {
    const { state } = context;
    requireProfile(state, param(context, 0));
    const transfer = findTransfer(state, param(context, 1));
    const type = readFields(context.rawBody).string("type", 20);
    if (type !== "BALANCE") throw notValid("type", `Payment type ${type} is not supported`, type);
    if (transfer.fundedAt !== undefined) {
      throw wiseFailure(409, "transfer.already.funded", `Transfer ${transfer.id} is already funded`);
    }
    if (transfer.state !== "incoming_payment_waiting") {
      throw wiseFailure(
        422,
        "transfer.not.fundable",
        `A transfer in state ${transfer.state} cannot be funded`,
      );
    }
    const scripted = state.config.fundingStatus;
    if (scripted !== undefined) {
      state.config.fundingStatus = undefined;
      return { status: 200, body: { type: "BALANCE", status: scripted, errorCode: null } };
    }
    const balance = state.balances.get(transfer.sourceCurrency);
    const magic =
      formatMinorUnits(transfer.sourceMinorUnits, transfer.sourceCurrency) ===
      MAGIC_AMOUNTS.insufficientFunds;
    if (magic || balance === undefined || balance.minorUnits < transfer.sourceMinorUnits) {
      return {
        status: 200,
        body: { type: "BALANCE", status: "REJECTED", errorCode: "transfer.insufficient_funds" },
      };
    }
    const now = state.options.clock();
    balance.minorUnits -= transfer.sourceMinorUnits;
    transfer.fundedAt = now;
    const quote = state.quotes.get(transfer.quoteUuid);
    if (quote !== undefined) quote.status = "FUNDED";
    state.stats.fundings += 1;
    state.statement.push({
      currency: transfer.sourceCurrency,
      type: "DEBIT",
      at: now,
      amountMinorUnits: -transfer.sourceMinorUnits,
      feeMinorUnits: transfer.feeMinorUnits,
      transferId: transfer.id,
      // Wise's statements name the recipient, which is why the adapter masks `description`.
      description: `Sent money to ${state.recipients.get(transfer.targetAccount)?.accountHolderName ?? "recipient"}`,
    });
    void context.notifier.deliver(moveTransfer(state, transfer, ["processing"]));
    return { status: 200, body: { type: "BALANCE", status: "COMPLETED", errorCode: null } };
  },
};
