import type { ProviderAnswer } from "@paymesh/sandbox-kit";

/**
 * The error codes the simulator answers, with the HTTP status and the message Xendit words them
 * with. The first nine are Xendit's "Disbursement Errors" page ("Errors in creating the
 * disbursement"); the HTTP statuses, the messages and the codes after SERVER_ERROR are
 * *unconfirmed* (taken to look like Xendit's public API reference).
 */
export const XENDIT_ERRORS = {
  API_VALIDATION_ERROR: { status: 400, message: "Request body is invalid" },
  INVALID_JSON_FORMAT: { status: 400, message: "The request body is not valid JSON" },
  BANK_CODE_NOT_SUPPORTED_ERROR: { status: 400, message: "Destination bank code is not supported" },
  RECIPIENT_ACCOUNT_NUMBER_ERROR: {
    status: 400,
    message:
      "For transfers to this bank, the account number must be of a valid length and contain only digits",
  },
  RECIPIENT_AMOUNT_ERROR: {
    status: 400,
    message: "The transfer amount requested is lower than the prescribed minimum for the chosen destination",
  },
  MAXIMUM_TRANSFER_LIMIT_ERROR: {
    status: 400,
    message: "The transfer amount requested is higher than the prescribed maximum for the chosen destination",
  },
  DUPLICATE_TRANSACTION_ERROR: {
    status: 400,
    message: "Idempotency key has been used before. Use a unique idempotency key and try again",
  },
  REQUEST_FORBIDDEN_ERROR: { status: 403, message: "The API key is forbidden to perform this request" },
  SERVER_ERROR: {
    status: 500,
    message: "Something unexpected happened, we are investigating this issue now",
  },
  INVALID_API_KEY: { status: 401, message: "API key is not authorized for this API service" },
  DISBURSEMENT_NOT_FOUND_ERROR: { status: 404, message: "Disbursement not found" },
  DIRECT_DISBURSEMENT_NOT_FOUND_ERROR: { status: 404, message: "Direct disbursement not found" },
  RATE_LIMIT_EXCEEDED: { status: 429, message: "Too many requests, slow down" },
  NOT_FOUND: { status: 404, message: "The requested resource was not found" },
} as const satisfies Record<string, { status: number; message: string }>;

/** One of the codes in {@link XENDIT_ERRORS}. */
export type XenditErrorCode = keyof typeof XENDIT_ERRORS;

/** True for a code the simulator knows how to answer. */
export function isXenditErrorCode(value: unknown): value is XenditErrorCode {
  return typeof value === "string" && Object.hasOwn(XENDIT_ERRORS, value);
}

/**
 * A Xendit error answer, thrown anywhere in a route and written as
 * `{"error_code","message"}` with its HTTP status in one place (docs/providers.md, "Errors").
 */
export class XenditFailure extends Error {
  readonly httpStatus: number;
  readonly errorCode: XenditErrorCode;

  constructor(errorCode: XenditErrorCode, detail?: string) {
    const known = XENDIT_ERRORS[errorCode];
    super(detail === undefined ? known.message : `${known.message}: ${detail}`);
    this.name = "XenditFailure";
    this.httpStatus = known.status;
    this.errorCode = errorCode;
  }

  /** The error body exactly as Xendit shapes it. */
  toBody(): { error_code: string; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
  /** The whole answer: the HTTP status and Xendit's error body. */
  toAnswer(): ProviderAnswer {
    return { status: this.httpStatus, body: this.toBody() };
  }
}
