import { PaymeshError } from "@paymesh/adapter-kit";
import { type CreateQuoteRequest, ErrorReason, PaymentMethodType, type Quote } from "@paymesh/proto";
import type { AdapterRegistry } from "../adapters/adapter-handle.ts";
import type { RequestContext } from "./request-context.ts";

/** CreateQuote: the preferred (else first) remittance adapter's quote, naming that adapter. */
export function createQuoter(options: {
  registry: AdapterRegistry;
  /** The deadline of an adapter call made for this request. */
  adapterDeadline: (context: RequestContext) => Date;
}) {
  const { registry, adapterDeadline } = options;

  return async function createQuote(context: RequestContext, request: CreateQuoteRequest): Promise<Quote> {
    const handle = registry.adaptersFor(PaymentMethodType.REMITTANCE, request.preferredAdapter)[0];
    if (handle === undefined)
      throw new PaymeshError(ErrorReason.METHOD_NOT_SUPPORTED, "no remittance adapter is configured");
    const response = await handle.client.createQuote(
      {
        sourceCurrency: request.sourceCurrency,
        targetCurrency: request.targetCurrency,
        amount: request.amount,
      },
      { deadline: adapterDeadline(context), signal: context.signal },
    );
    if (response.quote === undefined)
      throw new PaymeshError(ErrorReason.PROVIDER_ERROR, "the adapter returned no quote");
    return { ...response.quote, adapter: handle.name };
  };
}
