import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { currencyExponent, GrpcCode, invalidField, PaymeshError } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import type { XenditDisbursementClient } from "./xendit-client.ts";
import { xenditErrorOutcome, xenditRefusal } from "./xendit-error-map.ts";
import { isXenditTransportError, type XenditExchange } from "./xendit-http.ts";

type SettlementInit = MessageInitShape<typeof adapterv1.SettlementSchema>;

const DAY_MS = 86_400_000;

/** Whole units as minor units at the currency's exponent (IDR: × 100). */
function minorUnits(whole: bigint, currency: string): bigint {
  return whole * 10n ** BigInt(currencyExponent(currency) ?? 2);
}

/**
 * The payouts Xendit completed on one Jakarta (+07:00) business day, read from the transactions
 * report (`GET /transactions`, status SUCCESS, updated within the day; shape *unconfirmed*, see
 * sandbox/README.md), page by page with the `after_id` cursor.
 */
export async function* listXenditSettlements(
  client: XenditDisbursementClient,
  input: { date: string; signal: AbortSignal; onExchange?: (exchange: XenditExchange) => void },
): AsyncGenerator<SettlementInit> {
  const from = new Date(`${input.date}T00:00:00+07:00`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.date) || Number.isNaN(from.getTime())) {
    throw invalidField("date", "must be a day as YYYY-MM-DD");
  }
  const to = new Date(from.getTime() + DAY_MS - 1);
  let afterId: string | undefined;
  for (;;) {
    let answer: Awaited<ReturnType<XenditDisbursementClient["listTransactions"]>>;
    try {
      answer = await client.listTransactions({
        from,
        to,
        statuses: ["SUCCESS"],
        signal: input.signal,
        ...(afterId === undefined ? {} : { afterId }),
      });
    } catch (error) {
      if (!isXenditTransportError(error)) throw error;
      for (const exchange of error.exchanges) input.onExchange?.(exchange);
      throw new PaymeshError(
        ErrorReason.PROVIDER_UNAVAILABLE,
        `Xendit could not be reached: ${error.message}`,
        {
          code: GrpcCode.UNAVAILABLE,
          cause: error,
        },
      );
    }
    for (const exchange of answer.exchanges) input.onExchange?.(exchange);
    if (!answer.ok) {
      const outcome = xenditErrorOutcome(answer.errorCode, answer.httpStatus);
      if (outcome.kind === "refused") throw xenditRefusal(outcome, answer.errorCode, answer.message);
      throw new PaymeshError(ErrorReason.PROVIDER_ERROR, `settlement report failed: ${answer.message}`, {
        code: GrpcCode.UNAVAILABLE,
        providerCode: answer.errorCode,
      });
    }
    for (const transaction of answer.body.data) {
      const settled = transaction.updated === undefined ? Number.NaN : Date.parse(transaction.updated);
      yield {
        paymentId: transaction.referenceId,
        providerReference: transaction.productId,
        amount: {
          currency: transaction.currency,
          minorUnits: minorUnits(transaction.amount, transaction.currency),
        },
        fee: {
          currency: transaction.currency,
          minorUnits: minorUnits(transaction.fee, transaction.currency),
        },
        ...(Number.isNaN(settled) ? {} : { settledAt: timestampFromDate(new Date(settled)) }),
        providerStatus: transaction.status,
      };
    }
    const last = answer.body.data.at(-1);
    if (!answer.body.hasMore || last === undefined) return;
    afterId = last.id;
  }
}
