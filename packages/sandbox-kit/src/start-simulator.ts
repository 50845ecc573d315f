import {
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "./simulator-server.ts";

/** What {@link startSimulator} needs: the server's options, where to listen, and the control actions. */
export interface SimulatorStart<A extends object> extends Omit<SimulatorServerOptions, "host" | "port"> {
  /** The simulator's resolved host and port. */
  listen: { host: string; port: number };
  /** What a test can do to the running simulator, handed out beside its URL. */
  actions: A;
}

/**
 * Starts a simulator's server and returns the handle a test holds: the control actions (also
 * reachable over HTTP under `/sim/`), the URL an adapter points at, and `close()`.
 */
export async function startSimulator<A extends object>(
  start: SimulatorStart<A>,
): Promise<A & SimulatorServer> {
  const { listen, actions, ...server } = start;
  const { url, port, close } = await startSimulatorServer({
    ...server,
    host: listen.host,
    port: listen.port,
  });
  return { ...actions, url, port, close };
}
