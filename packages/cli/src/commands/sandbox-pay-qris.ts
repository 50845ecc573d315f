import { resolveSandboxUrl, sandboxUrlHelp } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { postJson, replyText } from "../http-json.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/**
 * `paymesh sandbox pay qris`: plays the customer scanning the QR. The simulator marks the QR paid and
 * sends its signed notification to the router, which is the asynchronous half of a payment's life
 * that a local run otherwise never sees.
 */
export const sandboxPayQrisCommand: Command = {
  help: `Usage: paymesh sandbox pay qris <payment-id> [options]

Tells the QRIS simulator that the customer paid (POST /sim/pay). The simulator then sends its
signed payment notification to the router's webhook, and the payment moves to SUCCEEDED. Prints
the simulator's answer.

Arguments:
  <payment-id>             the "pay_…" id; the adapter uses it as SNAP partnerReferenceNo

Options:
${sandboxUrlHelp("qris")}
${JSON_OPTION_HELP}

Example:
  ./run pnpm paymesh sandbox pay qris pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "sandbox pay qris",
      args,
      { "sandbox-url": { type: "string" }, ...JSON_OPTION },
      { names: ["payment-id"] },
    );
    const url = resolveSandboxUrl("qris", values["sandbox-url"], env);
    const reply = await postJson(`${url}/sim/pay`, { partnerReferenceNo: positionals[0] ?? "" });
    print(replyText(reply, values.json === true));
    return 0;
  },
};
