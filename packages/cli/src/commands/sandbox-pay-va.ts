import { resolveSandboxUrl, sandboxUrlHelp } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { postJson, replyText } from "../http-json.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/**
 * `paymesh sandbox pay va`: plays the customer transferring to the virtual account. The Midtrans
 * simulator settles the VA and sends its signed notification to the router, which confirms it with
 * the status API before the payment moves.
 */
export const sandboxPayVaCommand: Command = {
  help: `Usage: paymesh sandbox pay va <payment-id> [options]

Tells the Midtrans simulator that the customer paid the VA (POST /sim/pay {"order_id"}). The
simulator settles it and sends its payment notification to the router's webhook, and the payment
moves to SUCCEEDED. Prints the simulator's answer ("notified" is the router's HTTP status).

Arguments:
  <payment-id>             the "pay_…" id; the adapter uses it as Midtrans order_id

Options:
${sandboxUrlHelp("va")}
${JSON_OPTION_HELP}

Example:
  ./run pnpm paymesh sandbox pay va pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "sandbox pay va",
      args,
      { "sandbox-url": { type: "string" }, ...JSON_OPTION },
      { names: ["payment-id"] },
    );
    const url = resolveSandboxUrl("va", values["sandbox-url"], env);
    print(
      replyText(await postJson(`${url}/sim/pay`, { order_id: positionals[0] ?? "" }), values.json === true),
    );
    return 0;
  },
};
