import { invalidField, missingField } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason } from "@paymesh/proto";
import { checkAccountNumber, xenditBankCode } from "./bank-codes.ts";

/** Everything `POST /disbursements` needs, checked. */
export interface PayoutInstruction {
  /**
   * `X-IDEMPOTENCY-KEY`: the payment id itself. Deterministic, so every retry of one payment
   * carries the same key and Xendit can never pay twice; readable, so an operator finds the
   * payout in Xendit's dashboard by the Paymesh id.
   */
  idempotencyKey: string;
  /** `external_id`: the payment id too, which is how a lookup finds the payout again. */
  externalId: string;
  /** Whole rupiah. */
  amount: bigint;
  bankCode: string;
  accountNumber: string;
  accountHolderName: string;
  description: string;
}

// *unconfirmed*: Xendit's length limits for these two fields are not in PROVIDERS.md.
const MAX_NAME = 100;
const MAX_DESCRIPTION = 255;

/**
 * Checks a CreatePayment request against Xendit's rules before anything is sent, naming the field
 * at fault: a bank transfer method, whole rupiah (Xendit takes no cents), a bank Xendit pays to,
 * an account number of that bank's shape, and a holder name.
 */
export function payoutInstruction(request: adapterv1.CreatePaymentRequest): PayoutInstruction {
  if (request.method.case !== "bankTransfer") {
    throw invalidField(
      "method",
      "this adapter serves bank transfer payouts only",
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  const method = request.method.value;
  const minorUnits = request.amount?.minorUnits ?? 0n;
  if (minorUnits % 100n !== 0n) {
    throw invalidField("amount.minor_units", "Xendit pays whole rupiah: IDR amounts must have zero cents");
  }
  if (method.bankCode.trim() === "") throw missingField("bank_transfer.bank_code");
  const bankCode = xenditBankCode(method.bankCode);
  if (method.accountNumber === "") throw missingField("bank_transfer.account_number");
  checkAccountNumber(bankCode, method.accountNumber);
  const accountHolderName = method.accountHolderName.trim();
  if (accountHolderName === "") throw missingField("bank_transfer.account_holder_name");
  // No control characters, and a letter somewhere: what a bank's name check could ever match.
  if (
    accountHolderName.length > MAX_NAME ||
    /\p{Cc}/u.test(accountHolderName) ||
    !/\p{L}/u.test(accountHolderName)
  ) {
    throw invalidField(
      "bank_transfer.account_holder_name",
      `must be a name of at most ${MAX_NAME} printable characters`,
    );
  }
  const description =
    request.description === "" ? `Paymesh payout ${request.paymentId}` : request.description;
  if (description.length > MAX_DESCRIPTION) {
    throw invalidField("description", `must be at most ${MAX_DESCRIPTION} characters for Xendit`);
  }
  return {
    idempotencyKey: request.paymentId,
    externalId: request.paymentId,
    amount: minorUnits / 100n,
    bankCode,
    accountNumber: method.accountNumber,
    accountHolderName,
    description,
  };
}
