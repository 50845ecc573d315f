// `pnpm bench`: CreatePayment throughput and latency through the router, directly against the QRIS
// adapter, and through a bare grpc-js forwarder in front of the adapter, measured side by side in
// one run (rounds interleaved so machine drift hits every path alike), with the ratios.
import { randomUUID } from "node:crypto";
import { createGrpcClient } from "@paymesh/adapter-kit";
import { adapterv1, PaymentService } from "@paymesh/proto";
import { startQrisStack, TEST_TOKEN } from "../support/qris-stack.ts";
import { startService } from "../support/start-process.ts";
import { type LoadResult, merge, quantile, runLoad } from "./load.ts";

const requestsPerRound = Number(process.env.BENCH_REQUESTS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);

/** Fixed-point text for a measurement (display only; no money is formatted here). */
function decimal(value: number, digits: number): string {
  return new Intl.NumberFormat("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(value);
}

const stack = await startQrisStack();
const forwarder = await startService<{ address: string }>("test/bench/forwarder.ts", {
  FORWARD_TO: stack.adapterAddress,
});
const adapter = createGrpcClient(adapterv1.ProviderAdapter, stack.adapterAddress);
const viaForwarder = createGrpcClient(adapterv1.ProviderAdapter, forwarder.ready.address);
const router = createGrpcClient(PaymentService, stack.routerGrpc, {
  metadata: { authorization: `Bearer ${TEST_TOKEN}` },
});

const run = randomUUID().slice(0, 8);
const deadline = (): Date => new Date(Date.now() + 30_000);
const paymentId = (): string => `pay_${randomUUID().replaceAll("-", "").slice(0, 26)}`;
const adapterRequest = () => ({
  paymentId: paymentId(),
  amount: { currency: "IDR", minorUnits: 25_000_00n },
  method: { case: "qris" as const, value: {} },
});
const paths: Record<string, (i: number) => Promise<unknown>> = {
  "direct to adapter": () => adapter.createPayment(adapterRequest(), { deadline: deadline() }),
  "bare grpc-js forwarder": () => viaForwarder.createPayment(adapterRequest(), { deadline: deadline() }),
  "router (in-memory store)": (i) =>
    router.createPayment(
      {
        idempotencyKey: `bench-${run}-${i}-${randomUUID()}`,
        amount: { currency: "IDR", minorUnits: 25_000_00n },
        method: { case: "qris", value: {} },
      },
      { deadline: deadline() },
    ),
};

try {
  for (const call of Object.values(paths)) await runLoad(call, 200, concurrency); // warm up JITs and channels
  const results: Record<string, LoadResult[]> = Object.fromEntries(
    Object.keys(paths).map((name) => [name, []]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of Object.entries(paths))
      results[name]?.push(await runLoad(call, requestsPerRound, concurrency));
  }
  const summary = Object.entries(results).map(([name, list]) => {
    const merged = merge(list);
    return {
      name,
      requests: merged.requests,
      errors: merged.errors,
      throughput: merged.requests / merged.seconds,
      p50: quantile(merged.latenciesMs, 0.5),
      p99: quantile(merged.latenciesMs, 0.99),
    };
  });
  const direct = summary[0];
  const floor = summary[1];
  const ratio = (value: number, base: number | undefined): string => decimal(value / (base ?? Number.NaN), 2);
  console.log(
    `CreatePayment, QRIS adapter + SNAP simulator, ${rounds} rounds x ${requestsPerRound} requests, concurrency ${concurrency}, node ${process.version}`,
  );
  console.log(
    "| path | requests | errors | req/s | p50 ms | p99 ms | req/s ÷ direct | req/s ÷ forwarder | p50 ÷ forwarder |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const row of summary) {
    console.log(
      `| ${row.name} | ${row.requests} | ${row.errors} | ${decimal(row.throughput, 0)} | ${decimal(row.p50, 2)} | ${decimal(row.p99, 2)} | ${ratio(row.throughput, direct?.throughput)} | ${ratio(row.throughput, floor?.throughput)} | ${ratio(row.p50, floor?.p50)} |`,
    );
  }
} finally {
  adapter.close();
  viaForwarder.close();
  router.close();
  await forwarder.stop();
  await stack.stop();
}
