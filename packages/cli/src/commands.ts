import type { Command } from "./command.ts";
import { payQrisCommand } from "./commands/pay-qris.ts";
import { paymentsGetCommand } from "./commands/payments-get.ts";
import { paymentsListCommand } from "./commands/payments-list.ts";
import { qrisDecodeCommand } from "./commands/qris-decode.ts";
import { qrisDynamicCommand } from "./commands/qris-dynamic.ts";
import { sandboxPayQrisCommand } from "./commands/sandbox-pay-qris.ts";
import { upCommand } from "./commands/up.ts";

/** Every command, in the order `paymesh --help` lists them. */
export const COMMANDS: readonly Command[] = [
  upCommand,
  payQrisCommand,
  paymentsGetCommand,
  paymentsListCommand,
  sandboxPayQrisCommand,
  qrisDecodeCommand,
  qrisDynamicCommand,
];
