import { afterEach, describe, expect, it } from "vitest";
import { header, readBody, sendJson } from "./http-io.ts";
import { rawExchange, startTestServer, type TestServer } from "./test-server.ts";

/** ES2025 `JSON.rawJSON` (Node 24), which TypeScript's es2023 lib does not declare yet. */
const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

describe("http-io", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("sendJson writes minified JSON with its exact content-length, raw JSON numbers untouched", async () => {
    server = await startTestServer((_request, response) =>
      sendJson(response, 201, { amount: rawJson("10.50"), name: "Kopi ☕", list: [1, 2] }),
    );
    const bytes = await rawExchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const [head = "", body] = bytes.toString("utf8").split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 201 Created\r\n/);
    expect(head.toLowerCase()).toContain("\r\ncontent-type: application/json\r\n");
    expect(body).toBe('{"amount":10.50,"name":"Kopi ☕","list":[1,2]}');
    expect(head.toLowerCase()).toContain(`\r\ncontent-length: ${Buffer.byteLength(body ?? "")}\r\n`);
  });

  it("readBody returns the exact bytes received, invalid UTF-8 included", async () => {
    const received: Buffer[] = [];
    server = await startTestServer(async (request, response) => {
      received.push(await readBody(request));
      sendJson(response, 200, {});
    });
    const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x20, 0x0a]);
    const answer = await fetch(server.url, { method: "POST", body });
    expect(answer.status).toBe(200);
    expect(received).toEqual([body]);
  });

  it("readBody refuses a body over 1 MiB", async () => {
    const outcomes: unknown[] = [];
    server = await startTestServer(async (request, response) => {
      outcomes.push(
        await readBody(request).then(
          () => "read",
          (error: unknown) => error,
        ),
      );
      sendJson(response, 413, {});
    });
    await fetch(server.url, { method: "POST", body: Buffer.alloc(1024 * 1024) });
    await fetch(server.url, { method: "POST", body: Buffer.alloc(1024 * 1024 + 1) }).catch(() => undefined);
    expect(outcomes[0]).toBe("read");
    expect(outcomes[1]).toBeInstanceOf(RangeError);
    expect(outcomes[1]).toMatchObject({ message: "request body over 1 MiB" });
  });

  it("header reads a header whatever the case of its name", async () => {
    const seen: (string | undefined)[] = [];
    server = await startTestServer((request, response) => {
      seen.push(header(request, "X-Partner-ID"), header(request, "x-missing"));
      sendJson(response, 200, {});
    });
    await rawExchange(
      server.port,
      "GET / HTTP/1.1\r\nHost: x\r\nx-partner-id: P1\r\nConnection: close\r\n\r\n",
    );
    expect(seen).toEqual(["P1", undefined]);
  });
});
