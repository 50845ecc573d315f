import { type ServedAdapter, serveAdapter } from "@paymesh/adapter-kit";
import { PaymentMethodType } from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoadBalancing } from "../router-config.ts";
import { createAdapterRegistry } from "./adapter-registry.ts";

// The router's channel to one adapter name that resolves to several servers (a headless Service's
// pods): round_robin spreads the calls over all of them, pick_first keeps one. Two real adapter
// servers on port 0 stand for two pods; an ipv4: target with both addresses stands for the name.

const pods: Array<{ served: ServedAdapter; describes: number }> = [];

beforeAll(async () => {
  for (const provider of ["pod-a", "pod-b"]) {
    const pod = { served: undefined as unknown as ServedAdapter, describes: 0 };
    pod.served = await serveAdapter({
      provider: {
        describe: () => {
          pod.describes += 1;
          return { provider, methods: [PaymentMethodType.QRIS], currencies: ["IDR"] };
        },
        createPayment: () => Promise.reject(new Error("not in this test")),
        getPaymentStatus: () => Promise.reject(new Error("not in this test")),
      },
    });
    pods.push(pod);
  }
});
afterAll(async () => {
  await Promise.all(pods.map((pod) => pod.served.shutdown(0)));
});

async function describeTwentyTimes(loadBalancing: LoadBalancing): Promise<string[]> {
  const target = `ipv4:${pods.map((pod) => `127.0.0.1:${pod.served.port}`).join(",")}`;
  const registry = createAdapterRegistry({
    adapters: { qris: { address: target, loadBalancing } },
    routes: { qris: ["qris"] },
    policy: {},
  });
  try {
    const [handle] = registry.adaptersFor(PaymentMethodType.QRIS);
    if (handle === undefined) throw new Error("no qris adapter");
    const answers: string[] = [];
    for (let i = 0; i < 20; i++) answers.push((await handle.client.describe({})).provider);
    return answers;
  } finally {
    registry.close();
  }
}

describe("an adapter reached through several addresses", () => {
  it("gets its calls spread over every address with round_robin", async () => {
    const answers = await describeTwentyTimes("round_robin");
    expect(answers.filter((provider) => provider === "pod-a").length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((provider) => provider === "pod-b").length).toBeGreaterThanOrEqual(5);
  });

  it("keeps every call on one address with pick_first", async () => {
    const answers = await describeTwentyTimes("pick_first");
    expect(new Set(answers).size).toBe(1);
  });
});
