import { CliError } from "./cli-error.ts";
import { type DevStack, devStackPath, isOwnerAlive, readDevStack } from "./dev-stack-file.ts";
import { repoRoot } from "./repo-root.ts";
import { type AdapterName, LOCAL_ADAPTERS } from "./stack/local-adapters.ts";

/**
 * The bearer token `paymesh up` gives the caller "cli", and what the CLI sends when nothing else is
 * configured. Local only: it is in the source, so it must never be accepted by a real router.
 */
export const DEV_TOKEN = "paymesh-local-dev-token-cli-0001";

/** Where the router listens when nothing says otherwise: the port `up` uses by default. */
export const DEFAULT_ROUTER_ADDRESS = "127.0.0.1:50051";

/** Where the router's HTTP port (admin API, webhooks) is when nothing says otherwise: `up`'s default. */
export const DEFAULT_ROUTER_HTTP_URL = "http://127.0.0.1:8080";

/** How to reach the router: gRPC address plus the caller's bearer token. */
export interface RouterTarget {
  address: string;
  token: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Resolves the router target in one place, most specific first: flag, environment, the running
 * local stack's `.data/dev-stack.json`, built-in default. Flags and env win so the CLI can be pointed
 * at any router, not just the local one.
 */
export function resolveRouterTarget(
  flags: { router?: string | undefined; token?: string | undefined },
  env: Env,
  devStack: DevStack | undefined = loadDevStack(),
): RouterTarget {
  return {
    address:
      nonEmpty(flags.router) ??
      nonEmpty(env.PAYMESH_ROUTER) ??
      devStack?.router.grpc ??
      DEFAULT_ROUTER_ADDRESS,
    token: nonEmpty(flags.token) ?? nonEmpty(env.PAYMESH_TOKEN) ?? devStack?.token ?? DEV_TOKEN,
  };
}

/** How to reach the router's HTTP admin API (`/admin/…`): base URL plus the caller's bearer token. */
export interface RouterHttpTarget {
  /** Without a trailing slash, so paths can be appended. */
  baseUrl: string;
  token: string;
}

/** The router's HTTP admin API, resolved in the same order as {@link resolveRouterTarget}. */
export function resolveRouterHttpTarget(
  flags: { "router-http"?: string | undefined; token?: string | undefined },
  env: Env,
  devStack: DevStack | undefined = loadDevStack(),
): RouterHttpTarget {
  const baseUrl =
    nonEmpty(flags["router-http"]) ??
    nonEmpty(env.PAYMESH_ROUTER_HTTP) ??
    devStack?.router.http ??
    DEFAULT_ROUTER_HTTP_URL;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ""),
    token: nonEmpty(flags.token) ?? nonEmpty(env.PAYMESH_TOKEN) ?? devStack?.token ?? DEV_TOKEN,
  };
}

/**
 * The environment variable naming each simulator's URL. PAYMESH_SANDBOX_URL is the QRIS one because
 * QRIS was the first simulator, and scripts already use it.
 */
export const SANDBOX_URL_ENV: Readonly<Record<AdapterName, string>> = {
  qris: "PAYMESH_SANDBOX_URL",
  va: "PAYMESH_VA_SANDBOX_URL",
  transfer: "PAYMESH_TRANSFER_SANDBOX_URL",
  remittance: "PAYMESH_REMITTANCE_SANDBOX_URL",
};

/**
 * Resolves one adapter's simulator base URL: flag, its environment variable, then the local stack.
 * There is no default port (simulators listen on a free one), so without a stack this is an error.
 */
export function resolveSandboxUrl(
  adapter: AdapterName,
  flag: string | undefined,
  env: Env,
  devStack: DevStack | undefined = loadDevStack(),
): string {
  const url = nonEmpty(flag) ?? nonEmpty(env[SANDBOX_URL_ENV[adapter]]) ?? devStack?.sandboxes[adapter].url;
  if (url === undefined) {
    throw new CliError(
      `no ${LOCAL_ADAPTERS[adapter].label} simulator URL: start the stack with "./run pnpm start" or pass --sandbox-url`,
    );
  }
  return url.replace(/\/+$/, "");
}

/** The `--sandbox-url` help line of a sandbox command, naming the adapter's variable. */
export function sandboxUrlHelp(adapter: AdapterName): string {
  return `  --sandbox-url <url>      simulator base URL (env ${SANDBOX_URL_ENV[adapter]};
                           default: the local stack's)`;
}

/**
 * The running local stack's file, if `paymesh up` wrote one and still runs. A file left by a killed
 * stack is ignored, so the error is "nothing at 127.0.0.1:50051" rather than a dead random port.
 */
export function loadDevStack(): DevStack | undefined {
  const stack = readDevStack(devStackPath(repoRoot()));
  return stack !== undefined && isOwnerAlive(stack) ? stack : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** The flags every router-calling command accepts, for parseCommandArgs. */
export const ROUTER_OPTIONS = {
  router: { type: "string" },
  token: { type: "string" },
} as const;

/** Their `--help` lines, kept next to the resolution order they describe. */
export const ROUTER_OPTIONS_HELP = `  --router <host:port>     router gRPC address (env PAYMESH_ROUTER; default: the local stack's,
                           else ${DEFAULT_ROUTER_ADDRESS})
  --token <token>          bearer token (env PAYMESH_TOKEN; default: the local stack's dev token)`;

/** The flags every command of the router's HTTP admin API accepts, for parseCommandArgs. */
export const ROUTER_HTTP_OPTIONS = {
  "router-http": { type: "string" },
  token: { type: "string" },
} as const;

/** Their `--help` lines. */
export const ROUTER_HTTP_OPTIONS_HELP = `  --router-http <url>      router HTTP base URL (env PAYMESH_ROUTER_HTTP; default: the local
                           stack's, else ${DEFAULT_ROUTER_HTTP_URL})
  --token <token>          bearer token (env PAYMESH_TOKEN; default: the local stack's dev token)`;

/** How to reach the reconciler's gRPC port (ReconciliationRunService): address and operator token. */
export interface ReconcilerTarget {
  address: string;
  token: string;
}

/**
 * The reconciler to run a day on: `--reconciler`, else PAYMESH_RECONCILER. There is no default: the
 * reconciler is its own process (Postgres only), listening where its RECON_GRPC_PORT says, and the
 * local stack does not run one. The token is an operator's, as for the router's admin API.
 */
export function resolveReconcilerTarget(
  flags: { reconciler?: string | undefined; token?: string | undefined },
  env: Env,
): ReconcilerTarget {
  const address = nonEmpty(flags.reconciler) ?? nonEmpty(env.PAYMESH_RECONCILER);
  if (address === undefined) {
    throw new CliError("no reconciler address: pass --reconciler <host:port> or set PAYMESH_RECONCILER", {
      hint: 'the reconciler prints it when it starts ({"service":"reconciler","grpc":"host:port",…})',
    });
  }
  return { address, token: nonEmpty(flags.token) ?? nonEmpty(env.PAYMESH_TOKEN) ?? DEV_TOKEN };
}

/** The flags of a command that calls the reconciler, for parseCommandArgs. */
export const RECONCILER_OPTIONS = {
  reconciler: { type: "string" },
  token: { type: "string" },
} as const;

/** Their `--help` lines. */
export const RECONCILER_OPTIONS_HELP = `  --reconciler <host:port> the reconciler's gRPC address (env PAYMESH_RECONCILER; its RECON_GRPC_PORT)
  --token <token>          an operator's bearer token (env PAYMESH_TOKEN)`;
