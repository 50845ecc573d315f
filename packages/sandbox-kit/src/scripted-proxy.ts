// A scripted HTTP fault proxy for tests: it stands in front of a simulator and answers what the
// simulator cannot send (a 429 with Retry-After, a 5xx after the provider acted, a dropped
// connection). Node stdlib only.
import { createServer, type IncomingMessage } from "node:http";

/** One answer from the proxy: what a scripted step returns, and what `forward()` resolves with. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * What the proxy does with one request: answer by itself, or after forwarding it to the target.
 * A step that throws (or whose `forward()` fails) resets the client's connection.
 */
export type ScriptedStep = (forward: () => Promise<ScriptedReply>) => ScriptedReply | Promise<ScriptedReply>;

/** A running scripted proxy; see {@link startScriptedProxy}. */
export interface ScriptedProxy {
  /** `http://127.0.0.1:<port>`: where the client under test should send its requests. */
  readonly url: string;
  /** Sets (or changes) the base URL unscripted requests and `forward()` are sent to. */
  forwardTo(url: string): void;
  /** Scripts `route` (`"METHOD /path"`, no query): each matching request takes the next step. */
  on(route: string, ...steps: ScriptedStep[]): void;
  /** Forgets every scripted step: from now on everything is forwarded. */
  reset(): void;
  /** Stops listening; resolves once the server is closed. */
  close(): Promise<void>;
}

/** Headers the proxy does not pass on: they describe the hop, not the request. */
const hopHeaders = ["host", "connection", "content-length"];

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * Starts a tiny HTTP proxy on 127.0.0.1 (a free port) in front of `target` (or of whatever
 * `forwardTo()` names later). A request matching a scripted `METHOD /path` takes the next step of
 * that route; anything else is forwarded as is: the same method, path, query, body bytes and
 * headers (less host, connection and content-length). Answers go back with
 * `content-type: application/json` unless the reply's headers say otherwise.
 */
export async function startScriptedProxy(target = ""): Promise<ScriptedProxy> {
  const script = new Map<string, ScriptedStep[]>();
  let upstream = target;
  const server = createServer(async (request, response) => {
    const body = await readAll(request);
    const url = new URL(request.url ?? "/", "http://proxy");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === "string" && !hopHeaders.includes(name)) headers[name] = value;
    }
    const forward = async (): Promise<ScriptedReply> => {
      const answer = await fetch(`${upstream}${url.pathname}${url.search}`, {
        method: request.method ?? "GET",
        headers,
        ...(body.length === 0 ? {} : { body }),
      });
      return { status: answer.status, body: await answer.text() };
    };
    const step = script.get(`${request.method} ${url.pathname}`)?.shift();
    try {
      const reply = step === undefined ? await forward() : await step(forward);
      response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
      response.end(reply.body);
    } catch {
      // The target reset the connection (or a step dropped it): pass the reset on.
      request.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the proxy is not listening on TCP");
  return {
    url: `http://127.0.0.1:${address.port}`,
    forwardTo(url) {
      upstream = url;
    },
    on(route, ...steps) {
      script.set(route, steps);
    },
    reset: () => script.clear(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
