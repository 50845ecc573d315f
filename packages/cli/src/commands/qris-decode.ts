import { decodeQris } from "@paymesh/qris";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { argumentOrStdin } from "../read-stdin.ts";

/**
 * `paymesh qris decode`: checks a QRIS string (CRC, lengths, mandatory tags) and shows what is in it.
 * The first thing to run on a sticker a merchant says "does not scan".
 */
export const qrisDecodeCommand: Command = {
  help: `Usage: paymesh qris decode <payload> [--json]

Validates a QRIS / EMVCo merchant-presented QR string (framing, lengths, mandatory tags, CRC) and
prints the decoded payload as JSON. An invalid payload prints one line naming the tag and the
character offset at fault, and exits 1.

Arguments:
  <payload>                the QR string; quote it (merchant names contain spaces), or "-" to
                           read stdin

Options:
${JSON_OPTION_HELP} (the same JSON)

Example:
  ./run pnpm paymesh qris decode '00020101021126...6304ABCD'`,
  async run({ args, print }) {
    const { positionals } = parseCommandArgs("qris decode", args, JSON_OPTION, {
      names: ["payload"],
      tooMany: "quote the payload, it contains spaces",
    });
    const payload = await argumentOrStdin(positionals[0] ?? "");
    print(JSON.stringify(decodeQris(payload), null, 2));
    return 0;
  },
};
