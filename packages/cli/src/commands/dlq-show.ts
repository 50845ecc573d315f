import { ROUTER_HTTP_OPTIONS, ROUTER_HTTP_OPTIONS_HELP, resolveRouterHttpTarget } from "../cli-config.ts";
import type { Command } from "../command.ts";
import { deadLetterPath } from "../dead-letters.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { callRouterAdmin } from "../router-admin.ts";

/** `paymesh dlq show`: one dead letter in full, to decide between replaying and dropping it. */
export const dlqShowCommand: Command = {
  help: `Usage: paymesh dlq show <id> [options]

Asks the router (GET /admin/dlq/{id}) for one dead letter and prints it as JSON: id, attempts,
reason (the last handler error), routingKey, headers, and the event as "body" when it is JSON,
else as "bodyBase64".

Arguments:
  <id>                     the message id from "paymesh dlq list", e.g. qris:snap-abc123

Options:
${ROUTER_HTTP_OPTIONS_HELP}
${JSON_OPTION_HELP}

Example:
  ./run pnpm paymesh dlq show qris:snap-abc123`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "dlq show",
      args,
      { ...ROUTER_HTTP_OPTIONS, ...JSON_OPTION },
      {
        names: ["id"],
      },
    );
    const target = resolveRouterHttpTarget(values, env);
    const deadLetter = await callRouterAdmin(target, "GET", deadLetterPath(positionals[0] ?? ""));
    print(JSON.stringify(deadLetter, null, 2));
    return 0;
  },
};
