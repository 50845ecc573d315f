import { currencyExponent } from "@paymesh/adapter-kit";
import { readFields } from "./body-fields.ts";
import { priceQuote } from "./pricing.ts";
import type { SimPaymentOption, SimQuote } from "./sim-state.ts";
import { quoteView } from "./views.ts";
import { notValid, wiseFailure } from "./wise-failure.ts";
import { param, requireProfile, type WiseRoute } from "./wise-route.ts";

/**
 * `POST /v3/profiles/{profileId}/quotes`: prices a transfer and locks the rate for
 * `quoteTtlSeconds` (docs/providers.md: `rateType` FIXED, ~30 min). Exactly one of `sourceAmount` and
 * `targetAmount`; a route the rate table lacks is `NOT_VALID` on the currency at fault.
 */
export const createQuoteRoute: WiseRoute = {
  method: "POST",
  pattern: /^\/v3\/profiles\/(\d+)\/quotes$/,
  endpoint: "create-quote",
  handle(context) {
    const { state } = context;
    const profileId = requireProfile(state, param(context, 0));
    const fields = readFields(context.rawBody);
    const sourceCurrency = fields.string("sourceCurrency", 3);
    const targetCurrency = fields.string("targetCurrency", 3);
    const sourceExponent = currencyExponent(sourceCurrency);
    const targetExponent = currencyExponent(targetCurrency);
    const fee = state.options.fees[sourceCurrency];
    if (sourceExponent === undefined || fee === undefined) {
      throw notValid("sourceCurrency", `Sending from ${sourceCurrency} is not supported`, sourceCurrency);
    }
    const rate = state.options.rates[`${sourceCurrency}>${targetCurrency}`];
    if (targetExponent === undefined || rate === undefined) {
      throw notValid(
        "targetCurrency",
        `Route ${sourceCurrency} to ${targetCurrency} is not supported`,
        targetCurrency,
      );
    }
    const sourceMinorUnits = fields.optionalAmount("sourceAmount", sourceCurrency);
    const targetMinorUnits = fields.optionalAmount("targetAmount", targetCurrency);
    if ((sourceMinorUnits === undefined) === (targetMinorUnits === undefined)) {
      throw notValid("sourceAmount", "Specify either sourceAmount or targetAmount");
    }
    const priced = priceQuote({
      rate,
      sourceExponent,
      targetExponent,
      fee,
      partnerFeeBps: state.options.partnerFeeBps,
      ...(sourceMinorUnits === undefined
        ? { targetMinorUnits: targetMinorUnits ?? 0n }
        : { sourceMinorUnits }),
    });
    const amountPath = sourceMinorUnits === undefined ? "targetAmount" : "sourceAmount";
    if (priced === undefined) throw notValid(amountPath, "Amount is too low to cover the fee");
    const now = state.options.clock();
    // BALANCE is what the adapter funds with; BANK_TRANSFER is there because Wise lists every way to pay.
    const options: SimPaymentOption[] = (["BALANCE", "BANK_TRANSFER"] as const).map((payIn) => ({
      payIn,
      ...priced,
    }));
    const quote: SimQuote = {
      id: state.options.newId(),
      profileId,
      sourceCurrency,
      targetCurrency,
      providedAmountType: sourceMinorUnits === undefined ? "TARGET" : "SOURCE",
      rate,
      createdAt: now,
      rateExpiresAt: new Date(now.getTime() + state.options.quoteTtlSeconds * 1000),
      forcedExpired: false,
      status: "PENDING",
      paymentOptions: options,
    };
    state.quotes.set(quote.id, quote);
    state.stats.quotes += 1;
    return { status: 200, body: quoteView(quote, now) };
  },
};

/** `GET /v3/profiles/{profileId}/quotes/{quoteId}`: the quote with its current status. */
export const getQuoteRoute: WiseRoute = {
  method: "GET",
  pattern: /^\/v3\/profiles\/(\d+)\/quotes\/([^/]+)$/,
  endpoint: "get-quote",
  handle(context) {
    const { state } = context;
    const profileId = requireProfile(state, param(context, 0));
    const quote = state.quotes.get(param(context, 1));
    if (quote === undefined || quote.profileId !== profileId) {
      throw wiseFailure(404, "quote.not.found", "Quote not found", "quoteId");
    }
    return { status: 200, body: quoteView(quote, state.options.clock()) };
  },
};
