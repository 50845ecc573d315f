import { createTestClock } from "@paymesh/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTransferSimulator, type TransferSimulator } from "./simulator.ts";
import { api, disbursementBody } from "./test-support.ts";

describe("GET /transactions (settlement report)", () => {
  const clock = createTestClock(new Date("2024-03-05T03:00:00Z"));
  let simulator: TransferSimulator;
  beforeAll(async () => {
    simulator = await createTransferSimulator({ clock: clock.now });
  });
  beforeEach(() => simulator.reset());
  afterAll(() => simulator.close());

  async function payout(externalId: string, outcome: "COMPLETED" | "FAILED" | "PENDING"): Promise<string> {
    const created = await api(simulator, "POST", "/disbursements", {
      body: disbursementBody({ external_id: externalId }),
    });
    const id = String(created.body.id);
    if (outcome !== "PENDING") await simulator.complete({ id }, { status: outcome });
    return id;
  }

  it("lists successful disbursements updated within a window, with fees", async () => {
    const paid = await payout("pay_s1", "COMPLETED");
    await payout("pay_s2", "FAILED");
    await payout("pay_s3", "PENDING");
    clock.advance(86_400_000);
    await payout("pay_s4", "COMPLETED");
    const query =
      "/transactions?types=DISBURSEMENT&statuses=SUCCESS&updated[gte]=2024-03-04T17:00:00.000Z&updated[lte]=2024-03-05T16:59:59.999Z";
    const report = await api(simulator, "GET", query);
    // A window of exactly one WIB day is that day's settlement report.
    expect(report.body).toEqual({
      data: [
        {
          id: "txn_20240305_0",
          product_id: paid,
          type: "DISBURSEMENT",
          status: "SUCCESS",
          settlement_status: "SETTLED",
          channel_category: "BANK",
          reference_id: "pay_s1",
          currency: "IDR",
          amount: 150_000,
          net_amount: 145_560,
          cashflow: "MONEY_OUT",
          fee: {
            xendit_fee: 4_000,
            value_added_tax: 440,
            xendit_withholding_tax: 0,
            third_party_withholding_tax: 0,
            status: "COMPLETED",
          },
          created: "2024-03-05T03:00:00.000Z",
          updated: "2024-03-05T03:00:00.000Z",
        },
      ],
      has_more: false,
      links: [],
    });
    const other = await api(simulator, "GET", "/transactions?types=CREDIT_CARD_PAYMENT");
    expect(other.body.data).toEqual([]);
  });

  it("pages with limit and after_id", async () => {
    for (const n of [1, 2, 3]) await payout(`pay_p${n}`, "COMPLETED");
    const first = await api(simulator, "GET", "/transactions?statuses=SUCCESS&limit=2");
    expect(first.body).toMatchObject({ has_more: true, links: [{ rel: "next", method: "GET" }] });
    const data = first.body.data as Array<{ id: string; reference_id: string }>;
    expect(data.map((t) => t.reference_id)).toEqual(["pay_p1", "pay_p2"]);
    const second = await api(
      simulator,
      "GET",
      `/transactions?statuses=SUCCESS&limit=2&after_id=${data[1]?.id}`,
    );
    expect(second.body).toMatchObject({ has_more: false, data: [{ reference_id: "pay_p3" }] });
    expect((await api(simulator, "GET", "/transactions?limit=0")).body.error_code).toBe(
      "API_VALIDATION_ERROR",
    );
    expect((await api(simulator, "GET", "/transactions?updated[gte]=yesterday")).status).toBe(400);
    expect((await api(simulator, "GET", "/transactions", { key: "FAKE-wrong" })).status).toBe(401);
  });
});
