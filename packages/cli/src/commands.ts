import type { Command } from "./command.ts";
import { adaptersCommand } from "./commands/adapters.ts";
import { dlqDropCommand } from "./commands/dlq-drop.ts";
import { dlqListCommand } from "./commands/dlq-list.ts";
import { dlqReplayCommand } from "./commands/dlq-replay.ts";
import { dlqShowCommand } from "./commands/dlq-show.ts";
import { newAdapterCommand } from "./commands/new-adapter.ts";
import { payQrisCommand } from "./commands/pay-qris.ts";
import { payRemittanceCommand } from "./commands/pay-remittance.ts";
import { payTransferCommand } from "./commands/pay-transfer.ts";
import { payVaCommand } from "./commands/pay-va.ts";
import { paymentsGetCommand } from "./commands/payments-get.ts";
import { paymentsListCommand } from "./commands/payments-list.ts";
import { paymentsStuckCommand } from "./commands/payments-stuck.ts";
import { qrisDecodeCommand } from "./commands/qris-decode.ts";
import { qrisDynamicCommand } from "./commands/qris-dynamic.ts";
import { quoteCommand } from "./commands/quote.ts";
import { sandboxAdvanceRemittanceCommand } from "./commands/sandbox-advance-remittance.ts";
import { sandboxCompleteTransferCommand } from "./commands/sandbox-complete-transfer.ts";
import { sandboxPayQrisCommand } from "./commands/sandbox-pay-qris.ts";
import { sandboxPayVaCommand } from "./commands/sandbox-pay-va.ts";
import { upCommand } from "./commands/up.ts";

/** Every command, in the order `paymesh --help` lists them. */
export const COMMANDS: readonly Command[] = [
  upCommand,
  payQrisCommand,
  payVaCommand,
  payTransferCommand,
  quoteCommand,
  payRemittanceCommand,
  paymentsGetCommand,
  paymentsListCommand,
  paymentsStuckCommand,
  adaptersCommand,
  dlqListCommand,
  dlqShowCommand,
  dlqReplayCommand,
  dlqDropCommand,
  sandboxPayQrisCommand,
  sandboxPayVaCommand,
  sandboxCompleteTransferCommand,
  sandboxAdvanceRemittanceCommand,
  qrisDecodeCommand,
  qrisDynamicCommand,
  newAdapterCommand,
];
