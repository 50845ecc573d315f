import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";

interface Received {
  method: string | undefined;
  url: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

// A stand-in for the simulator's control endpoint that records what the CLI sent. The real simulator
// is another team's service; the lead's e2e test drives the two together.
async function startControlApi(
  status: number,
  answer: string,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      received.push({
        method: req.method,
        url: req.url,
        contentType: req.headers["content-type"],
        body: JSON.parse(body) as unknown,
      });
      res.writeHead(status, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("paymesh sandbox pay qris", () => {
  it("POSTs the payment id as partnerReferenceNo to /sim/pay and prints the answer", async () => {
    const api = await startControlApi(200, '{"partnerReferenceNo":"pay_1","status":"00"}');
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_1", "--sandbox-url", `${api.url}/`]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(api.received).toEqual([
      {
        method: "POST",
        url: "/sim/pay",
        contentType: "application/json",
        body: { partnerReferenceNo: "pay_1" },
      },
    ]);
    expect(JSON.parse(run.stdout)).toEqual({ partnerReferenceNo: "pay_1", status: "00" });
  });

  it("takes the URL from PAYMESH_SANDBOX_URL", async () => {
    const api = await startControlApi(200, "{}");
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_2"], {
      env: { PAYMESH_SANDBOX_URL: api.url },
    });
    expect(run.code).toBe(0);
    expect(api.received[0]?.body).toEqual({ partnerReferenceNo: "pay_2" });
  });

  it("reports the simulator's refusal in one line, exit 1", async () => {
    const api = await startControlApi(404, '{"error":"no QR with partnerReferenceNo pay_3"}');
    const run = await spawnCli(["sandbox", "pay", "qris", "pay_3", "--sandbox-url", api.url]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: POST ${api.url}/sim/pay answered 404: {"error":"no QR with partnerReferenceNo pay_3"}`,
    ]);
  });
});
