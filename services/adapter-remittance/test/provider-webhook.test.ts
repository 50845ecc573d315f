// ParseWebhook over gRPC, as the router calls it: the replay window on `sent_at` and the claims a
// refused webhook carries, with the simulator's own deliveries on a clock shared with the adapter.
import { CLAIMED_PROVIDER_REFERENCE_KEY, GrpcCode } from "@paymesh/adapter-kit";
import { deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason } from "@paymesh/proto";
import { createTestClock, useFixture, waitFor } from "@paymesh/test-kit";
import { describe, expect, it } from "vitest";
import { startReceiver } from "../sandbox/test-support.ts";
import { idrQuote, remittancePayment, startAdapter } from "./harness.ts";

const clock = createTestClock();
const TOLERANCE_MS = 300_000;

/** A webhook as it reached (or would reach) the router. */
interface Webhook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | Uint8Array;
}

function parse(webhook: Webhook) {
  return fixture().client.parseWebhook(
    {
      httpMethod: "POST",
      path: webhook.path,
      headers: Object.entries(webhook.headers).map(([name, value]) => ({
        name: name.toLowerCase(),
        value: String(value),
      })),
      body: typeof webhook.body === "string" ? new TextEncoder().encode(webhook.body) : webhook.body,
    },
    deadline(),
  );
}

/** Creates a funded payment; its funding webhook goes out on its own. */
async function pay(): Promise<{ providerReference: string }> {
  const created = await fixture().client.createPayment(
    remittancePayment(await idrQuote(fixture())),
    deadline(),
  );
  return { providerReference: created.payment?.providerReference ?? "" };
}

async function outcome(webhook: Webhook) {
  const error = await rejection(parse(webhook));
  return { code: error.code, reason: error.reason, metadata: error.metadata };
}

const receiver = useFixture(startReceiver, (started) => {
  started.received.length = 0;
});
const fixture = useFixture(
  () => startAdapter({ clock: clock.now }),
  (started) => {
    started.simulator.reset();
    started.simulator.configure({ notifyUrl: receiver().url });
  },
);

describe("ParseWebhook: replay window on sent_at", () => {
  it("refuses a genuine delivery read after the window, claiming its transfer; a redelivery is stamped anew and accepted", async () => {
    const payment = await pay();
    const first = await waitFor(() => receiver().received[0]);
    expect((await parse(first)).events).toHaveLength(1);

    // Well past the window: with a frozen clock the simulator's occurred_at (and so sent_at) runs a
    // second or so ahead, since it keeps occurred_at strictly increasing per transfer.
    clock.advance(TOLERANCE_MS + 60_000);
    expect(await outcome(first)).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: { [CLAIMED_PROVIDER_REFERENCE_KEY]: payment.providerReference },
    });

    await fixture().simulator.notify({ transferId: payment.providerReference });
    const again = await waitFor(() => receiver().received[1]);
    const [event] = (await parse(again)).events;
    expect(event).toMatchObject({
      providerReference: payment.providerReference,
      providerStatus: "processing",
    });
  });
});

describe("ParseWebhook: claims of a webhook that does not verify", () => {
  it("a forged webhook naming a real transfer carries it as the claimed provider reference", async () => {
    const payment = await pay();
    const forged = fixture().simulator.webhook({ transferId: payment.providerReference }, { forged: true });
    expect(await outcome(forged)).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: { [CLAIMED_PROVIDER_REFERENCE_KEY]: payment.providerReference },
    });
  });

  it("an unsigned body that is not a Wise webhook carries no claim", async () => {
    const garbage = { path: "/webhooks/remittance", headers: {}, body: "<html>not a webhook</html>" };
    expect(await outcome(garbage)).toEqual({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
      metadata: {},
    });
  });
});
