import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { PolicyTimeoutError } from "@paymesh/resilience";
import { describe, expect, it } from "vitest";
import { classifyAdapterError } from "./adapter-error-class.ts";

const withCode = (code: GrpcCode, neverReachedProvider = false) =>
  new PaymeshError(ErrorReason.PROVIDER_ERROR, "from the adapter", { code, neverReachedProvider });

describe("classifyAdapterError", () => {
  it.each([
    GrpcCode.INVALID_ARGUMENT,
    GrpcCode.FAILED_PRECONDITION,
    GrpcCode.OUT_OF_RANGE,
    GrpcCode.PERMISSION_DENIED,
    GrpcCode.UNIMPLEMENTED,
  ])("takes code %i as a refusal: final, healthy, never repeated", (code) => {
    expect(classifyAdapterError(withCode(code))).toMatchObject({
      refused: true,
      countsAgainstBreaker: false,
      retryRead: false,
      retryCreate: false,
    });
  });

  it.each([GrpcCode.UNAVAILABLE, GrpcCode.RESOURCE_EXHAUSTED, GrpcCode.DEADLINE_EXCEEDED])(
    "counts code %i against the breaker and repeats reads and creates",
    (code) => {
      expect(classifyAdapterError(withCode(code))).toMatchObject({
        refused: false,
        countsAgainstBreaker: true,
        retryRead: true,
        retryCreate: true,
      });
    },
  );

  it.each([GrpcCode.INTERNAL, GrpcCode.UNKNOWN])("counts code %i but never repeats it", (code) => {
    expect(classifyAdapterError(withCode(code))).toMatchObject({
      refused: false,
      countsAgainstBreaker: true,
      retryRead: false,
      retryCreate: false,
    });
  });

  it("takes 'never reached a provider' from the error itself, whatever its code", () => {
    expect(classifyAdapterError(withCode(GrpcCode.UNAVAILABLE, true)).neverReachedProvider).toBe(true);
    expect(classifyAdapterError(withCode(GrpcCode.UNAVAILABLE)).neverReachedProvider).toBe(false);
  });

  it("repeats a read the policy timed out, but not a create that may still reach the provider", () => {
    const timedOut = new PolicyTimeoutError("attempt 1 timed out", { reason: "timeout", callStarted: true });
    expect(classifyAdapterError(timedOut)).toMatchObject({
      countsAgainstBreaker: true,
      retryRead: true,
      retryCreate: false,
      neverReachedProvider: false,
    });
  });

  it("treats anything else thrown as an unknown failure: counted, not a refusal, not repeated", () => {
    expect(classifyAdapterError(new Error("socket hang up"))).toMatchObject({
      refused: false,
      countsAgainstBreaker: true,
      retryRead: false,
      retryCreate: false,
      webhookStatus: 503,
    });
  });

  it("tells the webhook ingress what to answer the provider", () => {
    expect(classifyAdapterError(withCode(GrpcCode.INVALID_ARGUMENT)).webhookStatus).toBe(400);
    expect(classifyAdapterError(withCode(GrpcCode.UNAUTHENTICATED)).webhookStatus).toBe(401);
    expect(classifyAdapterError(withCode(GrpcCode.FAILED_PRECONDITION)).webhookStatus).toBe(503);
    expect(classifyAdapterError(withCode(GrpcCode.NOT_FOUND))).toMatchObject({
      notFound: true,
      refused: false,
    });
  });
});
