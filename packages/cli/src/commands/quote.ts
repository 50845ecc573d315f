import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { helpHint, JSON_OPTION, requireOptions } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/**
 * `paymesh quote`: locks an exchange rate for a remittance (CreateQuote). A remittance is always paid
 * at a quote's rate, so this is the first step of `pay remittance`, and it prints that command with
 * the quote's id and amounts filled in.
 */
export const quoteCommand: Command = {
  help: `Usage: paymesh quote --from <currency> --to <currency> --amount <decimal> [options]
       paymesh quote --from <currency> --to <currency> --target-amount <decimal> [options]

Calls PaymentService.CreateQuote on the router. Prints the quote: its id (for pay remittance), the
amount sent and received, the rate as the provider's exact decimal, the fees (in the source
currency) and when the locked rate expires. Amounts are written at each currency's ISO 4217
exponent: 1500000.00 IDR, 75.52 GBP, 10000 JPY (no decimals).

Options:
  --from <currency>        required; what the sender pays in: IDR, SGD or USD
  --to <currency>          required; what the recipient gets, e.g. GBP, EUR, USD, AUD, SGD, JPY
  --amount <decimal>       how much is sent, in --from; the fee comes off it
  --target-amount <decimal>
                           or: how much must arrive, in --to; the fee is added on top
  --json                   print only the Quote, as proto3 JSON (one document on stdout)
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh quote --from IDR --to GBP --amount 1500000
  ./run pnpm paymesh quote --from USD --to JPY --target-amount 10000`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "quote",
      args,
      {
        from: { type: "string" },
        to: { type: "string" },
        amount: { type: "string" },
        "target-amount": { type: "string" },
        ...JSON_OPTION,
        ...ROUTER_OPTIONS,
      },
      { names: [] },
    );
    const given = requireOptions("quote", values, ["from", "to"]);
    const source = values.amount;
    const target = values["target-amount"];
    if ((source === undefined) === (target === undefined)) {
      throw usageError("quote: give exactly one of --amount and --target-amount", helpHint("quote"));
    }
    const [{ parseCurrency, parseCurrencyAmount }, { withPaymentClient }] = await Promise.all([
      import("../currency-amount.ts"),
      import("../payment-client.ts"),
    ]);
    const sourceCurrency = parseCurrency(given.from, "--from");
    const targetCurrency = parseCurrency(given.to, "--to");
    const amount =
      source !== undefined
        ? ({
            case: "sourceAmount",
            value: { currency: sourceCurrency, minorUnits: parseCurrencyAmount(source, sourceCurrency) },
          } as const)
        : ({
            case: "targetAmount",
            value: {
              currency: targetCurrency,
              minorUnits: parseCurrencyAmount(target ?? "", targetCurrency),
            },
          } as const);
    const quote = await withPaymentClient(
      resolveRouterTarget(values, env),
      async (client, deadline) =>
        (await client.createQuote({ sourceCurrency, targetCurrency, amount }, { deadline })).quote,
    );
    if (quote === undefined) throw new Error("router answered CreateQuote without a quote");
    const { quoteJson, quoteText } = await import("../quote-text.ts");
    print(values.json === true ? quoteJson(quote) : quoteText(quote));
    return 0;
  },
};
