import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** The router's default and maximum for `GET /admin/payments/stuck?limit=`. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/** One payment as the router's stuck-payments admin API answers it. */
interface StuckPayment {
  id: string;
  caller: string;
  status: string;
  adapter: string;
  outcomeUnknown: boolean;
  needsReview: boolean;
  reviewReason: string | null;
  attempts: number;
  nextCheckAt: string | null;
  lastAnswer: string | null;
  lastExchange: { operation: string; responseStatus: number; transportError: string; at: string } | null;
}

/** `paymesh payments stuck`: everything the status resolver is chasing or left for a person, and why. */
export const paymentsStuckCommand: Command = {
  help: `Usage: paymesh payments stuck [options]

Asks the router (GET /admin/payments/stuck on its HTTP port) for every payment, of every caller,
that is waiting on something: the status resolver has a check scheduled (the provider's outcome is
unknown, the router that created it died mid-call, or the provider's webhook never came) or gave up
after its horizon and raised it for manual review (a person decides; Paymesh never guesses). One
line each, newest first: id, status, adapter, caller, the resolver's attempts and next check, why
it waits, and the last answer the resolver got.

Options:
  --limit <n>              at most this many, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT})
${JSON_OPTION_HELP}: the router's answer, {"payments": […]}
${ROUTER_HTTP_OPTIONS_HELP}

Example:
  ./run pnpm paymesh payments stuck`,
  async run({ args, env, print, warn }) {
    const { values } = parseCommandArgs(
      "payments stuck",
      args,
      { ...ROUTER_HTTP_OPTIONS, limit: { type: "string" }, ...JSON_OPTION },
      { names: [] },
    );
    const limit = parseLimit("payments stuck", values.limit, { max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/payments/stuck?limit=${limit}`,
    );
    if (values.json === true) {
      printJson(print, answer);
      return 0;
    }
    const payments = stuckPayments(answer);
    if (payments.length === 0) {
      print("nothing is stuck");
      return 0;
    }
    for (const payment of payments) {
      const why = payment.needsReview
        ? `needs review: ${payment.reviewReason ?? ""}`
        : payment.outcomeUnknown
          ? "outcome unknown: the resolver is asking the provider"
          : `waiting for the provider (${payment.status === "pending" ? "never confirmed" : "no final word yet"})`;
      const next = payment.nextCheckAt === null ? "no next check" : `next check ${payment.nextCheckAt}`;
      const last =
        payment.lastAnswer ??
        (payment.lastExchange === null
          ? "no answer yet"
          : `${payment.lastExchange.operation} ${payment.lastExchange.transportError || `HTTP ${payment.lastExchange.responseStatus}`}`);
      print(
        `${payment.id}  ${payment.status.padEnd(15)} ${payment.adapter.padEnd(12)} ${payment.caller}  ` +
          `attempts ${payment.attempts}, ${next}  ${why}; last answer: ${last}`,
      );
    }
    if (payments.length === limit) warn(`(the newest ${limit}; there may be more: raise --limit)`);
    return 0;
  },
};

function stuckPayments(answer: unknown): StuckPayment[] {
  const payments = (answer as { payments?: unknown } | null)?.payments;
  if (!Array.isArray(payments)) throw new CliError("the router's answer has no payments list");
  return payments as StuckPayment[];
}
