import { type ChannelModel, type ConfirmChannel, connect } from "amqplib";
import { closeQuietly } from "./rabbit-message.ts";

/**
 * Bounds the TCP connect plus the AMQP handshake. Without it an attempt against a host that drops
 * packets waits for the OS TCP timeout (minutes), and `close()` waits for that attempt.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/** One AMQP connection and its control channel (confirm mode), lost together. */
export interface RabbitSession {
  connection: ChannelModel;
  /** For declarations and confirmed sends; consumers and DLQ scans open channels of their own. */
  control: ConfirmChannel;
  /**
   * Gives the session up (one of its channels broke): its connection is closed, which reports the
   * session lost. Safe to call from amqplib's own close handlers, and more than once.
   */
  drop(): void;
}

/**
 * Connects, opens the control channel and runs `setup` (declarations, consumers) before handing the
 * session out. Afterwards `onLost` runs exactly once, when the connection or the control channel
 * closes for any reason: a channel error leaves the connection up, so it is closed too and the
 * owner rebuilds one whole session instead of patching single channels. Rejects, leaving nothing
 * open, if the connection fails before `setup` completes.
 */
export async function openRabbitSession(
  url: string,
  setup: (session: RabbitSession) => Promise<void>,
  onLost: (session: RabbitSession, error: Error) => void,
): Promise<RabbitSession> {
  const connection = await connect(url, { timeout: CONNECT_TIMEOUT_MS });
  const drop = (): void => {
    // Deferred: amqplib emits a channel's "close" while it is still tearing the connection down,
    // and closing the connection from inside that handler would write a Close frame to a dead socket.
    setImmediate(() => void closeQuietly(connection));
  };
  let lostWith: Error | undefined;
  let ready: RabbitSession | undefined;
  const lose = (error: unknown): void => {
    if (lostWith !== undefined) return;
    lostWith = error instanceof Error ? error : new Error("RabbitMQ connection closed");
    drop();
    if (ready !== undefined) onLost(ready, lostWith);
  };
  // Without an "error" listener a dropped socket would crash the process; "close" always follows.
  connection.on("error", () => {});
  connection.on("close", lose);
  try {
    const control = await connection.createConfirmChannel();
    control.on("error", () => {});
    control.on("close", () => lose(new Error("RabbitMQ control channel closed")));
    const session: RabbitSession = { connection, control, drop };
    await setup(session);
    if (lostWith !== undefined) throw lostWith;
    ready = session;
    return session;
  } catch (error) {
    await closeQuietly(connection);
    throw error;
  }
}
