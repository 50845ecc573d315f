// The whole published Midtrans vocabulary the VA adapter reads, table by table, through the adapter
// over gRPC against the simulator: every transaction_status (and fraud_status) in a status answer
// and in a notification, and every status_code of an error answer to a charge. Each row names the
// Midtrans document it comes from; the simulator produces each value (POST /sim/status, failNext),
// so a row also proves the simulator can.
import { GrpcCode, unknownProviderValueCounts } from "@paymesh/adapter-kit";
import { type AdapterClient, captureUnknownReports, deadline, rejection } from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { VaSimulator } from "../sandbox/index.ts";
import { MAPPED_STATUS_CODES } from "../src/midtrans-error-map.ts";
import { KNOWN_TRANSACTION_STATUSES } from "../src/midtrans-status.ts";
import { type Harness, startHarness, vaPayment } from "./harness.ts";

/** Midtrans docs, "Transaction Status" reference and "Transaction Status Cycle". */
const STATUS_DOC = "Midtrans Transaction Status / Transaction Status Cycle";
/** Midtrans docs, "Status Codes": Code 2xx and Code 4xx. */
const CODE_DOC = "Midtrans Status Codes";

let harness: Harness;
let simulator: VaSimulator;
let client: AdapterClient;
beforeAll(async () => {
  // One attempt per call, so an injected answer is the answer the table maps (no upstream retry).
  harness = await startHarness({ client: { retry: { maxAttempts: 1 } } });
  ({ simulator, client } = harness);
});
beforeEach(() => simulator.reset());
afterAll(() => harness?.close());

/** A call's answer as far as the summary reads it. */
type Answered = Promise<{
  payment?:
    | { status: PaymentStatus; failure?: { reason: ErrorReason; providerCode: string } | undefined }
    | undefined;
}>;

/** What an answer of the adapter comes to: a payment's status and failure, or an error. */
async function summary(call: Answered) {
  try {
    const { payment } = await call;
    return {
      status: payment?.status,
      reason: payment?.failure?.reason,
      providerCode: payment?.failure?.providerCode,
    };
  } catch (error) {
    const e = await rejection(Promise.reject(error));
    return { code: e.code, reason: e.reason, providerCode: e.metadata.provider_code };
  }
}

async function issueVa() {
  const request = vaPayment(25_000n);
  await client.createPayment(request, deadline());
  return request.paymentId;
}

interface StatusRow {
  transactionStatus: string;
  fraudStatus?: string;
  statusCode?: string;
  status: PaymentStatus;
  reason?: ErrorReason;
}

const STATUS_ROWS: StatusRow[] = [
  { transactionStatus: "pending", status: PaymentStatus.REQUIRES_ACTION },
  { transactionStatus: "settlement", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "capture", fraudStatus: "accept", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "capture", fraudStatus: "challenge", status: PaymentStatus.PROCESSING },
  {
    transactionStatus: "capture",
    fraudStatus: "deny",
    status: PaymentStatus.FAILED,
    reason: ErrorReason.PROVIDER_DECLINED,
  },
  { transactionStatus: "deny", status: PaymentStatus.FAILED, reason: ErrorReason.PROVIDER_DECLINED },
  { transactionStatus: "cancel", status: PaymentStatus.CANCELED },
  { transactionStatus: "expire", status: PaymentStatus.EXPIRED, reason: ErrorReason.PAYMENT_EXPIRED },
  { transactionStatus: "refund", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "partial_refund", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "chargeback", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "partial_chargeback", status: PaymentStatus.SUCCEEDED },
  { transactionStatus: "authorize", status: PaymentStatus.PROCESSING },
  { transactionStatus: "failure", status: PaymentStatus.FAILED, reason: ErrorReason.PROVIDER_ERROR },
];

async function setStatus(
  orderId: string,
  row: { transactionStatus: string; fraudStatus?: string | undefined },
) {
  await simulator.setStatus(orderId, {
    transaction_status: row.transactionStatus,
    ...(row.fraudStatus === undefined ? {} : { fraud_status: row.fraudStatus }),
  });
}

async function notified(orderId: string) {
  const notification = simulator.webhook(orderId);
  const parsed = await client.parseWebhook(
    {
      httpMethod: "POST",
      path: notification.path,
      headers: Object.entries(notification.headers).map(([name, value]) => ({
        name: name.toLowerCase(),
        value,
      })),
      body: new TextEncoder().encode(notification.body),
    },
    deadline(),
  );
  return parsed.events[0];
}

describe(`transaction_status (${STATUS_DOC})`, () => {
  it("the table covers every published value", () => {
    expect([...KNOWN_TRANSACTION_STATUSES].sort()).toEqual(
      [...new Set(STATUS_ROWS.map((row) => row.transactionStatus))].sort(),
    );
  });

  it.each(STATUS_ROWS)("status answer: $transactionStatus $fraudStatus", async (row) => {
    const orderId = await issueVa();
    await setStatus(orderId, row);
    const { payment } = await client.getPaymentStatus(
      { paymentId: orderId, providerReference: "" },
      deadline(),
    );
    expect(payment).toMatchObject({ status: row.status, providerStatus: row.transactionStatus });
    expect(payment?.failure?.reason).toBe(row.reason);
  });

  it.each(STATUS_ROWS)("notification: $transactionStatus $fraudStatus", async (row) => {
    const orderId = await issueVa();
    await setStatus(orderId, row);
    const event = await notified(orderId);
    expect(event).toMatchObject({
      paymentId: orderId,
      status: row.status,
      providerStatus: row.transactionStatus,
    });
    expect(event?.failure?.reason).toBe(row.reason);
  });

  it("an unknown transaction_status is UNSPECIFIED with the raw value, and reported (answer and notification)", async () => {
    const orderId = await issueVa();
    await setStatus(orderId, { transactionStatus: "reversed" });
    const before = countOf("transaction_status");
    const capture = captureUnknownReports();
    try {
      const { payment } = await client.getPaymentStatus(
        { paymentId: orderId, providerReference: "" },
        deadline(),
      );
      expect(payment).toMatchObject({ status: PaymentStatus.UNSPECIFIED, providerStatus: "reversed" });
      expect(payment?.failure).toBeUndefined();
      expect(await notified(orderId)).toMatchObject({
        status: PaymentStatus.UNSPECIFIED,
        providerStatus: "reversed",
      });
      expect(capture.reports()).toEqual([
        expect.objectContaining({
          service: "adapter-va",
          field: "transaction_status",
          value: "reversed",
          paymentId: orderId,
        }),
        expect.objectContaining({ field: "transaction_status", value: "reversed", paymentId: orderId }),
      ]);
    } finally {
      capture.restore();
    }
    expect(countOf("transaction_status")).toBe(before + 2);
  });

  it("an unknown fraud_status is reported; on a capture it leaves the status UNSPECIFIED", async () => {
    const settled = await issueVa();
    const captured = await issueVa();
    await setStatus(settled, { transactionStatus: "settlement", fraudStatus: "review" });
    await setStatus(captured, { transactionStatus: "capture", fraudStatus: "review" });
    const capture = captureUnknownReports();
    try {
      const status = async (paymentId: string) =>
        (await client.getPaymentStatus({ paymentId, providerReference: "" }, deadline())).payment?.status;
      expect(await status(settled)).toBe(PaymentStatus.SUCCEEDED);
      expect(await status(captured)).toBe(PaymentStatus.UNSPECIFIED);
      expect(capture.reports().map((line) => [line.field, line.value, line.paymentId])).toEqual([
        ["fraud_status", "review", settled],
        ["fraud_status", "review", captured],
      ]);
    } finally {
      capture.restore();
    }
  });
});

const failed = (reason: ErrorReason) => ({ status: PaymentStatus.FAILED, reason });
const error = (code: GrpcCode, reason: ErrorReason) => ({ code, reason });
// Uncertain or duplicate: the status API finds no VA (the injected answer processed nothing), so
// nothing was created: UNAVAILABLE, never reached the provider.
const nothing = (reason: ErrorReason) => error(GrpcCode.UNAVAILABLE, reason);
const DRIFT = error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_ERROR);

/** [status_code, source, what CreatePayment answers when the charge gets it]. */
const CODE_ROWS: Array<[string, string, ReturnType<typeof failed> | ReturnType<typeof error>]> = [
  ["202", `${CODE_DOC}, Code 2xx: denied`, failed(ErrorReason.PROVIDER_DECLINED)],
  [
    "400",
    `${CODE_DOC}, Code 4xx: validation error`,
    error(GrpcCode.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD),
  ],
  [
    "401",
    `${CODE_DOC}, Code 4xx: access denied`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED),
  ],
  [
    "402",
    `${CODE_DOC}, Code 4xx: no access for this payment type`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.METHOD_NOT_SUPPORTED),
  ],
  ["403", `${CODE_DOC}, Code 4xx: content not acceptable`, DRIFT],
  ["404", `${CODE_DOC}, Code 4xx: not found`, nothing(ErrorReason.PROVIDER_ERROR)],
  ["405", `${CODE_DOC}, Code 4xx: method not allowed`, DRIFT],
  ["406", `${CODE_DOC}, Code 4xx: duplicate order ID`, nothing(ErrorReason.PROVIDER_ERROR)],
  [
    "407",
    `${CODE_DOC}, Code 4xx: expired transaction`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PAYMENT_EXPIRED),
  ],
  [
    "408",
    `${CODE_DOC}, Code 4xx: wrong data type`,
    error(GrpcCode.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD),
  ],
  [
    "409",
    `${CODE_DOC}, Code 4xx: too many transactions for one card`,
    error(GrpcCode.RESOURCE_EXHAUSTED, ErrorReason.PROVIDER_RATE_LIMITED),
  ],
  [
    "410",
    `${CODE_DOC}, Code 4xx: account deactivated`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED),
  ],
  ["411", `${CODE_DOC}, Code 4xx: token_id missing or timed out`, DRIFT],
  [
    "412",
    `${CODE_DOC}, Code 4xx: status cannot be modified`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PAYMENT_NOT_CANCELABLE),
  ],
  ["413", `${CODE_DOC}, Code 4xx: syntax error in the body`, DRIFT],
  [
    "414",
    `${CODE_DOC}, Code 4xx: refund refused, merchant balance`,
    error(GrpcCode.FAILED_PRECONDITION, ErrorReason.INSUFFICIENT_FUNDS),
  ],
  [
    "429",
    `${CODE_DOC}, Code 4xx: rate limit`,
    error(GrpcCode.RESOURCE_EXHAUSTED, ErrorReason.PROVIDER_RATE_LIMITED),
  ],
  ["500", "HTTP meaning (unconfirmed as a Midtrans code)", nothing(ErrorReason.PROVIDER_ERROR)],
  ["502", "HTTP meaning (unconfirmed as a Midtrans code)", nothing(ErrorReason.PROVIDER_UNAVAILABLE)],
  ["503", "HTTP meaning (unconfirmed as a Midtrans code)", nothing(ErrorReason.PROVIDER_UNAVAILABLE)],
  ["504", "HTTP meaning (unconfirmed as a Midtrans code)", nothing(ErrorReason.PROVIDER_TIMEOUT)],
];

describe("status_code of an error answer to a charge", () => {
  it("the rows are exactly the codes the table maps", () => {
    expect(CODE_ROWS.map(([code]) => code).sort()).toEqual([...MAPPED_STATUS_CODES].sort());
  });

  it.each(CODE_ROWS)("%s (%s)", async (statusCode, _source, expected) => {
    simulator.configure({ failNext: { count: 1, statusCode } });
    const outcome = await summary(client.createPayment(vaPayment(25_000n), deadline()));
    // The simulator answered the code and the adapter kept it verbatim.
    expect(outcome).toMatchObject({ ...expected, providerCode: statusCode });
    expect(simulator.stats().charges).toBe(0);
  });

  it("a status_code outside the table is uncertain (Midtrans's record decides) and reported", async () => {
    const request = vaPayment(25_000n);
    simulator.configure({ failNext: { count: 1, statusCode: "418" } });
    const before = countOf("status_code");
    const capture = captureUnknownReports();
    try {
      expect(await summary(client.createPayment(request, deadline()))).toMatchObject({
        code: GrpcCode.UNAVAILABLE,
        reason: ErrorReason.PROVIDER_ERROR,
        providerCode: "418",
      });
      expect(capture.reports()).toEqual([
        expect.objectContaining({
          service: "adapter-va",
          field: "status_code",
          value: "418",
          paymentId: request.paymentId,
        }),
      ]);
    } finally {
      capture.restore();
    }
    expect(countOf("status_code")).toBe(before + 1);
    expect(simulator.stats().requests.status).toBe(1);
  });
});

describe("the simulator's control API", () => {
  it("POST /sim/status sets what the status API and the notification report", async () => {
    const orderId = await issueVa();
    const response = await fetch(`${simulator.url}/sim/status`, {
      method: "POST",
      body: JSON.stringify({ order_id: orderId, transaction_status: "partial_refund" }),
    });
    expect(await response.json()).toMatchObject({ transaction_status: "partial_refund", status_code: "200" });
    expect(JSON.parse(simulator.webhook(orderId).body)).toMatchObject({
      transaction_status: "partial_refund",
      status_code: "200",
    });
  });
});

function countOf(field: string): number {
  return (
    unknownProviderValueCounts().find((row) => row.adapter === "adapter-va" && row.field === field)?.count ??
    0
  );
}
