import { adapterEnv as qrisAdapterEnv } from "@paymesh/adapter-qris/sandbox/adapter-env";
import type { StartedProcess } from "@paymesh/test-kit";
import { startService } from "./start-process.ts";

/** A QRIS simulator process; its /sim/ control API is at `ready.url`. */
export type SimulatorProcess = StartedProcess<{ url: string }>;
/** A provider adapter process; `ready.address` is its gRPC "host:port". */
export type AdapterProcess = StartedProcess<{ address: string }>;
/** A router process; `ready.grpc` is "host:port", `ready.http` a base URL. */
export type RouterProcess = StartedProcess<{ grpc: string; http: string }>;

/**
 * Starts the QRIS simulator. Pass the port of one that was stopped to bring "the bank" back at the
 * address its adapter already uses. Notifications stay off unless a test configures them.
 */
export function startQrisSimulator(port = 0): Promise<SimulatorProcess> {
  return startService("services/adapter-qris/sandbox/main.ts", { PORT: String(port), NOTIFY_URL: "" });
}

/** Starts a QRIS adapter with the simulator's credentials, speaking SNAP to `baseUrl`. */
export function startQrisAdapter(baseUrl: string, port = 0): Promise<AdapterProcess> {
  return startService("services/adapter-qris/src/main.ts", {
    ADAPTER_PORT: String(port),
    ...qrisAdapterEnv(baseUrl),
  });
}

/** The parts of the router's config (services/router/src/router-config.ts) a test chooses. */
export interface RouterProcessConfig {
  /** Calling service name → bearer token (at least 16 characters). */
  callers: Record<string, string>;
  adapters: Record<string, { address: string; policy?: unknown }>;
  routes: Record<string, string[]>;
  policy?: unknown;
  resolver?: Partial<{
    intervalMs: number;
    initialDelayMs: number;
    maxDelayMs: number;
    horizonMs: number;
    pollAcceptedAfterMs: number;
  }>;
  adapterTimeoutMs?: number;
}

/**
 * Starts a router on free ports with embedded backends, whatever this run's environment says: a
 * fault test must not share (and replay) keys and payments with another run's real servers.
 */
export function startRouterProcess(config: RouterProcessConfig): Promise<RouterProcess> {
  return startService("services/router/src/main.ts", {
    DATABASE_URL: "",
    REDIS_URL: "",
    AMQP_URL: "",
    PAYMESH_DATA_DIR: "",
    PAYMESH_ROUTER_CONFIG: JSON.stringify({ grpcPort: 0, httpPort: 0, ...config }),
  });
}

/** The port a service's "http://host:port" or "host:port" address names. */
export function portOf(address: string): number {
  const port = Number(new URL(address.includes("://") ? address : `http://${address}`).port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in ${address}`);
  return port;
}
