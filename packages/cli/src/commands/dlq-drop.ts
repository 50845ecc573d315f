import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { deadLetterPath } from "../dead-letters.ts";
import { JSON_OPTION, JSON_OPTION_HELP, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** `paymesh dlq drop`: deletes a dead letter that must never be handled, e.g. a forged webhook. */
export const dlqDropCommand: Command = {
  help: `Usage: paymesh dlq drop <id> [options]

Asks the router (DELETE /admin/dlq/{id}) to delete the dead letter. It cannot be undone: save it
first with "paymesh dlq show <id>" if it may be needed later.

Arguments:
  <id>                     the message id from "paymesh dlq list", e.g. qris:snap-abc123

Options:
${ROUTER_HTTP_OPTIONS_HELP}
${JSON_OPTION_HELP}: {"id": "…", "dropped": true}

Example:
  ./run pnpm paymesh dlq drop qris:snap-abc123`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "dlq drop",
      args,
      { ...ROUTER_HTTP_OPTIONS, ...JSON_OPTION },
      {
        names: ["id"],
      },
    );
    const id = positionals[0] ?? "";
    await callRouterAdmin(resolveRouterHttpTarget(values, env), "DELETE", deadLetterPath(id));
    if (values.json === true) printJson(print, { id, dropped: true });
    else print(`dropped ${id}`);
    return 0;
  },
};
