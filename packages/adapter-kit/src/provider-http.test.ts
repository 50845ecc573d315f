import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { HttpExchange } from "./http-exchange.ts";
import { createProviderHttp } from "./provider-http.ts";
import { isProviderTransportError, ProviderTransportError } from "./provider-transport-error.ts";

type Op = "create" | "read";

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    if (server.listening) {
      server.close();
      await once(server, "close");
    }
  }
});

/** A server on 127.0.0.1:0 that reads each request whole, records it, then lets `handle` answer. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      handle(request, response);
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no TCP address");
  const { port } = address;
  return { server, received, baseUrl: `http://127.0.0.1:${port}/api/` };
}

async function failure(promise: Promise<unknown>): Promise<ProviderTransportError<HttpExchange<Op>>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isProviderTransportError(error))
    throw new Error(`expected a ProviderTransportError, got ${String(error)}`);
  return error as ProviderTransportError<HttpExchange<Op>>;
}

const startedAt = new Date("2025-01-02T03:04:05.000Z");
const clock = () => startedAt;
const mask = (body: string) => body.replaceAll(/\d{6,}/g, "****");

describe("createProviderHttp", () => {
  it("sends the bytes and headers given and returns status, headers, text and a masked exchange", async () => {
    const { received, baseUrl } = await serve((_request, response) => {
      response.writeHead(201, { "content-type": "application/json", "retry-after": "3" });
      response.end('{"id":"d-1","account":"1234567890"}');
    });
    const http = createProviderHttp<Op>({ baseUrl, clock, maskBody: mask });
    const body = '{"account":"9876543210"}';
    const answer = await http.send({
      operation: "create",
      method: "POST",
      path: "/things?x=1",
      headers: { authorization: "Basic abc", "content-type": "application/json" },
      body,
    });

    expect(http.baseUrl).toBe(baseUrl.slice(0, -1));
    expect(received).toEqual([expect.objectContaining({ method: "POST", url: "/api/things?x=1", body })]);
    expect(received[0]?.headers.authorization).toBe("Basic abc");
    expect(answer.status).toBe(201);
    expect(answer.headers.get("retry-after")).toBe("3");
    expect(answer.text).toBe('{"id":"d-1","account":"1234567890"}');
    expect(answer.exchange).toEqual({
      operation: "create",
      httpMethod: "POST",
      url: `${baseUrl}things?x=1`,
      requestBody: '{"account":"****"}',
      responseStatus: 201,
      responseBody: '{"id":"d-1","account":"****"}',
      startedAt,
      durationMicros: expect.any(Number),
    });
    expect(answer.exchange.durationMicros).toBeGreaterThan(0);
  });

  it("sends no body when none is given and records it as empty", async () => {
    const { received, baseUrl } = await serve((_request, response) => response.end("[]"));
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const answer = await http.send({ operation: "read", method: "GET", path: "/things", headers: {} });
    expect(received[0]?.headers["content-length"]).toBeUndefined();
    expect(answer.exchange.requestBody).toBe("");
    expect(answer.exchange.responseBody).toBe("[]");
  });

  it("says sent=false when the port is closed, with the earlier exchanges in front", async () => {
    const { server, baseUrl } = await serve((_request, response) => response.end());
    server.close();
    await once(server, "close");
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const earlier: HttpExchange<Op> = {
      operation: "create",
      httpMethod: "POST",
      url: baseUrl,
      requestBody: "",
      startedAt,
      durationMicros: 1,
      transportError: "timed out",
    };
    const error = await failure(
      http.send({
        operation: "create",
        method: "POST",
        path: "/x",
        headers: {},
        body: "{}",
        earlier: [earlier],
      }),
    );
    expect(error.sent).toBe(false);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.exchange).toMatchObject({ operation: "create", transportError: error.message });
    expect(error.exchange.responseStatus).toBeUndefined();
    expect(error.exchanges).toEqual([earlier, error.exchange]);
  });

  it("says sent=true when the connection is reset after the request was read", async () => {
    const { received, baseUrl } = await serve((request) => request.socket.destroy());
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const error = await failure(
      http.send({ operation: "create", method: "POST", path: "/x", headers: {}, body: '{"a":1}' }),
    );
    expect(received).toHaveLength(1);
    expect(error.sent).toBe(true);
    expect(error.exchange.transportError).toBe(error.message);
  });

  it("says sent=true when the answer is cut off while its body is read", async () => {
    const { baseUrl } = await serve((request, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write('{"partial":', () => request.socket.destroy());
    });
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const error = await failure(http.send({ operation: "read", method: "GET", path: "/x", headers: {} }));
    expect(error.sent).toBe(true);
    expect(error.message).toMatch(/^answer lost while reading: /);
    expect(error.exchange.responseStatus).toBe(200);
    expect(error.exchange.responseBody).toBeUndefined();
  });

  it("times out a provider that never answers, as sent", async () => {
    const { received, baseUrl } = await serve(() => {
      // Never answers.
    });
    const http = createProviderHttp<Op>({ baseUrl, clock, timeoutMs: 50 });
    const error = await failure(http.send({ operation: "read", method: "GET", path: "/x", headers: {} }));
    expect(received).toHaveLength(1);
    expect(error.sent).toBe(true);
    expect(error.message).toBe("timed out");
  });

  it("records an abort before sending as not sent, and sends nothing", async () => {
    const { received, baseUrl } = await serve((_request, response) => response.end());
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    const error = await failure(
      http.send({ operation: "create", method: "POST", path: "/x", headers: {}, signal: controller.signal }),
    );
    expect(received).toHaveLength(0);
    expect(error.sent).toBe(false);
    expect(error.message).toBe("aborted before sending");
    expect(error.cause).toBe(controller.signal.reason);
  });

  it("records an abort after the request arrived as sent", async () => {
    const controller = new AbortController();
    const { received, baseUrl } = await serve(() => controller.abort());
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const error = await failure(
      http.send({ operation: "read", method: "GET", path: "/x", headers: {}, signal: controller.signal }),
    );
    expect(received).toHaveLength(1);
    expect(error.sent).toBe(true);
    expect(error.message).toBe("aborted");
  });

  it("throws the adapter's own error type, still recognised as a ProviderTransportError", async () => {
    class AcmeTransportError extends ProviderTransportError<HttpExchange<Op>> {
      override readonly name = "AcmeTransportError";
      readonly acmeTransportError = true;
    }
    const http = createProviderHttp<Op>({
      baseUrl: "http://127.0.0.1:1",
      clock,
      transportError: (message, init) => new AcmeTransportError(message, init),
    });
    const controller = new AbortController();
    controller.abort();
    const error = await failure(
      http.send({ operation: "read", method: "GET", path: "/", headers: {}, signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(AcmeTransportError);
    expect(error.name).toBe("AcmeTransportError");
  });

  it("lets a retrying caller carry every attempt: a 503 then a lost answer, then a success", async () => {
    let calls = 0;
    const { baseUrl } = await serve((request, response) => {
      calls += 1;
      if (calls === 1) response.writeHead(503).end("busy");
      else if (calls === 2) request.socket.destroy();
      else response.end("ok");
    });
    const http = createProviderHttp<Op>({ baseUrl, clock });
    const trail: HttpExchange<Op>[] = [];
    const request = { operation: "read", method: "GET", path: "/x", headers: {} } as const;
    // What an adapter's retry attempt does: send with the trail so far, then add this round trip.
    for (;;) {
      try {
        const answer = await http.send({ ...request, earlier: [...trail] });
        trail.push(answer.exchange);
        if (answer.status < 500) break;
      } catch (error) {
        if (!isProviderTransportError(error)) throw error;
        expect(error.exchanges.slice(0, -1)).toEqual(trail);
        trail.push(error.exchange as HttpExchange<Op>);
      }
    }
    expect(trail.map((e) => e.responseStatus ?? e.transportError)).toEqual([503, expect.any(String), 200]);
  });
});
