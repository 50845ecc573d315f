import type { Command } from "./command.ts";

/** One row of the command table: what selects the command, and how to load it. */
export interface CommandEntry {
  /** The words that select it after `paymesh`, e.g. `["pay", "qris"]`. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /**
   * Loads the command's module. Only the command that runs is loaded, so `paymesh --help` and each
   * command start without the router client, the protobuf types or the local stack of the others.
   */
  load(): Promise<Command>;
}

/** Every command, in the order `paymesh --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    path: ["up"],
    summary: "Run the local stack (4 simulators, 4 adapters, router) until Ctrl-C",
    load: async () => (await import("./commands/up.ts")).upCommand,
  },
  {
    path: ["pay", "qris"],
    summary: "Create a QRIS payment through the router and print it",
    load: async () => (await import("./commands/pay-qris.ts")).payQrisCommand,
  },
  {
    path: ["pay", "va"],
    summary: "Create a virtual-account payment through the router and print it",
    load: async () => (await import("./commands/pay-va.ts")).payVaCommand,
  },
  {
    path: ["pay", "transfer"],
    summary: "Pay out to a bank account through the router and print the payment",
    load: async () => (await import("./commands/pay-transfer.ts")).payTransferCommand,
  },
  {
    path: ["quote"],
    summary: "Lock an exchange rate for a remittance (CreateQuote) and print the quote",
    load: async () => (await import("./commands/quote.ts")).quoteCommand,
  },
  {
    path: ["pay", "remittance"],
    summary: "Send a remittance at a quote's rate through the router and print it",
    load: async () => (await import("./commands/pay-remittance.ts")).payRemittanceCommand,
  },
  {
    path: ["k8s", "local-secrets"],
    summary: "Print the Secrets the local Kubernetes overlay expects (FAKE simulator credentials)",
    load: async () => (await import("./commands/k8s-local-secrets.ts")).k8sLocalSecretsCommand,
  },
  {
    path: ["payments", "get"],
    summary: "Print one payment as the router sees it",
    load: async () => (await import("./commands/payments-get.ts")).paymentsGetCommand,
  },
  {
    path: ["payments", "list"],
    summary: "List payments, newest first, with filters",
    load: async () => (await import("./commands/payments-list.ts")).paymentsListCommand,
  },
  {
    path: ["payments", "watch"],
    summary: "Follow one payment until it is final, printing each change",
    load: async () => (await import("./commands/payments-watch.ts")).paymentsWatchCommand,
  },
  {
    path: ["payments", "cancel"],
    summary: "Cancel a payment that has not been paid yet",
    load: async () => (await import("./commands/payments-cancel.ts")).paymentsCancelCommand,
  },
  {
    path: ["payments", "stuck"],
    summary: "List payments whose outcome is unknown or that need manual review",
    load: async () => (await import("./commands/payments-stuck.ts")).paymentsStuckCommand,
  },
  {
    path: ["payments", "resolve"],
    summary: "Settle a payment raised for review as succeeded or failed, with evidence and a note",
    load: async () => (await import("./commands/payments-resolve.ts")).paymentsResolveCommand,
  },
  {
    path: ["adapters"],
    summary: "Show each adapter's circuit breaker and reachability as the router sees them",
    load: async () => (await import("./commands/adapters.ts")).adaptersCommand,
  },
  {
    path: ["dlq", "list"],
    summary: "List the dead letters: webhooks the router gave up on after its retries",
    load: async () => (await import("./commands/dlq-list.ts")).dlqListCommand,
  },
  {
    path: ["dlq", "show"],
    summary: "Print one dead letter: reason, headers and the event",
    load: async () => (await import("./commands/dlq-show.ts")).dlqShowCommand,
  },
  {
    path: ["dlq", "replay"],
    summary: "Put a dead letter back on the work queue for another round of attempts",
    load: async () => (await import("./commands/dlq-replay.ts")).dlqReplayCommand,
  },
  {
    path: ["dlq", "drop"],
    summary: "Delete a dead letter for good",
    load: async () => (await import("./commands/dlq-drop.ts")).dlqDropCommand,
  },
  {
    path: ["recon", "list"],
    summary: "List reconciliation runs: adapter, business date, status, discrepancies found and open",
    load: async () => (await import("./commands/recon-list.ts")).reconListCommand,
  },
  {
    path: ["recon", "show"],
    summary: "Show one reconciliation run with its totals and amounts per verdict class",
    load: async () => (await import("./commands/recon-show.ts")).reconShowCommand,
  },
  {
    path: ["recon", "run"],
    summary: "Reconcile an adapter's business date now, with progress, and print its totals per class",
    load: async () => (await import("./commands/recon-run.ts")).reconRunCommand,
  },
  {
    path: ["recon", "discrepancies"],
    summary: "List reconciliation discrepancies by class, status, adapter, date or run",
    load: async () => (await import("./commands/recon-discrepancies.ts")).reconDiscrepanciesCommand,
  },
  {
    path: ["recon", "resolve"],
    summary: "Record a decision about a discrepancy (accept, write-off, adjust) with a note",
    load: async () => (await import("./commands/recon-resolve.ts")).reconResolveCommand,
  },
  {
    path: ["recon", "export"],
    summary: "Print every verdict of a reconciliation run as CSV or JSON",
    load: async () => (await import("./commands/recon-export.ts")).reconExportCommand,
  },
  {
    path: ["sandbox", "pay", "qris"],
    summary: "Make the customer pay a QRIS payment in the simulator",
    load: async () => (await import("./commands/sandbox-pay-qris.ts")).sandboxPayQrisCommand,
  },
  {
    path: ["sandbox", "pay", "va"],
    summary: "Make the customer pay a virtual account in the Midtrans simulator",
    load: async () => (await import("./commands/sandbox-pay-va.ts")).sandboxPayVaCommand,
  },
  {
    path: ["sandbox", "complete", "transfer"],
    summary: "Complete (or fail) a bank transfer payout in the Xendit simulator",
    load: async () =>
      (await import("./commands/sandbox-complete-transfer.ts")).sandboxCompleteTransferCommand,
  },
  {
    path: ["sandbox", "advance", "remittance"],
    summary: "Move a remittance's transfer along in the Wise simulator (default: pay it out)",
    load: async () =>
      (await import("./commands/sandbox-advance-remittance.ts")).sandboxAdvanceRemittanceCommand,
  },
  {
    path: ["qris", "decode"],
    summary: "Validate a QRIS payload and print its fields as JSON",
    load: async () => (await import("./commands/qris-decode.ts")).qrisDecodeCommand,
  },
  {
    path: ["qris", "dynamic"],
    summary: "Turn a static QRIS payload into a dynamic one for an amount",
    load: async () => (await import("./commands/qris-dynamic.ts")).qrisDynamicCommand,
  },
  {
    path: ["new", "adapter"],
    summary: "Scaffold a provider adapter, its simulator and its passing conformance test",
    load: async () => (await import("./commands/new-adapter.ts")).newAdapterCommand,
  },
];
