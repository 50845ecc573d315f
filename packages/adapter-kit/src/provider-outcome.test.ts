import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { GrpcCode } from "./paymesh-error.ts";
import { outcomeError, transportFailure } from "./provider-outcome.ts";
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
