import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { deadLetterPath } from "../dead-letters.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** `paymesh dlq replay`: hands a dead letter back to the work queue once its cause is fixed. */
export const dlqReplayCommand: Command = {
  help: `Usage: paymesh dlq replay <id> [options]

Asks the router (POST /admin/dlq/{id}/replay) to move the dead letter back to its work queue with
a fresh attempt count and without the dead-letter reason. The router handles it again like a new
webhook; if it fails every attempt again, it is dead-lettered again. Fix the cause first (see
"paymesh dlq show").

Arguments:
  <id>                     the message id from "paymesh dlq list", e.g. qris:snap-abc123

Options:
${ROUTER_HTTP_OPTIONS_HELP}
${JSON_OPTION_HELP}: {"id": "…", "replayed": true}

Example:
  ./run pnpm paymesh dlq replay qris:snap-abc123`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "dlq replay",
      args,
      { ...ROUTER_HTTP_OPTIONS, ...JSON_OPTION },
      {
        names: ["id"],
      },
    );
    const id = positionals[0] ?? "";
    await callRouterAdmin(resolveRouterHttpTarget(values, env), "POST", deadLetterPath(id, "/replay"));
    if (values.json === true) printJson(print, { id, replayed: true });
    else print(`replayed ${id}: back on the work queue`);
    return 0;
  },
};
