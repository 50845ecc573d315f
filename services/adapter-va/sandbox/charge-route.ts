import { header } from "@paymesh/sandbox-kit";
import { type ChargeInput, readCharge } from "./charge-fields.ts";
import { magicOutcome } from "./magic-amounts.ts";
import { failures } from "./midtrans-failure.ts";
import { checkServerKey } from "./request-auth.ts";
import type { MidtransRoute } from "./route.ts";
import type { SimBank, SimTransaction } from "./transaction-store.ts";
import { transactionView } from "./transaction-view.ts";

/** Prefix and random-digit count of generated VA numbers per bank (simulator choice, realistic lengths). */
const GENERATED: Readonly<Record<SimBank, { prefix: string; digits: number }>> = {
  bca: { prefix: "12345", digits: 10 },
  bni: { prefix: "9888", digits: 12 },
  bri: { prefix: "88811", digits: 13 },
  permata: { prefix: "8562", digits: 12 },
};

/**
 * `POST /v2/charge` with `payment_type: "bank_transfer"`: issues a VA number (a charge). The
 * order_id is the merchant's idempotency key: a second charge with it is status_code 406 and
 * creates nothing. A custom `va_number` is echoed verbatim (real Midtrans may prefix a merchant
 * code; *unconfirmed* — the adapter shows whatever comes back).
 */
export const chargeRoute: MidtransRoute = {
  method: "POST",
  pattern: /^\/v2\/charge$/,
  endpoint: "charge",
  transactional: true,
  handle({ state, notify }, request, rawBody) {
    const { options } = state;
    checkServerKey(request, options.serverKey);
    const charge = readCharge(rawBody);
    const notifyUrls = overrideUrls(header(request, "x-override-notification"));
    const now = options.clock();
    const expiresAt = expiry(charge, now, options.defaultExpirySeconds);
    if (state.transactions.has(charge.orderId)) throw failures.duplicateOrderId();
    const magic = magicOutcome(charge.grossAmount);
    if (magic?.kind === "fail") throw magic.failure();
    const { prefix, digits } = GENERATED[charge.bank];
    const transaction: SimTransaction = {
      orderId: charge.orderId,
      transactionId: options.newId(),
      bank: charge.bank,
      vaNumber: charge.customVaNumber ?? `${prefix}${options.newDigits(digits)}`,
      grossAmount: charge.grossAmount,
      customerName: charge.customerName,
      createdAt: now,
      expiresAt,
      status: magic?.kind === "deny" ? "deny" : "pending",
      statusChangedAt: now,
      notifyUrls,
    };
    state.transactions.add(transaction);
    if (transaction.status === "pending") state.records.countCharge();
    notify(transaction);
    if (magic?.kind === "fail-after-create") throw magic.failure();
    const message =
      transaction.status === "deny"
        ? "Transaction is denied [simulated]"
        : charge.bank === "permata"
          ? "Success, PERMATA VA transaction is successful"
          : "Success, Bank Transfer transaction is created";
    return { ...transactionView(transaction, options.merchantId), status_message: message };
  },
};

function expiry(charge: ChargeInput, now: Date, defaultSeconds: number): Date {
  const custom = charge.customExpiry;
  const start = custom?.orderTime ?? now;
  const expiresAt = new Date(start.getTime() + (custom?.seconds ?? defaultSeconds) * 1000);
  if (expiresAt.getTime() <= now.getTime()) {
    throw failures.validation(["custom_expiry must end in the future"]);
  }
  return expiresAt;
}

/** `X-Override-Notification`: up to three comma-separated URLs replacing the dashboard's. */
function overrideUrls(value: string | undefined): readonly string[] | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const urls = value.split(",").map((url) => url.trim());
  if (urls.length > 3 || !urls.every((url) => /^https?:\/\//.test(url) && URL.canParse(url))) {
    throw failures.validation(["X-Override-Notification must be at most 3 absolute http(s) URLs"]);
  }
  return urls;
}
