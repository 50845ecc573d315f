import {
  decodeQris,
  formatQrisAmount,
  isQrisError,
  type QrisDynamicOptions,
  toDynamicQris,
} from "@paymesh/qris";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { argumentOrStdin } from "../read-stdin.ts";
import { parseRupiahAmount } from "../rupiah-amount.ts";

/**
 * `paymesh qris dynamic`: stamps an amount onto a merchant's static sticker, giving the one-charge QR
 * a payer's app fills in by itself — handy to test a sticker end to end without the router.
 */
export const qrisDynamicCommand: Command = {
  help: `Usage: paymesh qris dynamic <static-payload> <amount> [options]

Turns a static QRIS payload (tag 01 = 11) into a dynamic one (01 = 12) carrying the amount in tag
54, with the CRC recomputed, and prints it.

Arguments:
  <static-payload>         the sticker's QR string (quoted), or "-" to read stdin
  <amount>                 whole rupiah, optionally with up to two decimals: 25000, 25000.50

Options:
  --reference-label <text> tag 62 sub-tag 05 (acquirers echo it in notifications)
  --terminal-label <text>  tag 62 sub-tag 07
  --bill-number <text>     tag 62 sub-tag 01
${JSON_OPTION_HELP}: {"payload": "…"}

Example:
  ./run pnpm paymesh qris dynamic '00020101021126...6304ABCD' 25000`,
  async run({ args, print }) {
    const { values, positionals } = parseCommandArgs(
      "qris dynamic",
      args,
      {
        "reference-label": { type: "string" },
        "terminal-label": { type: "string" },
        "bill-number": { type: "string" },
        ...JSON_OPTION,
      },
      { names: ["static-payload", "amount"], tooMany: "quote the payload, it contains spaces" },
    );
    const [payloadArgument = "", amountText = ""] = positionals;
    const amount = rupiahForQris(amountText);
    const payload = await argumentOrStdin(payloadArgument);
    // Decoded first on its own so a broken sticker is reported as such, not as a dynamic-QR problem.
    decodeQris(payload);
    const options: QrisDynamicOptions = { amount };
    if (values["reference-label"] !== undefined) options.referenceLabel = values["reference-label"];
    if (values["terminal-label"] !== undefined) options.terminalLabel = values["terminal-label"];
    if (values["bill-number"] !== undefined) options.billNumber = values["bill-number"];
    const dynamic = toDynamicQris(payload, options);
    if (values.json === true) printJson(print, { payload: dynamic });
    else print(dynamic);
    return 0;
  },
};

// Tag 54 holds at most 13 characters; say so as an amount problem rather than a payload problem.
function rupiahForQris(text: string): string {
  const minorUnits = parseRupiahAmount(text);
  try {
    return formatQrisAmount(minorUnits);
  } catch (error) {
    if (!isQrisError(error)) throw error;
    throw new CliError(
      `amount ${JSON.stringify(text)} does not fit in a QRIS amount (tag 54, 13 characters)`,
    );
  }
}
