import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  GrpcCode,
  invalidField,
  type PaymentProvider,
  PaymeshError,
  parseDecimalAmount,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { isMidtransTransportError, type MidtransClient } from "./midtrans-client.ts";
import { midtransOutcome, midtransRefusal } from "./midtrans-error-map.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import { transportFailure } from "./transport-failure.ts";

/**
 * ListSettlements over the simulator's settlement report (`GET /v2/settlements?date=`). Midtrans
 * itself delivers settlement as dashboard and file reports, so against the real API this answers
 * an error until a report source is wired in (see README.md).
 */
export function createSettlementsHandler(
  client: MidtransClient,
): NonNullable<PaymentProvider["listSettlements"]> {
  return async function* (request, context) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date)) throw invalidField("date", "must be yyyy-MM-dd");
    let answer: Awaited<ReturnType<MidtransClient["settlements"]>>;
    try {
      answer = await client.settlements(request.date, context.signal);
    } catch (error) {
      if (isMidtransTransportError(error)) throw transportFailure(error, "settlement report", true);
      throw error;
    }
    if (!answer.ok) {
      const outcome = midtransOutcome(answer.statusCode);
      if (outcome.kind === "refused") throw midtransRefusal(outcome, answer);
      throw new PaymeshError(
        ErrorReason.PROVIDER_ERROR,
        `settlement report failed: ${answer.statusMessage} (${answer.statusCode})`,
        { code: GrpcCode.UNAVAILABLE, providerCode: answer.statusCode },
      );
    }
    for (const record of answer.body) {
      const settledAt = parseAnswerTime(record.settlement_time);
      yield {
        paymentId: record.order_id,
        providerReference: record.transaction_id,
        amount: { currency: "IDR", minorUnits: parseDecimalAmount(record.gross_amount, "IDR") },
        fee: { currency: "IDR", minorUnits: parseDecimalAmount(record.fee_amount, "IDR") },
        providerStatus: "settlement",
        ...(settledAt === undefined ? {} : { settledAt: timestampFromDate(settledAt) }),
      };
    }
  };
}
