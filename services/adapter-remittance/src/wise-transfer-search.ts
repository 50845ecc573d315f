import type { ProviderExchangeInit } from "@paymesh/adapter-kit";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError } from "./wise-error-map.ts";
import { customerTransactionId, type WiseTransfer } from "./wise-wire.ts";

/** Page size of the transfer search; Wise's list answers at most this many per call (*unconfirmed*). */
const PAGE_SIZE = 100;

/**
 * Finds the Wise transfer of a payment. With a provider reference (the transfer id) it is one GET;
 * a transfer whose customerTransactionId is not this payment's is someone else's and counts as not
 * found, and so does any 404. Without one — the router lost the answer to CreatePayment — Wise
 * offers no lookup by customerTransactionId, so the newest `pages` pages of the profile's transfers
 * are searched (newest first, where a payment being resolved is). Undefined when Wise has no such
 * transfer.
 */
export async function findTransfer(input: {
  client: WiseClient;
  paymentId: string;
  providerReference: string;
  pages: number;
  exchanges: ProviderExchangeInit[];
  signal: AbortSignal;
}): Promise<WiseTransfer | undefined> {
  const { client, exchanges, signal } = input;
  const wanted = customerTransactionId(input.paymentId);
  if (input.providerReference !== "") {
    const answer = await recorded(exchanges, () => client.getTransfer(input.providerReference, signal));
    if (answer.ok) {
      const theirs = answer.body.customerTransactionId;
      return theirs === "" || theirs === wanted ? answer.body : undefined;
    }
    if (answer.status === 404) return undefined;
    throw wiseError("getTransfer", answer);
  }
  for (let page = 0; page < input.pages; page += 1) {
    const answer = await recorded(exchanges, () =>
      client.listTransfers({ offset: page * PAGE_SIZE, limit: PAGE_SIZE, signal }),
    );
    if (!answer.ok) throw wiseError("listTransfers", answer);
    const found = answer.body.find((transfer) => transfer.customerTransactionId === wanted);
    if (found !== undefined) return found;
    if (answer.body.length < PAGE_SIZE) return undefined;
  }
  return undefined;
}
