import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { formatMinorUnits } from "@paymesh/adapter-kit";
import { type Payment, PaymentMethodType, PaymentStatus } from "@paymesh/proto";
import { ROUTER_OPTIONS, ROUTER_OPTIONS_HELP, resolveRouterTarget } from "../cli-config.ts";
import { usageError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { paymentJson, withPaymentClient } from "../payment-client.ts";

const HELP = `Usage: paymesh payments list [options]

Calls PaymentService.ListPayments and prints one line per payment, newest first.

Options:
  --status <s,s>           only these statuses: pending, requires_action, processing, succeeded,
                           failed, canceled, expired
  --method <m,m>           only these methods: qris, virtual_account, bank_transfer, remittance
  --since <ISO time>       created at or after
  --until <ISO time>       created before
  --limit <n>              page size, 1..100 (default 20)
  --page-token <token>     continue from a previous page
  --json                   print the payments as JSON instead
${ROUTER_OPTIONS_HELP}

Example:
  pnpm paymesh payments list --status succeeded,requires_action --limit 10`;

/** `paymesh payments list`: what the router holds for this caller, filtered, a page at a time. */
export const paymentsListCommand: Command = {
  path: ["payments", "list"],
  summary: "List payments, newest first, with filters",
  help: HELP,
  async run({ args, env, print }) {
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
        json: { type: "boolean" },
      },
      { names: [] },
    );
    const statuses = enumList(values.status, "status", PaymentStatus as unknown as Record<string, number>);
    const methods = enumList(values.method, "method", PaymentMethodType as unknown as Record<string, number>);
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw usageError("payments list: --limit must be 1 to 100");
    const target = resolveRouterTarget(values, env);
    const page = await withPaymentClient(target, (client, deadline) =>
      client.listPayments(
        {
          pageSize: limit,
          pageToken: values["page-token"] ?? "",
          statuses,
          methods,
          ...(values.since === undefined
            ? {}
            : { createdAfter: timestampFromDate(time(values.since, "since")) }),
          ...(values.until === undefined
            ? {}
            : { createdBefore: timestampFromDate(time(values.until, "until")) }),
        },
        { deadline },
      ),
    );
    if (values.json === true) {
      print(`[${page.payments.map((payment) => paymentJson(payment)).join(",\n")}]`);
    } else {
      for (const payment of page.payments) print(line(payment));
      if (page.payments.length === 0) print("no payments");
    }
    if (page.nextPageToken !== "") print(`next page: --page-token ${page.nextPageToken}`);
    return 0;
  },
};

function line(payment: Payment): string {
  const amount =
    payment.amount === undefined
      ? ""
      : `${formatMinorUnits(payment.amount.minorUnits, payment.amount.currency)} ${payment.amount.currency}`;
  const created = payment.createdAt === undefined ? "" : timestampDate(payment.createdAt).toISOString();
  const status = (PaymentStatus[payment.status] ?? "").toLowerCase();
  const flag = payment.outcomeUnknown ? " (outcome unknown)" : "";
  return `${payment.id}  ${status.padEnd(15)} ${amount.padStart(18)}  ${(payment.method.case ?? "").padEnd(14)} ${created}${flag}`;
}

function enumList(value: string | undefined, option: string, values: Record<string, number>): number[] {
  if (value === undefined) return [];
  return value.split(",").map((name) => {
    const number = values[name.trim().toUpperCase()];
    if (number === undefined || number === 0)
      throw usageError(`payments list: unknown --${option} "${name}"`);
    return number;
  });
}

function time(value: string, option: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw usageError(`payments list: --${option} "${value}" is not an ISO time`);
  return date;
}
