import { ADAPTER_NAMES, LOCAL_ADAPTERS } from "./local-adapters.ts";
import type { LocalStack } from "./local-stack.ts";

/** The same as one JSON document, what `paymesh up --json` prints on stdout. */
export function stackSummaryJson(stack: LocalStack, token: string, stackFile: string): unknown {
  return {
    router: { grpc: stack.routerGrpc, http: stack.routerHttp },
    adapters: Object.fromEntries(
      ADAPTER_NAMES.map((name) => [
        name,
        { address: stack.adapters[name].address, simulatorUrl: stack.adapters[name].simulatorUrl },
      ]),
    ),
    token,
    stackFile,
    backends: stack.backends,
    reconciliation: stack.reconciliation,
  };
}

/** Where the daily reconciliation runs, in words. */
function reconciliationText(stack: LocalStack): string {
  return stack.reconciliation.host === "router"
    ? "on, daily per adapter, in the router's process (its PGlite database)"
    : `on, daily per adapter, reconciler process at ${stack.reconciliation.http}  (/metrics)`;
}

/**
 * The "you are up, now try this" text `paymesh up` prints once the stack is ready: every address, the
 * token, and for each payment method the commands that take one payment to a final state — the
 * shortest path from `./run pnpm start` to a succeeded payment of every kind.
 */
export function stackSummary(stack: LocalStack, token: string, stackFile: string): string {
  const row = (label: string, value: string): string => `  ${label.padEnd(20)}${value}`;
  const services = ADAPTER_NAMES.flatMap((name) => {
    const spec = LOCAL_ADAPTERS[name];
    const { address, simulatorUrl } = stack.adapters[name];
    return [row(spec.adapter.service, address), row(spec.sandbox.service, simulatorUrl)];
  });
  const step = (label: string, command: string): string =>
    `  ${label.padEnd(12)}./run pnpm paymesh ${command}`;
  return [
    "",
    "Paymesh local stack is up.",
    "",
    row("router gRPC", stack.routerGrpc),
    row("router HTTP", `${stack.routerHttp}  (Connect/JSON, webhooks)`),
    ...services,
    row("dev token", `${token}  (caller "cli")`),
    row("stack file", stackFile),
    row("database", stack.backends.database),
    row("idempotency", stack.backends.idempotency),
    row("work queue", stack.backends.queue),
    row("simulators", `state in ${stack.backends.simulators}`),
    row("reconciliation", reconciliationText(stack)),
    "",
    "Try, in another terminal (each pay command prints the payment id):",
    step("QRIS", "pay qris --amount 25000"),
    step("", "sandbox pay qris <payment-id>"),
    step("VA", 'pay va --amount 150000 --bank bca --name "Budi Santoso"'),
    step("", "sandbox pay va <payment-id>"),
    step("transfer", 'pay transfer --amount 150000 --bank BCA --account 1234567890 --name "Siti Rahma"'),
    step("", "sandbox complete transfer <payment-id>"),
    step("remittance", "quote --from IDR --to GBP --amount 1500000      (prints the pay command)"),
    step("", "pay remittance --quote <quote-id> --amount 1500000.00 --currency IDR …"),
    step("", "sandbox advance remittance <payment-id>"),
    step("then", "payments watch <payment-id>    (each change until it is final)"),
    step("", "payments get <payment-id>      (status: PAYMENT_STATUS_SUCCEEDED)"),
    step("", "payments list"),
    step("recon", "recon list                     (each adapter's reconciled days)"),
    "",
    "Or over Connect/JSON:",
    `  curl -H 'authorization: Bearer ${token}' -H 'content-type: application/json' \\`,
    `    -d '{"paymentId":"<payment-id>"}' ${stack.routerHttp}/payments.v1.PaymentService/GetPayment`,
    "",
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
