import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got; `body` as the receiver's `decode` made it. */
export interface ReceivedCallback<B> {
  path: string;
  headers: IncomingHttpHeaders;
  body: B;
}

/** A local HTTP server standing in for the router's webhook endpoint in a simulator's tests. */
export interface CallbackReceiver<B> {
  /** `http://127.0.0.1:PORT` followed by the receiver's path. */
  url: string;
  received: ReceivedCallback<B>[];
  /** Statuses to answer, one per request; 200 once they run out. */
  replies: number[];
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port. It answers each request with the next of `replies` and an empty
 * body (what a simulator does with the receiver's answer depends on the status only).
 */
export async function startCallbackReceiver<B>(options: {
  /** Appended to the receiver's URL, e.g. "/webhooks/remittance". @default "" */
  path?: string;
  /** Turns the bytes received into the recorded `body`, e.g. UTF-8 text. */
  decode: (bytes: Buffer) => B;
}): Promise<CallbackReceiver<B>> {
  const received: ReceivedCallback<B>[] = [];
  const replies: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = options.decode(Buffer.concat(chunks));
      received.push({ path: request.url ?? "", headers: request.headers, body });
      response.writeHead(replies.shift() ?? 200);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? ""}`,
    received,
    replies,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
