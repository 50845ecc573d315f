import { PaymentStatus } from "@paymesh/proto";
import {
  ROUTER_OPTIONS,
  ROUTER_OPTIONS_HELP,
  type RouterTarget,
  resolveRouterTarget,
  resolveSandboxUrl,
  sandboxUrlHelp,
} from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseChoice } from "../enum-value.ts";
import { postJson, replyText } from "../http-json.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { getPayment } from "../payment-client.ts";

/** Wise transfer states the simulator can move a transfer to, plus "complete" (its fate). */
const TARGETS = [
  "complete",
  "processing",
  "funds_converted",
  "outgoing_payment_sent",
  "cancelled",
  "funds_refunded",
  "bounced_back",
  "charged_back",
] as const;

/**
 * `paymesh sandbox advance remittance`: plays Wise moving a transfer along (converting, paying out,
 * refunding). The simulator sends a signed webhook for each state it passes, which the router
 * applies. Wise knows the transfer by its own id, which the router holds as provider_reference.
 */
export const sandboxAdvanceRemittanceCommand: Command = {
  help: `Usage: paymesh sandbox advance remittance <payment-id> [--to <state>|complete] [options]

Looks the payment up on the router (GetPayment) for its provider_reference, the Wise transfer id,
then tells the Wise simulator to move that transfer (POST /sim/advance {"transferId", "to"}). The
simulator sends a signed webhook for every state on the way; the router applies them. Prints the
simulator's answer: the transfer's state and the router's HTTP status for each webhook.

Arguments:
  <payment-id>             the "pay_…" id of a remittance

Options:
  --to <state>             where to (default complete: paid out, unless the recipient's account
                           number is one of the simulator's magic ones), or a Wise state:
                           ${TARGETS.slice(1, 4).join(", ")},
                           ${TARGETS.slice(4).join(", ")}
${sandboxUrlHelp("remittance")}
${JSON_OPTION_HELP}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh sandbox advance remittance pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y
  ./run pnpm paymesh sandbox advance remittance pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y --to funds_refunded`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "sandbox advance remittance",
      args,
      { to: { type: "string" }, "sandbox-url": { type: "string" }, ...JSON_OPTION, ...ROUTER_OPTIONS },
      { names: ["payment-id"] },
    );
    const to =
      values.to === undefined
        ? "complete"
        : parseChoice("sandbox advance remittance", "to", values.to, TARGETS);
    // Before the router call, so a missing simulator is reported without a round trip.
    const url = resolveSandboxUrl("remittance", values["sandbox-url"], env);
    const transferId = await wiseTransferId(resolveRouterTarget(values, env), positionals[0] ?? "");
    print(replyText(await postJson(`${url}/sim/advance`, { transferId, to }), values.json === true));
    return 0;
  },
};

async function wiseTransferId(target: RouterTarget, paymentId: string): Promise<string> {
  const payment = await getPayment(target, paymentId);
  if (payment.method.case !== "remittance") {
    throw new CliError(
      `payment ${paymentId} is a ${payment.method.case ?? "method-less"} payment, not a remittance`,
    );
  }
  if (payment.providerReference === "") {
    const status = PaymentStatus[payment.status] ?? String(payment.status);
    throw new CliError(
      `payment ${paymentId} has no Wise transfer yet (status ${status}); nothing to advance`,
    );
  }
  return payment.providerReference;
}
