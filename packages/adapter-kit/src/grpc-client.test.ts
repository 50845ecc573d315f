import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import { adapterv1, grpcServiceDefinition } from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGrpcClient } from "./grpc-client.ts";

// An adapter that never answers: a call ends only by its deadline or by being cancelled.
let server: Server;
let address: string;
const received: string[] = [];

beforeAll(async () => {
  server = new Server();
  server.addService(grpcServiceDefinition(adapterv1.ProviderAdapter), {
    describe: () => received.push("describe"),
    listSettlements: () => received.push("listSettlements"),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  address = `127.0.0.1:${port}`;
});
afterAll(() => server.forceShutdown());

describe("a call given a signal that was aborted before it was made", () => {
  // The reconciler's run is aborted (SIGTERM) between taking its lock and asking the adapter for
  // its report: the abort event has already fired, so only the signal's state can stop the call.
  const aborted = () => {
    const controller = new AbortController();
    controller.abort(new Error("shutting down"));
    return controller.signal;
  };
  const late = () => new Date(Date.now() + 10_000);

  it("is cancelled at once (unary), not left to its deadline", async () => {
    const client = createGrpcClient(adapterv1.ProviderAdapter, address);
    const started = performance.now();
    await expect(client.describe({}, { deadline: late(), signal: aborted() })).rejects.toMatchObject({
      code: status.CANCELLED,
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    client.close();
  });

  it("is cancelled at once (server streaming), not left to its deadline", async () => {
    const client = createGrpcClient(adapterv1.ProviderAdapter, address);
    const started = performance.now();
    const read = async () => {
      for await (const _ of client.listSettlements(
        { date: "2026-12-03" },
        { deadline: late(), signal: aborted() },
      ))
        throw new Error("no message was expected");
    };
    await expect(read()).rejects.toMatchObject({ code: status.CANCELLED });
    expect(performance.now() - started).toBeLessThan(2_000);
    client.close();
  });
});
