import { formatMinorUnits } from "@paymesh/adapter-kit";
import { readFields } from "./body-fields.ts";
import { fateFor, MAGIC_AMOUNTS } from "./magic-values.ts";
import { quoteStatus, type SimState, type SimTransfer } from "./sim-state.ts";
import { moveTransfer } from "./transfer-moves.ts";
import { transferView } from "./views.ts";
import { notValid, wiseFailure } from "./wise-failure.ts";
import { param, requireProfile, type WiseRoute } from "./wise-route.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Reference length limit: *unconfirmed* (Wise's limit varies by route; 35 is the loosest common one). */
const MAX_REFERENCE = 35;

/** The transfer with this id on the token's profile, or Wise's 404. */
export function findTransfer(state: SimState, id: string): SimTransfer {
  const transfer = state.transfers.get(Number(id));
  if (transfer === undefined || transfer.profileId !== state.options.profileId) {
    throw wiseFailure(404, "transfer.not.found", `Transfer ${id} not found`);
  }
  return transfer;
}

/**
 * `POST /v1/transfers`. `customerTransactionId` is the idempotency key (docs/providers.md): a second
 * request with the same value answers the first transfer and creates nothing, whatever else it
 * says and even after the quote has expired. Each quote backs one transfer (*unconfirmed* code
 * `quote.already.used`).
 */
export const createTransferRoute: WiseRoute = {
  method: "POST",
  pattern: /^\/v1\/transfers$/,
  endpoint: "create-transfer",
  handle(context) {
    const { state } = context;
    const fields = readFields(context.rawBody);
    const customerTransactionId = fields.string("customerTransactionId", 36);
    if (!UUID.test(customerTransactionId)) {
      throw notValid("customerTransactionId", "customerTransactionId must be a UUID", customerTransactionId);
    }
    const existing = state.transfersByCustomerId.get(customerTransactionId);
    if (existing !== undefined && existing.profileId === state.options.profileId) {
      return { status: 200, body: transferView(existing) };
    }
    const targetAccount = Number(fields.integer("targetAccount"));
    const quoteUuid = fields.string("quoteUuid", 36);
    const reference = fields.optionalString("details.reference", 1000) ?? "";
    const now = state.options.clock();
    const quote = state.quotes.get(quoteUuid);
    if (quote === undefined || quote.profileId !== state.options.profileId) {
      throw wiseFailure(422, "quote.not.found", `Quote ${quoteUuid} not found`, "quoteUuid");
    }
    const status = quoteStatus(quote, now);
    if (status === "EXPIRED") throw wiseFailure(422, "quote.expired", "Quote has expired", "quoteUuid");
    if (status !== "PENDING") {
      throw wiseFailure(409, "quote.already.used", "Quote is already used by another transfer", "quoteUuid");
    }
    const recipient = state.recipients.get(targetAccount);
    if (recipient === undefined || recipient.profileId !== state.options.profileId) {
      throw notValid("targetAccount", "Recipient account not found", String(targetAccount));
    }
    if (recipient.currency !== quote.targetCurrency) {
      throw notValid("targetAccount", `Recipient account is not in ${quote.targetCurrency}`);
    }
    if (reference.length > MAX_REFERENCE) {
      throw notValid("details.reference", `Reference must be at most ${MAX_REFERENCE} characters`);
    }
    const option = quote.paymentOptions.find((candidate) => candidate.payIn === "BALANCE");
    if (option === undefined) throw notValid("quoteUuid", "Quote cannot be paid from a balance");
    const transfer: SimTransfer = {
      id: state.nextTransferId(),
      profileId: state.options.profileId,
      targetAccount,
      quoteUuid,
      customerTransactionId,
      reference,
      rate: quote.rate,
      sourceCurrency: quote.sourceCurrency,
      sourceMinorUnits: option.sourceMinorUnits,
      targetCurrency: quote.targetCurrency,
      targetMinorUnits: option.targetMinorUnits,
      feeMinorUnits: option.fee.total,
      createdAt: now,
      state: "incoming_payment_waiting",
      fate: fateFor(recipient.details),
      changes: [],
    };
    state.transfers.set(transfer.id, transfer);
    state.transfersByCustomerId.set(customerTransactionId, transfer);
    quote.status = "ACCEPTED";
    state.records.countCharge();
    const magic =
      formatMinorUnits(transfer.sourceMinorUnits, transfer.sourceCurrency) ===
      MAGIC_AMOUNTS.timeoutAfterCreate;
    if (magic && !state.timedOut.has(customerTransactionId)) {
      state.timedOut.add(customerTransactionId);
      return {
        status: 504,
        body: {
          errors: [{ code: "GATEWAY_TIMEOUT", message: "Upstream timed out [simulated after creating]" }],
        },
      };
    }
    return { status: 200, body: transferView(transfer) };
  },
};

/** `GET /v1/transfers/{id}`: the transfer and its current `status`. */
export const getTransferRoute: WiseRoute = {
  method: "GET",
  pattern: /^\/v1\/transfers\/(\d+)$/,
  endpoint: "get-transfer",
  handle: (context) => ({ status: 200, body: transferView(findTransfer(context.state, param(context, 0))) }),
};

/**
 * `GET /v1/transfers?profile=&limit=&offset=&status=`: the profile's transfers, newest first
 * (limit default 100, at most 200; *unconfirmed* that list items carry `customerTransactionId`).
 */
export const listTransfersRoute: WiseRoute = {
  method: "GET",
  pattern: /^\/v1\/transfers$/,
  endpoint: "list-transfers",
  handle(context) {
    const { state, url } = context;
    const profileId = requireProfile(state, url.searchParams.get("profile") ?? undefined);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? "100") || 100, 200);
    const offset = Math.max(Number(url.searchParams.get("offset") ?? "0") || 0, 0);
    const status = url.searchParams.get("status");
    const transfers = [...state.transfers.values()]
      .filter(
        (transfer) => transfer.profileId === profileId && (status === null || transfer.state === status),
      )
      .reverse()
      .slice(offset, offset + limit);
    return { status: 200, body: transfers.map(transferView) };
  },
};

/**
 * `PUT /v1/transfers/{id}/cancel`: Wise cancels only transfers that are not funded yet
 * (`incoming_payment_waiting`); cancelling a cancelled one answers it again. Anything else is
 * refused (*unconfirmed* code `transfer.cancel.not.allowed`, 409).
 */
export const cancelTransferRoute: WiseRoute = {
  method: "PUT",
  pattern: /^\/v1\/transfers\/(\d+)\/cancel$/,
  endpoint: "cancel-transfer",
  handle(context) {
    const transfer = findTransfer(context.state, param(context, 0));
    if (transfer.state === "cancelled") return { status: 200, body: transferView(transfer) };
    if (transfer.state !== "incoming_payment_waiting") {
      throw wiseFailure(
        409,
        "transfer.cancel.not.allowed",
        `A transfer in state ${transfer.state} cannot be cancelled`,
      );
    }
    void context.notifier.deliver(moveTransfer(context.state, transfer, ["cancelled"]));
    return { status: 200, body: transferView(transfer) };
  },
};
