import { relative } from "node:path";
import { DEV_TOKEN } from "../cli-config.ts";
import { CliError } from "../cli-error.ts";
import type { Command, CommandContext } from "../command.ts";
import {
  devStackPath,
  isOwnerAlive,
  readDevStack,
  removeDevStack,
  writeDevStack,
} from "../dev-stack-file.ts";
import { JSON_OPTION, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { repoRoot } from "../repo-root.ts";
import { perAdapter } from "../stack/local-adapters.ts";
import { type LocalStack, SERVICE_NAMES, startLocalStack } from "../stack/local-stack.ts";
import { stackSummary, stackSummaryJson } from "../stack/stack-summary.ts";
import { describeExit, StartProcessError } from "../stack/start-process.ts";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * `paymesh up` (`./run pnpm start`): every payment path on one machine with nothing to install, so a
 * newcomer can take a payment of each method from end to end in a few minutes. Runs until Ctrl-C.
 */
export const upCommand: Command = {
  help: `Usage: paymesh up [options]        (also: ./run pnpm start)

Starts, as child processes: the four provider simulators (QRIS SNAP, Midtrans, Xendit, Wise), each
adapter pointed at its simulator, and the router routing qris, virtual_account, bank_transfer and
remittance to them, with the caller "cli" and the dev token. Points each simulator's notifications
at the router's webhook for its adapter, writes the addresses to .data/dev-stack.json (the other
commands read it), prints the addresses, the backends the router uses (PGlite or Postgres at
DATABASE_URL, idempotency in memory or in Redis at REDIS_URL, the work queue in process or in
RabbitMQ at AMQP_URL), where reconciliation runs (each adapter's report daily, on the terms its
simulator declares: inside the router on PGlite, whose database no other process can open; with
DATABASE_URL, a reconciler process started last) and the commands to try, and forwards the
services' logs. With PGlite the
simulators keep their payments in .data/sandboxes (next to PAYMESH_DATA_DIR, or SIM_DATA_DIR when
set), so a payment left pending can still be paid after a restart. Ctrl-C (or
SIGTERM) stops everything and exits 0. If any service exits, the others are stopped and up exits 1.

Options:
  --grpc-port <port>       router gRPC port (default 50051; 0 picks a free one)
  --http-port <port>       router HTTP port for Connect/JSON and webhooks (default 8080; 0 = free)
  --json                   print the addresses, token and backends as one JSON document on stdout
                           once the stack is up; the services' logs all go to stderr

Example:
  ./run pnpm start
  ./run pnpm paymesh up --grpc-port 0 --http-port 0`,
  async run(context) {
    const { values } = parseCommandArgs(
      "up",
      context.args,
      { "grpc-port": { type: "string" }, "http-port": { type: "string" }, ...JSON_OPTION },
      { names: [] },
    );
    return runStack(context, {
      grpcPort: parsePort("--grpc-port", values["grpc-port"], 50051),
      httpPort: parsePort("--http-port", values["http-port"], 8080),
      json: values.json === true,
    });
  },
};

async function runStack(
  context: CommandContext,
  { json, ...ports }: { grpcPort: number; httpPort: number; json: boolean },
): Promise<number> {
  const root = repoRoot();
  const stackFile = devStackPath(root);
  refuseSecondStack(stackFile);
  const stopRequested = new AbortController();
  // Created before start-up so a Ctrl-C at any moment is seen, even between two awaits.
  const stopped = new Promise<undefined>((resolve) => {
    stopRequested.signal.addEventListener("abort", () => resolve(undefined), { once: true });
  });
  const onSignal = (): void => stopRequested.abort();
  // SIGHUP too: closing the terminal should stop the services, not orphan them on their ports.
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const width = Math.max(...SERVICE_NAMES.map((name) => name.length));
  let stack: LocalStack;
  try {
    try {
      stack = await startLocalStack({
        root,
        ...ports,
        token: DEV_TOKEN,
        signal: stopRequested.signal,
        onLine: (service, line, stream) => {
          const prefixed = `${service.padEnd(width)} | ${line}`;
          // With --json, stdout holds only the one document; the logs go to stderr.
          if (stream === "stdout" && !json) context.print(prefixed);
          else context.warn(prefixed);
        },
      });
    } catch (error) {
      if (stopRequested.signal.aborted) {
        context.warn("paymesh: start-up interrupted; everything started so far is stopped");
        return 0;
      }
      throw new CliError(`up: ${error instanceof Error ? error.message : String(error)}${portHint(error)}`, {
        cause: error,
      });
    }
    writeDevStack(stackFile, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      token: DEV_TOKEN,
      router: { grpc: stack.routerGrpc, http: stack.routerHttp },
      adapters: perAdapter((name) => ({ address: stack.adapters[name].address })),
      sandboxes: perAdapter((name) => ({ url: stack.adapters[name].simulatorUrl })),
    });
    const shownFile = relative(process.cwd(), stackFile) || stackFile;
    if (json) printJson(context.print, stackSummaryJson(stack, DEV_TOKEN, shownFile));
    else context.print(stackSummary(stack, DEV_TOKEN, shownFile));
    const exited = await Promise.race([stack.firstExit, stopped]);
    if (exited === undefined) context.warn("paymesh: stopping the stack");
    await stack.stop();
    removeDevStack(stackFile, process.pid);
    if (exited === undefined) return 0;
    throw new CliError(`up: ${exited.service} exited (${describeExit(exited.exit)}); the stack is stopped`);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}

// A second stack would fail on the router's ports, and overwrite the first one's dev-stack.json.
function refuseSecondStack(stackFile: string): void {
  const existing = readDevStack(stackFile);
  if (existing === undefined || existing.pid === process.pid || !isOwnerAlive(existing)) return;
  throw new CliError(
    `up: a local stack is already running (pid ${existing.pid}, router ${existing.router.grpc}); stop it first`,
  );
}

// The router's ports are fixed by default, so "in use" is the usual reason a fresh stack fails.
function portHint(error: unknown): string {
  if (!(error instanceof StartProcessError) || !error.output.some((line) => line.includes("EADDRINUSE")))
    return "";
  return "; a port is in use: pass --grpc-port/--http-port (0 picks a free one)";
}

function parsePort(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw new CliError(`up: ${flag} "${text}" is not a port (0 to 65535)`);
  return port;
}
