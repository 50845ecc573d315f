import {
  createProviderHttp,
  type HttpExchange,
  type ProviderHttp,
  type ProviderHttpAnswer,
  ProviderTransportError,
} from "@paymesh/adapter-kit";
import { maskJsonText } from "./masking.ts";

/** The operations the Xendit client performs, as recorded in exchanges. */
export type XenditOperation =
  | "createDisbursement"
  | "getDisbursement"
  | "findDisbursements"
  | "listTransactions";

/**
 * One HTTP round trip, for the payment's audit trail (maps onto ProviderExchange). Bodies are
 * recorded with account numbers and names masked: this record is stored and logged.
 */
export type XenditExchange = HttpExchange<XenditOperation>;

/**
 * No usable answer arrived. `sent` is false only when the request provably never left this
 * process (connection refused, DNS failure, aborted before sending); when true, Xendit may have
 * acted and the outcome must be resolved by asking it, never guessed (DESIGN.md section 4).
 * `exchange` is the failed round trip; `exchanges` every one of the call, retried attempts first.
 */
export class XenditTransportError extends ProviderTransportError<XenditExchange> {
  override readonly name = "XenditTransportError";
  /** Marker for {@link isXenditTransportError}, which survives duplicated module copies. */
  readonly xenditTransportError = true;
}

/** True for a {@link XenditTransportError}, by marker property rather than `instanceof`. */
export function isXenditTransportError(error: unknown): error is XenditTransportError {
  return typeof error === "object" && error !== null && "xenditTransportError" in error;
}

/** A raw answer: status, headers (Retry-After), text, and its (masked) exchange record. */
export type RawAnswer = ProviderHttpAnswer<XenditOperation>;

/**
 * The transport to Xendit (adapter-kit's provider HTTP): bodies masked with account numbers and
 * names cut down before they are recorded, failures thrown as {@link XenditTransportError}.
 */
export function createXenditHttp(options: {
  baseUrl: string;
  timeoutMs: number;
  clock: () => Date;
  fetch: typeof fetch;
}): ProviderHttp<XenditOperation> {
  return createProviderHttp<XenditOperation>({
    ...options,
    maskBody: maskJsonText,
    transportError: (message, init) => new XenditTransportError(message, init),
  });
}
