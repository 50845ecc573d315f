import { type AddressInfo, createServer } from "node:net";
import { pollUntil } from "@paymesh/queue/contract";
import { describe, expect, it } from "vitest";
import { startDeadLetterRouter } from "../testing/dead-letter-router.ts";
import { spawnCli } from "../testing/spawn-cli.ts";

const TOKEN = "ops-token-0123456789abcdef";
const QRIS_EVENT = { event: "payment.succeeded", paymentId: "pay_01jz8x3v6q4n7s2m5k9r1t0w3y" };
const QRIS = {
  id: "qris:snap-abc123",
  body: new TextEncoder().encode(JSON.stringify(QRIS_EVENT)),
  headers: { provider: "qris" },
};
const BINARY = { id: "va:midtrans/7", body: new Uint8Array([0xff, 0x00, 0x80]) };

/** A port nothing listens on: one the OS just handed out and got back (fetch refuses port 1). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function dlq(url: string, ...args: string[]) {
  return spawnCli(["dlq", ...args, "--router-http", url, "--token", TOKEN]);
}

describe("paymesh dlq", () => {
  it("lists dead letters oldest first as a table: id, attempts, reason, start of the event", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS, BINARY] });
    const run = await dlq(router.url, "list");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual([
      "ID                ATTEMPTS  REASON                      EVENT",
      'qris:snap-abc123  2         merchant 936000 is unknown  {"event":"payment.succeeded","paymentId":"pay_01jz8x3v6q4n7…',
      "va:midtrans/7     2         merchant 936000 is unknown  base64:/wCA",
    ]);
  });

  it("says when the list may go on past --limit, and prints the router's answer with --json", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS, BINARY] });
    const first = await dlq(router.url, "list", "--limit", "1");
    expect(first.code).toBe(0);
    expect(first.stdout.trimEnd().split("\n").slice(1)).toEqual([
      expect.stringMatching(/^qris:snap-abc123 {2}/),
    ]);
    expect(first.stderrLines).toEqual(["(the oldest 1; there may be more: raise --limit)"]);
    const json = await dlq(router.url, "list", "--json");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      deadLetters: [
        expect.objectContaining({ id: QRIS.id, attempts: 2, body: QRIS_EVENT }),
        expect.objectContaining({ id: BINARY.id, body: null, bodyBase64: "/wCA" }),
      ],
    });
  });

  it("says so when there are no dead letters", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN });
    const run = await dlq(router.url, "list");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("no dead letters\n");
  });

  it("shows one dead letter as pretty JSON", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS] });
    const run = await dlq(router.url, "show", QRIS.id);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      id: QRIS.id,
      attempts: 2,
      reason: "merchant 936000 is unknown",
      routingKey: "webhooks",
      headers: { provider: "qris" },
      body: QRIS_EVENT,
    });
    expect(run.stdout).toContain('\n  "id": "qris:snap-abc123",\n');
  });

  it("replays a dead letter: the consumer handles it again and it leaves the dead-letter queue", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS, BINARY] });
    router.fix();
    const run = await dlq(router.url, "replay", QRIS.id);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("replayed qris:snap-abc123: back on the work queue\n");
    const [again] = await pollUntil(
      async () => router.handled,
      (handled) => handled.length === 1,
    );
    expect(again).toMatchObject({ id: QRIS.id, attempts: 1, headers: { provider: "qris" } });
    expect((await router.queue.deadLetters.list(10)).map((m) => m.id)).toEqual([BINARY.id]);

    const gone = await dlq(router.url, "show", QRIS.id);
    expect(gone.code).toBe(1);
    expect(gone.stderrLines).toEqual([
      'paymesh: the router answered 404: no dead letter with id "qris:snap-abc123"',
    ]);
  });

  it("drops a dead letter for good; dropping it again is a 404", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS, BINARY] });
    const run = await dlq(router.url, "drop", BINARY.id);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("dropped va:midtrans/7\n");
    expect((await router.queue.deadLetters.list(10)).map((m) => m.id)).toEqual([QRIS.id]);

    const again = await dlq(router.url, "drop", BINARY.id);
    expect(again.code).toBe(1);
    expect(again.stderrLines).toEqual([
      'paymesh: the router answered 404: no dead letter with id "va:midtrans/7"',
    ]);
  });

  it("reports a refused token in one line with a hint, and replays nothing", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, messages: [QRIS] });
    const run = await spawnCli(["dlq", "replay", QRIS.id, "--token", "not-a-caller"], {
      env: { PAYMESH_ROUTER_HTTP: router.url },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toEqual([
      "paymesh: the router refused the token (401): unknown bearer token",
      "pass a caller's token with --token or PAYMESH_TOKEN",
    ]);
    expect(await router.queue.deadLetters.list(10)).toHaveLength(1);
  });

  it("says when the router runs without a dead-letter queue", async () => {
    const router = await startDeadLetterRouter({ token: TOKEN, withQueue: false });
    const run = await dlq(router.url, "list");
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      "paymesh: the router answered 404: this router has no dead-letter queue",
    ]);
  });

  it("says when no router is listening, and how to start one", async () => {
    const port = await closedPort();
    const run = await dlq(`http://127.0.0.1:${port}`, "list");
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: GET http://127.0.0.1:${port}/admin/dlq?limit=50 failed: connect ECONNREFUSED 127.0.0.1:${port}`,
      'is the router running? start the stack with "./run pnpm start", or pass --router-http',
    ]);
  });

  it.each(["0", "501", "ten"])("refuses --limit %s before calling the router", async (limit) => {
    const run = await dlq("http://127.0.0.1:1", "list", "--limit", limit);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      `paymesh: dlq list: --limit must be a whole number from 1 to 500, not ${JSON.stringify(limit)}`,
    ]);
  });

  it.each(["show", "replay", "drop"])("dlq %s needs the id", async (action) => {
    const run = await dlq("http://127.0.0.1:1", action);
    expect(run.code).toBe(2);
    expect(run.stderrLines).toEqual([
      `paymesh: dlq ${action}: missing <id>`,
      `run "paymesh dlq ${action} --help" for usage`,
    ]);
  });
});
