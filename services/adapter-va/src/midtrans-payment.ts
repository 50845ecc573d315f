import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { type ProviderExchangeInit, parseDecimalAmount, toExchangeInit } from "@paymesh/adapter-kit";
import { type adapterv1, PaymentStatus, VirtualAccountBank } from "@paymesh/proto";
import type { MidtransExchange } from "./midtrans-client.ts";
import { failureFromMidtrans, paymentStatusFromMidtrans } from "./midtrans-status.ts";
import { parseAnswerTime } from "./midtrans-time.ts";
import type { MidtransTransaction } from "./midtrans-wire.ts";
import { MIDTRANS_BANKS } from "./va-charge-request.ts";

type ProviderPaymentInit = MessageInitShape<typeof adapterv1.ProviderPaymentSchema>;
type ExchangeInit = ProviderExchangeInit;

const BANKS_BY_NAME: ReadonlyMap<string, VirtualAccountBank> = new Map(
  [...MIDTRANS_BANKS].map(([bank, name]) => [name, bank]),
);

/**
 * The VA number a transaction carries, in either of Midtrans's shapes (PROVIDERS.md): BCA, BNI
 * and BRI answer `va_numbers: [{bank, va_number}]`, Permata a flat `permata_va_number`.
 */
export function virtualAccountOf(
  transaction: MidtransTransaction,
): { bank: VirtualAccountBank; vaNumber: string } | undefined {
  if (transaction.permata_va_number !== undefined && transaction.permata_va_number !== "") {
    return { bank: VirtualAccountBank.PERMATA, vaNumber: transaction.permata_va_number };
  }
  const first = transaction.va_numbers?.[0];
  if (first === undefined) return undefined;
  return { bank: BANKS_BY_NAME.get(first.bank) ?? VirtualAccountBank.UNSPECIFIED, vaNumber: first.va_number };
}

/** A Midtrans transaction as Paymesh's ProviderPayment. */
export function paymentFromTransaction(transaction: MidtransTransaction): ProviderPaymentInit {
  const status = paymentStatusFromMidtrans(transaction.transaction_status, transaction.fraud_status);
  const account = virtualAccountOf(transaction);
  const expiresAt = parseAnswerTime(transaction.expiry_time);
  const failure = failureFromMidtrans(transaction);
  return {
    status,
    providerReference: transaction.transaction_id,
    providerStatus: transaction.transaction_status,
    // Midtrans VA charges are IDR only; gross_amount is "25000.00".
    amount: { currency: "IDR", minorUnits: parseDecimalAmount(transaction.gross_amount, "IDR") },
    ...(status === PaymentStatus.REQUIRES_ACTION && account !== undefined
      ? { customerAction: { action: { case: "virtualAccount", value: account } } }
      : {}),
    ...(expiresAt === undefined ? {} : { expiresAt: timestampFromDate(expiresAt) }),
    ...(failure === undefined ? {} : { failure }),
  };
}

/** The audit record of one HTTP exchange, as the router stores it (bodies already masked by the client). */
export const toExchange: (exchange: MidtransExchange) => ExchangeInit = toExchangeInit;
