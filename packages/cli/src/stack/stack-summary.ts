import type { LocalStack } from "./local-stack.ts";

/**
 * The "you are up, now try this" text `paymesh up` prints once the stack is ready: every address, the
 * token, and commands to copy — the shortest path from `pnpm start` to a succeeded payment.
 */
export function stackSummary(stack: LocalStack, token: string, stackFile: string): string {
  const row = (label: string, value: string): string => `  ${label.padEnd(14)}${value}`;
  return [
    "",
    "Paymesh local stack is up.",
    "",
    row("router gRPC", stack.routerGrpc),
    row("router HTTP", `${stack.routerHttp}  (Connect/JSON, webhooks)`),
    row("adapter-qris", stack.adapterAddress),
    row("qris-sandbox", stack.simulatorUrl),
    row("dev token", `${token}  (caller "cli")`),
    row("stack file", stackFile),
    "",
    "Try, in another terminal:",
    "  pnpm paymesh pay qris --amount 25000",
    "  pnpm paymesh sandbox pay qris <payment-id>",
    "  pnpm paymesh payments get <payment-id>",
    `  curl -H 'authorization: Bearer ${token}' -H 'content-type: application/json' \\`,
    `    -d '{"paymentId":"<payment-id>"}' ${stack.routerHttp}/payments.v1.PaymentService/GetPayment`,
    "",
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
