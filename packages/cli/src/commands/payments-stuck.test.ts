import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";

const TOKEN = "ops-token-0123456789abcdef";
const UNKNOWN = {
  id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y",
  caller: "shop",
  status: "pending",
  adapter: "qris",
  outcomeUnknown: true,
  needsReview: false,
  reviewReason: null,
  attempts: 3,
  nextCheckAt: "2030-01-02T03:04:05.000Z",
  lastAnswer: "adapter qris did not answer in time",
  lastExchange: null,
  createdAt: "2030-01-02T03:00:00.000Z",
  updatedAt: "2030-01-02T03:01:00.000Z",
};
const WAITING = {
  ...UNKNOWN,
  id: "pay_01jz8x3v6q4n7s2m5k9r1t0w3z",
  status: "processing",
  adapter: "transfer",
  outcomeUnknown: false,
  attempts: 0,
  lastAnswer: null,
  lastExchange: {
    operation: "create-disbursement",
    responseStatus: 200,
    transportError: "",
    at: "2030-01-02T03:00:01.000Z",
  },
};
const REVIEW = {
  ...UNKNOWN,
  id: "pay_01jz8x3v6q4n7s2m5k9r1t0w40",
  needsReview: true,
  reviewReason: "no answer from qris within 172800000 ms",
  nextCheckAt: null,
};

/** A router HTTP port answering GET /admin/payments/stuck; records the requests it got. */
async function stuckRouter(payments: unknown[]) {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const ok =
      req.headers.authorization === `Bearer ${TOKEN}` && req.url?.startsWith("/admin/payments/stuck?");
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { payments } : { error: "unknown token" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

const stuck = (url: string, ...args: string[]) =>
  spawnCli(["payments", "stuck", ...args, "--router-http", url, "--token", TOKEN]);

describe("paymesh payments stuck", () => {
  it("prints each payment the resolver chases or raised, with attempts, next check and last answer", async () => {
    const router = await stuckRouter([REVIEW, WAITING, UNKNOWN]);
    const run = await stuck(router.url, "--limit", "50");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(router.requests.map((req) => req.url)).toEqual(["/admin/payments/stuck?limit=50"]);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      `${REVIEW.id}  pending         qris         shop  attempts 3, no next check  needs review: no answer from qris within 172800000 ms; last answer: adapter qris did not answer in time`,
      `${WAITING.id}  processing      transfer     shop  attempts 0, next check 2030-01-02T03:04:05.000Z  waiting for the provider (no final word yet); last answer: create-disbursement HTTP 200`,
      `${UNKNOWN.id}  pending         qris         shop  attempts 3, next check 2030-01-02T03:04:05.000Z  outcome unknown: the resolver is asking the provider; last answer: adapter qris did not answer in time`,
    ]);
  });

  it("prints the router's answer with --json, and says so when nothing is stuck", async () => {
    const router = await stuckRouter([UNKNOWN]);
    const json = await stuck(router.url, "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ payments: [UNKNOWN] });
    const empty = await stuck((await stuckRouter([])).url);
    expect(empty.stdout).toBe("nothing is stuck\n");
  });

  it("refuses a bad --limit before asking the router", async () => {
    const router = await stuckRouter([]);
    const run = await stuck(router.url, "--limit", "0");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--limit must be a whole number from 1 to 1000");
    expect(router.requests).toEqual([]);
  });
});
