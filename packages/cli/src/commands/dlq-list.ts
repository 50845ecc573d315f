import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { deadLetterList, deadLetterTable } from "../dead-letters.ts";
import { JSON_OPTION, JSON_OPTION_HELP, parseLimit } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** The router's own default and maximum for `GET /admin/dlq?limit=`. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** `paymesh dlq list`: the provider webhooks the router's work queue gave up on, oldest first. */
export const dlqListCommand: Command = {
  help: `Usage: paymesh dlq list [options]

Asks the router (GET /admin/dlq on its HTTP port) for the messages its work queue dead-lettered
after the last retry, oldest first, and prints one line each: the id (what "dlq show", "dlq replay"
and "dlq drop" take), the attempts, the last handler error and the start of the event.

Options:
  --limit <n>              at most this many, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT})
${ROUTER_HTTP_OPTIONS_HELP}
${JSON_OPTION_HELP}; the router's answer,
                           {"deadLetters": […]}

Example:
  ./run pnpm paymesh dlq list --limit 10`,
  async run({ args, env, print, warn }) {
    const { values } = parseCommandArgs(
      "dlq list",
      args,
      { ...ROUTER_HTTP_OPTIONS, limit: { type: "string" }, ...JSON_OPTION },
      { names: [] },
    );
    const limit = parseLimit("dlq list", values.limit, { max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
    const answer = await callRouterAdmin(
      resolveRouterHttpTarget(values, env),
      "GET",
      `/admin/dlq?limit=${limit}`,
    );
    const deadLetters = deadLetterList(answer);
    if (values.json === true) {
      print(JSON.stringify(answer, null, 2));
      return 0;
    }
    if (deadLetters.length === 0) {
      print("no dead letters");
      return 0;
    }
    for (const line of deadLetterTable(deadLetters)) print(line);
    if (deadLetters.length === limit) warn(`(the oldest ${limit}; there may be more: raise --limit)`);
    return 0;
  },
};
