import { GrpcCode, type HttpExchange } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { findDisbursement } from "../src/provider.ts";
import { createXenditClient } from "../src/xendit-client.ts";

/** A client whose "Xendit" answers every request with one fixed response. */
function answering(status: number, body: unknown) {
  const fetchFake: typeof fetch = async () => new Response(JSON.stringify(body), { status });
  return createXenditClient({ baseUrl: "http://xendit.invalid", secretKey: "FAKE-key", fetch: fetchFake });
}

const disbursement = (externalId: string, id: string) => ({
  id,
  external_id: externalId,
  amount: 150_000,
  bank_code: "BCA",
  account_holder_name: "Budi",
  status: "PENDING",
});

describe("findDisbursement", () => {
  const signal = new AbortController().signal;
  const lookup = { paymentId: "pay_1", providerReference: "", signal };

  it("treats an empty list and a 404 alike: no payout", async () => {
    const recorded: HttpExchange[] = [];
    expect(await findDisbursement(answering(200, []), lookup, (e) => recorded.push(e))).toBeUndefined();
    const notFound = answering(404, { error_code: "DIRECT_DISBURSEMENT_NOT_FOUND_ERROR", message: "none" });
    expect(await findDisbursement(notFound, lookup, (e) => recorded.push(e))).toBeUndefined();
    expect(recorded.map((e) => e.responseStatus)).toEqual([200, 404]);
  });

  it("takes the payout created first, whatever the list order, ignoring other external_ids", async () => {
    const at = (created: string) => ({ created });
    // Newest first, the order the simulator (and, it seems, Xendit) answers in.
    const list = [
      { ...disbursement("pay_1", "d_newer"), ...at("2024-03-05T03:10:00.000Z") },
      { ...disbursement("pay_other", "d_other"), ...at("2024-03-05T02:00:00.000Z") },
      { ...disbursement("pay_1", "d_ours"), ...at("2024-03-05T03:00:00.000Z") },
    ];
    expect((await findDisbursement(answering(200, list), lookup, () => {}))?.id).toBe("d_ours");
    expect((await findDisbursement(answering(200, [...list].reverse()), lookup, () => {}))?.id).toBe(
      "d_ours",
    );
  });

  it("refuses to guess between payouts it cannot order by creation time", async () => {
    const list = [disbursement("pay_1", "d1"), disbursement("pay_1", "d2")];
    await expect(findDisbursement(answering(200, list), lookup, () => {})).rejects.toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      reason: ErrorReason.PROVIDER_ERROR,
    });
  });

  it("throws refusals and Xendit failures instead of calling them 'not found'", async () => {
    const refused = answering(401, { error_code: "INVALID_API_KEY", message: "no" });
    await expect(findDisbursement(refused, lookup, () => {})).rejects.toMatchObject({
      code: GrpcCode.FAILED_PRECONDITION,
      reason: ErrorReason.PROVIDER_AUTH_FAILED,
    });
    const failing = answering(500, { error_code: "SERVER_ERROR", message: "oops" });
    await expect(findDisbursement(failing, lookup, () => {})).rejects.toMatchObject({
      code: GrpcCode.UNAVAILABLE,
      reason: ErrorReason.PROVIDER_UNAVAILABLE,
    });
  });
});
