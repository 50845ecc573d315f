import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { enumNumber, parseChoiceList } from "../enum-value.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";

const STATUSES = ["pending", "requires_action", "processing", "succeeded", "failed", "canceled"] as const;
const METHODS = ["qris", "virtual_account", "bank_transfer", "remittance"] as const;

const HELP = `Usage: paymesh payments list [options]

Calls PaymentService.ListPayments and prints one line per payment, newest first: id, status,
amount, method and creation time. When there are more, the --page-token for the next page goes to
stderr.

Options:
  --status <s,s>           only these statuses: ${STATUSES.join(", ")}
  --method <m,m>           only these methods: ${METHODS.join(", ")}
                           (either list also takes the forms the CLI prints: bankTransfer,
                           PAYMENT_STATUS_SUCCEEDED, PAYMENT_METHOD_TYPE_QRIS)
  --since <ISO time>       created at or after
  --until <ISO time>       created before
  --limit <n>              page size, 1..100 (default 20)
  --page-token <token>     continue from a previous page
${JSON_OPTION_HELP}:
                           {"payments": [<Payment as proto3 JSON>, …], "nextPageToken": "…"}
${ROUTER_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments list --status succeeded,requires_action --limit 10`;

/** `paymesh payments list`: what the router holds for this caller, filtered, a page at a time. */
export const paymentsListCommand: Command = {
  help: HELP,
  async run({ args, env, print, warn }) {
    const { values } = parseCommandArgs(
      "payments list",
      args,
      {
        ...ROUTER_OPTIONS,
        status: { type: "string" },
        method: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
        limit: { type: "string" },
        "page-token": { type: "string" },
        ...JSON_OPTION,
      },
      { names: [] },
    );
    const statuses = parseChoiceList("payments list", "status", values.status, STATUSES, "PAYMENT_STATUS_");
    const methods = parseChoiceList(
      "payments list",
      "method",
      values.method,
      METHODS,
      "PAYMENT_METHOD_TYPE_",
    );
    const limit = parseLimit("payments list", values.limit, { max: 100, fallback: 20 });
    const since = values.since === undefined ? undefined : time(values.since, "since");
    const until = values.until === undefined ? undefined : time(values.until, "until");
    const [{ timestampFromDate }, proto, { paymentObject, withPaymentClient }, { paymentLine }] =
      await Promise.all([
        import("@bufbuild/protobuf/wkt"),
        import("@paymesh/proto"),
        import("../payment-client.ts"),
        import("../payment-lines.ts"),
      ]);
    const page = await withPaymentClient(resolveRouterTarget(values, env), (client, deadline) =>
      client.listPayments(
        {
          pageSize: limit,
          pageToken: values["page-token"] ?? "",
          statuses: statuses.map((name) => enumNumber(proto.PaymentStatus, name)),
          methods: methods.map((name) => enumNumber(proto.PaymentMethodType, name)),
          ...(since === undefined ? {} : { createdAfter: timestampFromDate(since) }),
          ...(until === undefined ? {} : { createdBefore: timestampFromDate(until) }),
        },
        { deadline },
      ),
    );
    if (values.json === true) {
      const payments = page.payments.map(paymentObject);
      printJson(print, { payments, nextPageToken: page.nextPageToken });
    } else {
      for (const payment of page.payments) print(paymentLine(payment));
      if (page.payments.length === 0) print("no payments");
    }
    if (page.nextPageToken !== "") warn(`next page: --page-token ${page.nextPageToken}`);
    return 0;
  },
};

function time(value: string, option: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw usageError(`payments list: --${option} "${value}" is not an ISO time`);
  return date;
}
