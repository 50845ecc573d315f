import { setTimeout as sleep } from "node:timers/promises";
import { closeQuietly } from "./rabbit-message.ts";
import { openRabbitSession, type RabbitSession } from "./rabbit-session.ts";
import type { ReconnectBackoff } from "./reconnect-backoff.ts";

/** What {@link superviseRabbitSession} needs. */
export interface RabbitSupervisorOptions {
  url: string;
  /** Runs on every new session before anyone gets it: declare the topology, resume consumers. */
  setup(session: RabbitSession): Promise<void>;
  backoff: ReconnectBackoff;
  /** The session was lost, or an attempt to replace it failed. */
  onConnectionError?: ((error: Error) => void) | undefined;
}

/** Hands out the current session of a long-lived owner, waiting a bounded time while it is replaced. */
export interface RabbitSupervisor {
  /** The open session; while one is being re-established, waits up to `waitMs`, then rejects. */
  session(waitMs: number): Promise<RabbitSession>;
  /** Stops reconnecting, rejects whoever waits, and closes the session. */
  close(): Promise<void>;
}

/**
 * Keeps one RabbitMQ session open for an owner whose consumers must keep running (the WorkQueue).
 * The first connect is awaited and its failure thrown, so a wrong URL or password fails at startup.
 * After that, a lost session is replaced in the background, attempts spaced by `backoff`, and only
 * a session whose `setup` completed is handed out.
 */
export async function superviseRabbitSession(options: RabbitSupervisorOptions): Promise<RabbitSupervisor> {
  const stopping = new AbortController();
  const waiters = new Set<() => void>();
  let live: RabbitSession | undefined;
  let reconnecting = false;
  let loop: Promise<void> = Promise.resolve();

  const report = (error: unknown): void => {
    options.onConnectionError?.(error instanceof Error ? error : new Error(String(error)));
  };
  const wakeWaiters = (): void => {
    for (const wake of [...waiters]) wake();
  };

  const reconnect = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      try {
        const session = await openRabbitSession(options.url, options.setup, onLost);
        if (stopping.signal.aborted) {
          await closeQuietly(session.connection);
          break;
        }
        reconnecting = false;
        live = session;
        options.backoff.reset();
        wakeWaiters();
        return;
      } catch (error) {
        if (stopping.signal.aborted) break;
        report(error);
        await sleep(options.backoff.next(), undefined, { signal: stopping.signal }).catch(() => {});
      }
    }
    reconnecting = false;
  };

  function onLost(session: RabbitSession, error: Error): void {
    if (session !== live) return;
    live = undefined;
    if (stopping.signal.aborted) return;
    report(error);
    if (reconnecting) return;
    reconnecting = true;
    loop = reconnect();
  }

  live = await openRabbitSession(options.url, options.setup, onLost);

  return {
    session(waitMs) {
      if (stopping.signal.aborted) return Promise.reject(new Error("the RabbitMQ work queue is closed"));
      if (live !== undefined) return Promise.resolve(live);
      return new Promise((resolve, reject) => {
        const wake = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          if (live !== undefined) resolve(live);
          else reject(new Error("the RabbitMQ work queue is closed"));
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`RabbitMQ connection lost and not back within ${waitMs} ms`));
        }, waitMs);
        waiters.add(wake);
      });
    },
    async close() {
      stopping.abort();
      wakeWaiters();
      // An attempt in flight finishes (bounded by the connect timeout) and closes what it opened,
      // so nothing it declares outlives close(): tests delete their queues right after.
      await loop;
      const session = live;
      live = undefined;
      if (session !== undefined) await closeQuietly(session.connection);
    },
  };
}
