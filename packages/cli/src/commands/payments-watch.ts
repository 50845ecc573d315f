import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

/**
 * `paymesh payments watch`: follows one payment over WatchPayment until it is final, so a newcomer
 * sees the webhook land the moment they pay in the simulator instead of polling `payments get`.
 */
export const paymentsWatchCommand: Command = {
  help: `Usage: paymesh payments watch <payment-id> [options]

Calls PaymentService.WatchPayment and prints a line for the payment's current state, then one for
each change, until it is final (succeeded, failed or canceled). Each line is the time of the
change, the status and the status it moved from.

Arguments:
  <payment-id>             the "pay_…" id from "paymesh pay"

Options:
${JSON_OPTION_HELP}; once the payment is final:
                           [{"payment": <Payment>, "previousStatus": "…"}, …], the proto3 JSON
                           of each WatchPaymentResponse; the first is the state the watch started
                           from (no previousStatus), the last the final one
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments watch pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y
  ./run pnpm paymesh sandbox pay qris pay_01JZ8X3V6Q4N7S2M5K9R1T0W3Y      # in another terminal`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "payments watch",
      args,
      { ...JSON_OPTION, ...ROUTER_OPTIONS },
      { names: ["payment-id"] },
    );
    const paymentId = positionals[0] ?? "";
    const [{ toJson }, { timestampDate }, proto, { withPaymentClient }, lines] = await Promise.all([
      import("@bufbuild/protobuf"),
      import("@bufbuild/protobuf/wkt"),
      import("@paymesh/proto"),
      import("../payment-client.ts"),
      import("../payment-lines.ts"),
    ]);
    const changes: unknown[] = [];
    // No deadline: a payment may wait minutes for its customer. Ctrl-C ends the watch.
    const final = await withPaymentClient(resolveRouterTarget(values, env), async (client) => {
      for await (const change of client.watchPayment({ paymentId })) {
        const { payment, previousStatus } = change;
        if (payment === undefined) continue;
        if (values.json === true) {
          changes.push(toJson(proto.WatchPaymentResponseSchema, change));
        } else {
          const at = payment.updatedAt === undefined ? "" : timestampDate(payment.updatedAt).toISOString();
          const from =
            previousStatus === proto.PaymentStatus.UNSPECIFIED
              ? ""
              : `  (was ${lines.statusName(previousStatus)})`;
          print(`${at}  ${payment.id}  ${lines.statusName(payment.status)}${from}`);
        }
        if (lines.isFinal(payment)) return payment;
      }
      return undefined;
    });
    if (final === undefined) {
      throw new CliError(`payments watch: the router ended the watch of ${paymentId} before it was final`);
    }
    if (values.json === true) printJson(print, changes);
    return 0;
  },
};
