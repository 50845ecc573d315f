import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { GrpcCode } from "./paymesh-error.ts";
import {
  nothingCreated,
  outcomeError,
  recordedCall,
  settleByLookup,
  transportFailure,
} from "./provider-outcome.ts";
import { ProviderTransportError } from "./provider-transport-error.ts";

const exchange = {
  operation: "charge",
  httpMethod: "POST",
  url: "u",
  requestBody: "",
  startedAt: new Date(0),
  durationMicros: 1,
};
const call = { provider: "Midtrans", what: "charge" };

describe("outcomeError", () => {
  it("a refusal keeps its reason, code and field; only retryLater marks it as never reached", () => {
    const refused = outcomeError(
      {
        kind: "refused",
        reason: ErrorReason.INVALID_FIELD,
        code: GrpcCode.INVALID_ARGUMENT,
        field: "amount",
      },
      { ...call, providerCode: "400", providerMessage: "bad amount" },
    );
    expect(refused).toMatchObject({
      reason: ErrorReason.INVALID_FIELD,
      code: GrpcCode.INVALID_ARGUMENT,
      field: "amount",
    });
    expect(refused.message).toBe("charge: Midtrans refused it: bad amount (400)");
    expect(refused.metadata.provider_code).toBe("400");
    expect(refused.neverReachedProvider).toBe(false);
    const later = outcomeError(
      { kind: "refused", reason: ErrorReason.PROVIDER_RATE_LIMITED, retryLater: true },
      call,
    );
    expect(later.code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(later.neverReachedProvider).toBe(true);
  });

  it("not found and uncertain answers", () => {
    expect(outcomeError({ kind: "not-found" }, call)).toMatchObject({
      code: GrpcCode.NOT_FOUND,
      reason: ErrorReason.PAYMENT_NOT_FOUND,
    });
    expect(outcomeError({ kind: "uncertain", reason: ErrorReason.PROVIDER_ERROR }, call)).toMatchObject({
      code: GrpcCode.DEADLINE_EXCEEDED,
      reason: ErrorReason.OUTCOME_UNKNOWN,
    });
  });

  it("an uncertain answer to a read-only call is UNAVAILABLE with the table's reason", () => {
    const read = outcomeError(
      { kind: "uncertain", reason: ErrorReason.PROVIDER_TIMEOUT },
      { ...call, what: "status lookup", providerCode: "504", providerMessage: "slow", readOnly: true },
    );
    expect(read).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_TIMEOUT });
    expect(read.message).toBe("status lookup: Midtrans failed: slow (504)");
    expect(read.metadata.provider_code).toBe("504");
    expect(read.neverReachedProvider).toBe(false);
  });
});

describe("nothingCreated", () => {
  it("is UNAVAILABLE and never reached, with an uncertain outcome's reason, else PROVIDER_ERROR", () => {
    const said = { ...call, providerCode: "503", providerMessage: "down" };
    const after5xx = nothingCreated({ kind: "uncertain", reason: ErrorReason.PROVIDER_UNAVAILABLE }, said);
    expect(after5xx).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_UNAVAILABLE });
    expect(after5xx.neverReachedProvider).toBe(true);
    expect(after5xx.message).toContain("charge: Midtrans failed: down (503)");
    expect(after5xx.message).toContain("nothing was created");
    expect(nothingCreated({ kind: "duplicate" }, call).reason).toBe(ErrorReason.PROVIDER_ERROR);
  });
});

describe("settleByLookup", () => {
  it("passes the lookup's answer through", async () => {
    await expect(settleByLookup(call, async () => "found")).resolves.toBe("found");
  });

  it("any failure of the lookup, even one never sent, leaves the outcome unknown", async () => {
    const unsent = transportFailure(new ProviderTransportError("refused", { sent: false, exchange }), call);
    for (const failure of [
      unsent,
      outcomeError({ kind: "refused", reason: ErrorReason.PROVIDER_AUTH_FAILED }, call),
    ]) {
      const error = await settleByLookup(call, () => Promise.reject(failure)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
      expect(error).toMatchObject({ neverReachedProvider: false, cause: failure });
    }
  });
});

describe("recordedCall", () => {
  it("records every round trip, a failed call's too, and maps a transport failure", async () => {
    const trail: unknown[] = [];
    const answer = await recordedCall(
      trail as never[],
      async () => ({ exchanges: [exchange] }),
      () => new Error("x"),
    );
    expect(answer.exchanges).toHaveLength(1);
    const lost = new ProviderTransportError("timed out", { sent: true, exchange });
    const error = await recordedCall(
      trail as never[],
      () => Promise.reject(lost),
      (failure) => transportFailure(failure, call),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(trail).toHaveLength(2);
  });
});

describe("transportFailure", () => {
  it("not sent is UNAVAILABLE and never reached; sent is unknown unless the call only reads", () => {
    const unsent = transportFailure(new ProviderTransportError("refused", { sent: false, exchange }), call);
    expect(unsent).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_UNAVAILABLE });
    expect(unsent.neverReachedProvider).toBe(true);
    expect(unsent.metadata.reached_provider).toBe("false");
    const lost = new ProviderTransportError("timed out", { sent: true, exchange });
    const write = transportFailure(lost, call);
    expect(write).toMatchObject({ code: GrpcCode.DEADLINE_EXCEEDED, reason: ErrorReason.OUTCOME_UNKNOWN });
    expect(write.neverReachedProvider).toBe(false);
    expect(write.message).toBe("charge: Midtrans's answer was lost: timed out");
    expect(transportFailure(lost, { ...call, readOnly: true })).toMatchObject({ code: GrpcCode.UNAVAILABLE });
  });
});
