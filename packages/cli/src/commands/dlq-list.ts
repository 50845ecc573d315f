import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { deadLetterList, deadLetterTable } from "../dead-letters.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** The router's own default and maximum for `GET /admin/dlq?limit=`. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

/** `paymesh dlq list`: the provider webhooks the router's work queue gave up on, oldest first. */
export const dlqListCommand: Command = {
  path: ["dlq", "list"],
  summary: "List the dead letters: webhooks the router gave up on after its retries",
  help: `Usage: paymesh dlq list [options]

Asks the router (GET /admin/dlq on its HTTP port) for the messages its work queue dead-lettered
after the last retry, oldest first, and prints one line each: the id (what "dlq show", "dlq replay"
and "dlq drop" take), the attempts, the last handler error and the start of the event.

Options:
  --limit <n>              at most this many, 1..${MAX_LIMIT} (default ${DEFAULT_LIMIT})
${ROUTER_HTTP_OPTIONS_HELP}
  --json                   print the router's answer as JSON

Example:
  pnpm paymesh dlq list --limit 10`,
  async run({ args, env, print }) {
    const { values } = parseCommandArgs(
      "dlq list",
      args,
      { ...ROUTER_HTTP_OPTIONS, limit: { type: "string" }, json: { type: "boolean" } },
      { names: [] },
    );
    const limit = parseLimit(values.limit);
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
    if (deadLetters.length === limit) print(`(the oldest ${limit}; there may be more: raise --limit)`);
    return 0;
  },
};

// Checked here, before anything is sent, like every other value the CLI takes (exit 1).
function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : 0;
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new CliError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, not ${JSON.stringify(text)}`);
  }
  return limit;
}
