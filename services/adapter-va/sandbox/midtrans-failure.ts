import type { ProviderAnswer } from "@paymesh/sandbox-kit";

/**
 * Which HTTP status carries each error `status_code`. Midtrans answers several errors with
 * HTTP 200 and the error only in the body (its official Node client checks the body's
 * status_code for that reason); which ones exactly is *unconfirmed*. The simulator's choice:
 * validation, duplicate, expired and cannot-modify ride on HTTP 200; authentication, not found,
 * rate limiting and server errors carry their own HTTP status. Clients must read the body first.
 */
export function httpStatusFor(statusCode: string): number {
  if (["400", "402", "406", "407", "410", "412"].includes(statusCode)) return 200;
  const status = Number(statusCode);
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : 500;
}

/**
 * A Midtrans error answer, thrown anywhere in a route and written as
 * `{"status_code","status_message","id","validation_messages"?}` in one place.
 */
export class MidtransFailure extends Error {
  readonly statusCode: string;
  readonly httpStatus: number;
  readonly validationMessages: readonly string[] | undefined;

  constructor(
    statusCode: string,
    message: string,
    options: { httpStatus?: number; validationMessages?: readonly string[] } = {},
  ) {
    super(message);
    this.name = "MidtransFailure";
    this.statusCode = statusCode;
    this.httpStatus = options.httpStatus ?? httpStatusFor(statusCode);
    this.validationMessages = options.validationMessages;
  }

  /** The error body; `id` is the request id Midtrans puts in every error answer. */
  toBody(id: string): Record<string, unknown> {
    return {
      status_code: this.statusCode,
      status_message: this.message,
      id,
      ...(this.validationMessages === undefined ? {} : { validation_messages: this.validationMessages }),
    };
  }

  /** The whole answer: the HTTP status that carries the error, and its body with request `id`. */
  toAnswer(id: string): ProviderAnswer {
    return { status: this.httpStatus, body: this.toBody(id) };
  }
}

/** The documented cases the simulator answers, with Midtrans-style messages. */
export const failures = {
  validation: (messages: readonly string[]) =>
    new MidtransFailure("400", "One or more parameters in the payload is invalid.", {
      validationMessages: messages,
    }),
  unauthorized: () =>
    new MidtransFailure(
      "401",
      "Access denied due to unauthorized transaction, please check client or server key",
    ),
  notFound: () => new MidtransFailure("404", "Transaction doesn't exist."),
  duplicateOrderId: () =>
    new MidtransFailure(
      "406",
      "The request could not be completed due to a conflict with the current state of the target resource, please try again",
    ),
  cannotModify: () => new MidtransFailure("412", "Merchant cannot modify the status of the transaction"),
  rateLimited: (detail = "") => new MidtransFailure("429", `Too many requests ${detail}`.trim()),
  internal: (detail = "") =>
    new MidtransFailure(
      "500",
      `Sorry. Our system is recovering from unexpected issues. Please retry. ${detail}`.trim(),
    ),
} as const;
