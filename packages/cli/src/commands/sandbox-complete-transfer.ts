import { resolveSandboxUrl, sandboxUrlHelp } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { parseChoice } from "../enum-value.ts";
import { postJson, replyText } from "../http-json.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/** Xendit's documented disbursement failure codes, which the simulator accepts in /sim/complete. */
const FAILURE_CODES = [
  "INSUFFICIENT_BALANCE",
  "INVALID_DESTINATION",
  "REJECTED_BY_BANK",
  "TEMPORARY_BANK_NETWORK_ERROR",
  "UNKNOWN_BANK_NETWORK_ERROR",
  "TRANSFER_ERROR",
] as const;

/**
 * `paymesh sandbox complete transfer`: plays the bank network answering a payout. The Xendit
 * simulator completes (or fails) the disbursement and sends its callback to the router.
 */
export const sandboxCompleteTransferCommand: Command = {
  help: `Usage: paymesh sandbox complete transfer <payment-id> [--fail <FAILURE_CODE>] [options]

Tells the Xendit simulator that the bank network answered the payout (POST /sim/complete
{"external_id", "status"}). It sends its callback to the router's webhook, and the payment moves
to SUCCEEDED, or to FAILED with --fail. Prints the simulator's answer.

Arguments:
  <payment-id>             the "pay_…" id; the adapter uses it as Xendit external_id

Options:
  --fail <FAILURE_CODE>    fail the payout with this Xendit failure_code instead of completing it:
                           ${FAILURE_CODES.slice(0, 3).join(", ")},
                           ${FAILURE_CODES.slice(3).join(", ")}
${sandboxUrlHelp("transfer")}
${JSON_OPTION_HELP}

Example:
  ./run pnpm paymesh sandbox complete transfer pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y
  ./run pnpm paymesh sandbox complete transfer pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y --fail REJECTED_BY_BANK`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "sandbox complete transfer",
      args,
      { fail: { type: "string" }, "sandbox-url": { type: "string" }, ...JSON_OPTION },
      { names: ["payment-id"] },
    );
    const failure =
      values.fail === undefined
        ? undefined
        : parseChoice("sandbox complete transfer", "fail", values.fail, FAILURE_CODES);
    const url = resolveSandboxUrl("transfer", values["sandbox-url"], env);
    const body = {
      external_id: positionals[0] ?? "",
      // Explicit even when completing: without a status the simulator lets magic account numbers
      // decide, and this command should do what it says.
      status: failure === undefined ? "COMPLETED" : "FAILED",
      ...(failure === undefined ? {} : { failure_code: failure }),
    };
    print(replyText(await postJson(`${url}/sim/complete`, body), values.json === true));
    return 0;
  },
};
