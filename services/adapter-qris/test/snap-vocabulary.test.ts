// The whole published SNAP QR MPM vocabulary, table by table, through the adapter over gRPC against
// the simulator: every latestTransactionStatus in a query answer and in a notification, every
// response code the SNAP standard lists as an answer to generate, and the whitespace rule of the
// notification signature. Each row names the public document it comes from; the simulator
// produces each value (POST /sim/status, failNext), so a row also proves the simulator can.
import { GrpcCode, unknownProviderValueCounts } from "@paymesh/adapter-kit";
import {
  type AdapterClient,
  captureUnknownReports,
  deadline,
  newPaymentId,
  rejection,
} from "@paymesh/adapter-kit/testing";
import { ErrorReason, PaymentStatus } from "@paymesh/proto";
import { SNAP_PUBLISHED_CASES } from "@paymesh/snap";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { QrisSimulator } from "../sandbox/index.ts";
import { MAPPED_SNAP_CASES } from "../src/snap-error-map.ts";
import { KNOWN_SNAP_STATUSES } from "../src/snap-status.ts";
import { type QrisHarness, startHarness } from "./harness.ts";

const PATH = "/webhooks/qris";
/** Finpay, "SNAP QRIS – Query Payment" and "Payment Notify", field latestTransactionStatus. */
const FINPAY = "Finpay SNAP QRIS: Query Payment / Payment Notify, latestTransactionStatus";
/** Qoin, "QR MPM Query" reference, response field latestTransactionStatus. */
const QOIN = "Qoin QR MPM Query, latestTransactionStatus";
/** The SNAP standard's response code list, and DOKU's copy of it. */
const CODES = "SNAP Developer Site (ASPI), Daftar Response Code; DOKU, Error Response - SNAP";

let harness: QrisHarness;
let simulator: QrisSimulator;
let client: AdapterClient;
beforeAll(async () => {
  // One attempt per call, so an injected answer is the answer the table maps (no upstream retry).
  harness = await startHarness({ client: { retry: { maxAttempts: 1 } } });
  ({ simulator, client } = harness);
});
beforeEach(() => simulator.reset());
afterAll(() => harness?.close());

async function createQr(paymentId = newPaymentId()) {
  const created = await client.createPayment(
    { paymentId, amount: { currency: "IDR", minorUnits: 25_000_00n }, method: { case: "qris", value: {} } },
    deadline(),
  );
  return { paymentId, providerReference: created.payment?.providerReference ?? "" };
}

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

interface StatusRow {
  value: string;
  description?: string;
  source: string;
  status: PaymentStatus;
  reason?: ErrorReason;
}

const STATUS_ROWS: StatusRow[] = [
  { value: "00", source: FINPAY, status: PaymentStatus.SUCCEEDED },
  { value: "01", source: FINPAY, status: PaymentStatus.REQUIRES_ACTION },
  { value: "02", source: FINPAY, status: PaymentStatus.REQUIRES_ACTION },
  { value: "03", source: FINPAY, status: PaymentStatus.REQUIRES_ACTION },
  // Paid, then refunded: the payment happened; the refund is its own flow.
  { value: "04", source: FINPAY, status: PaymentStatus.SUCCEEDED },
  { value: "05", source: FINPAY, status: PaymentStatus.CANCELED },
  { value: "06", source: FINPAY, status: PaymentStatus.FAILED, reason: ErrorReason.PROVIDER_DECLINED },
  {
    value: "06",
    description: "Expired",
    source: `${FINPAY} (an expired QR reported as failed, as banks did before 08)`,
    status: PaymentStatus.EXPIRED,
    reason: ErrorReason.PAYMENT_EXPIRED,
  },
  { value: "08", source: QOIN, status: PaymentStatus.EXPIRED, reason: ErrorReason.PAYMENT_EXPIRED },
  { value: "09", source: QOIN, status: PaymentStatus.FAILED, reason: ErrorReason.PROVIDER_DECLINED },
];

describe("latestTransactionStatus in the query answer (GetPaymentStatus)", () => {
  it("the table covers every published value", () => {
    const published = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"];
    expect([...KNOWN_SNAP_STATUSES].sort()).toEqual(published);
  });

  it.each(STATUS_ROWS)("$value $description ($source)", async (row) => {
    const qr = await createQr();
    await simulator.setStatus(
      { partnerReferenceNo: qr.paymentId },
      { latestTransactionStatus: row.value, transactionStatusDesc: row.description },
    );
    const { payment } = await client.getPaymentStatus(qr, deadline());
    expect(payment).toMatchObject({ status: row.status, providerStatus: row.value });
    expect(payment?.failure?.reason).toBe(row.reason);
    if (row.reason !== undefined) expect(payment?.failure?.providerCode).toBe(row.value);
  });

  it(`07 Not found (${FINPAY}): the bank has no such QR, NOT_FOUND`, async () => {
    const qr = await createQr();
    await simulator.setStatus({ partnerReferenceNo: qr.paymentId }, { latestTransactionStatus: "07" });
    expect(await summary(client.getPaymentStatus(qr, deadline()))).toMatchObject({
      code: GrpcCode.NOT_FOUND,
      reason: ErrorReason.PAYMENT_NOT_FOUND,
    });
  });

  it("an unknown value is UNSPECIFIED with the raw value, and reported", async () => {
    const qr = await createQr();
    await simulator.setStatus({ partnerReferenceNo: qr.paymentId }, { latestTransactionStatus: "42" });
    const before = countOf("latestTransactionStatus");
    const capture = captureUnknownReports();
    try {
      const { payment } = await client.getPaymentStatus(qr, deadline());
      expect(payment).toMatchObject({ status: PaymentStatus.UNSPECIFIED, providerStatus: "42" });
      expect(payment?.failure).toBeUndefined();
      expect(capture.reports()).toEqual([
        expect.objectContaining({
          service: "adapter-qris",
          field: "latestTransactionStatus",
          value: "42",
          paymentId: qr.paymentId,
        }),
      ]);
    } finally {
      capture.restore();
    }
    expect(countOf("latestTransactionStatus")).toBe(before + 1);
  });
});

describe("latestTransactionStatus in the notification (ParseWebhook)", () => {
  async function notified(value: string, description?: string) {
    const qr = await createQr();
    await simulator.setStatus(
      { partnerReferenceNo: qr.paymentId },
      { latestTransactionStatus: value, transactionStatusDesc: description },
    );
    const notification = simulator.webhook(
      { partnerReferenceNo: qr.paymentId },
      { path: PATH, forged: false },
    );
    const parsed = await parse(notification);
    return { qr, event: parsed.events[0] };
  }

  it.each(STATUS_ROWS)("$value $description ($source)", async (row) => {
    const { qr, event } = await notified(row.value, row.description);
    expect(event).toMatchObject({ paymentId: qr.paymentId, status: row.status, providerStatus: row.value });
    expect(event?.failure?.reason).toBe(row.reason);
  });

  it(`07 Not found (${FINPAY}): nothing to apply, UNSPECIFIED with "07" for the resolver; not reported`, async () => {
    const capture = captureUnknownReports();
    try {
      const { event } = await notified("07");
      expect(event).toMatchObject({ status: PaymentStatus.UNSPECIFIED, providerStatus: "07" });
      expect(capture.reports()).toEqual([]);
    } finally {
      capture.restore();
    }
  });

  it("an unknown value is UNSPECIFIED with the raw value, and reported", async () => {
    const capture = captureUnknownReports();
    try {
      const { qr, event } = await notified("10", "Something New");
      expect(event).toMatchObject({ status: PaymentStatus.UNSPECIFIED, providerStatus: "10" });
      expect(capture.reports()).toEqual([
        expect.objectContaining({ field: "latestTransactionStatus", value: "10", paymentId: qr.paymentId }),
      ]);
    } finally {
      capture.restore();
    }
  });

  it("the simulator's notification carries the status set through its control API", async () => {
    const qr = await createQr();
    const response = await fetch(`${simulator.url}/sim/status`, {
      method: "POST",
      body: JSON.stringify({ partnerReferenceNo: qr.paymentId, latestTransactionStatus: "09" }),
    });
    expect(await response.json()).toMatchObject({
      latestTransactionStatus: "09",
      transactionStatusDesc: "Rejected",
    });
    const notification = simulator.webhook(
      { partnerReferenceNo: qr.paymentId },
      { path: PATH, forged: false },
    );
    expect(JSON.parse(notification.body)).toMatchObject({ latestTransactionStatus: "09" });
  });
});

/** What CreatePayment answers when generate gets the code: [code tail (HTTP+case), expectation]. */
type CodeExpectation =
  | { status: PaymentStatus; reason: ErrorReason }
  | { code: GrpcCode; reason: ErrorReason };
const failed = (reason: ErrorReason) => ({ status: PaymentStatus.FAILED, reason });
const error = (code: GrpcCode, reason: ErrorReason) => ({ code, reason });
// A refusal the bank may have acted on, or a duplicate: the query finds no QR (the injected answer
// processed nothing), so nothing was created: UNAVAILABLE, never reached the provider.
const nothing = (reason: ErrorReason) => error(GrpcCode.UNAVAILABLE, reason);
const AUTH = error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_AUTH_FAILED);
const FIELD = error(GrpcCode.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD);
const DECLINED = failed(ErrorReason.PROVIDER_DECLINED);
const LIMIT = failed(ErrorReason.LIMIT_EXCEEDED);
const UNSUPPORTED = error(GrpcCode.FAILED_PRECONDITION, ErrorReason.METHOD_NOT_SUPPORTED);
const MISROUTED = error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PROVIDER_ERROR);
const NOT_CANCELABLE = error(GrpcCode.FAILED_PRECONDITION, ErrorReason.PAYMENT_NOT_CANCELABLE);

const CODE_ROWS: Array<[string, CodeExpectation]> = [
  ["40000", FIELD],
  ["40001", FIELD],
  ["40002", error(GrpcCode.INVALID_ARGUMENT, ErrorReason.MISSING_FIELD)],
  ["40100", AUTH],
  ["40101", AUTH],
  ["40102", AUTH],
  ["40103", AUTH],
  ["40104", AUTH],
  ["40300", failed(ErrorReason.PAYMENT_EXPIRED)],
  ["40301", UNSUPPORTED],
  ["40302", error(GrpcCode.INVALID_ARGUMENT, ErrorReason.AMOUNT_OUT_OF_RANGE)],
  ["40303", DECLINED],
  ["40304", LIMIT],
  ["40305", DECLINED],
  ["40306", error(GrpcCode.UNAVAILABLE, ErrorReason.PROVIDER_UNAVAILABLE)],
  ["40307", DECLINED],
  ["40308", DECLINED],
  ["40309", DECLINED],
  ["40310", DECLINED],
  ["40311", DECLINED],
  ["40312", DECLINED],
  ["40313", nothing(ErrorReason.PROVIDER_ERROR)],
  ["40314", failed(ErrorReason.INSUFFICIENT_FUNDS)],
  ["40315", DECLINED],
  ["40316", DECLINED],
  ["40317", LIMIT],
  ["40318", DECLINED],
  ["40319", AUTH],
  ["40320", LIMIT],
  ["40321", DECLINED],
  ["40322", DECLINED],
  ["40323", LIMIT],
  ["40400", NOT_CANCELABLE],
  ["40401", error(GrpcCode.NOT_FOUND, ErrorReason.PAYMENT_NOT_FOUND)],
  ["40402", MISROUTED],
  ["40403", error(GrpcCode.FAILED_PRECONDITION, ErrorReason.BANK_NOT_SUPPORTED)],
  ["40404", DECLINED],
  ["40405", UNSUPPORTED],
  ["40406", MISROUTED],
  ["40407", MISROUTED],
  ["40408", AUTH],
  ["40409", DECLINED],
  ["40410", MISROUTED],
  ["40411", DECLINED],
  ["40412", error(GrpcCode.NOT_FOUND, ErrorReason.PAYMENT_NOT_FOUND)],
  ["40413", FIELD],
  ["40414", nothing(ErrorReason.PROVIDER_ERROR)],
  ["40415", DECLINED],
  ["40416", AUTH],
  ["40417", FIELD],
  ["40418", error(GrpcCode.ALREADY_EXISTS, ErrorReason.IDEMPOTENCY_KEY_REUSED)],
  ["40419", failed(ErrorReason.PAYMENT_EXPIRED)],
  ["40500", UNSUPPORTED],
  ["40501", NOT_CANCELABLE],
  ["40900", nothing(ErrorReason.PROVIDER_ERROR)],
  ["40901", nothing(ErrorReason.PROVIDER_ERROR)],
  ["42900", error(GrpcCode.RESOURCE_EXHAUSTED, ErrorReason.PROVIDER_RATE_LIMITED)],
  ["50000", nothing(ErrorReason.PROVIDER_ERROR)],
  ["50001", nothing(ErrorReason.PROVIDER_ERROR)],
  ["50002", nothing(ErrorReason.PROVIDER_UNAVAILABLE)],
  ["50400", nothing(ErrorReason.PROVIDER_TIMEOUT)],
];

/** The full code of a row for generate (service 47). */
const generateCode = (tail: string) => `${tail.slice(0, 3)}47${tail.slice(3)}`;

describe(`SNAP response codes answered to generate (${CODES})`, () => {
  it("the rows are exactly the published error cases, and the table maps each", () => {
    const published = SNAP_PUBLISHED_CASES.filter((c) => c.httpStatus >= 400).map(
      (c) => `${c.httpStatus}${c.caseCode}`,
    );
    expect(CODE_ROWS.map(([tail]) => tail)).toEqual(published);
    const mapped = new Set(MAPPED_SNAP_CASES.map((key) => key.replace("-", "")));
    for (const tail of published) expect(mapped.has(tail), tail).toBe(true);
  });

  it.each(CODE_ROWS)("%s", async (tail, expected) => {
    const responseCode = generateCode(tail);
    // 401xx01 refreshes the token and repeats once: both attempts get the code.
    simulator.configure({ failNext: { count: tail === "40101" ? 2 : 1, responseCode } });
    const outcome = await summary(
      client.createPayment(
        {
          paymentId: newPaymentId(),
          amount: { currency: "IDR", minorUnits: 25_000_00n },
          method: { case: "qris", value: {} },
        },
        deadline(),
      ),
    );
    // The simulator answered the code and the adapter kept it verbatim.
    expect(outcome).toMatchObject({ ...expected, providerCode: responseCode });
    expect(simulator.stats().charges).toBe(0);
  });

  it("a code outside the list is uncertain (the bank's record decides) and reported", async () => {
    const paymentId = newPaymentId();
    simulator.configure({ failNext: { count: 1, responseCode: "4034799" } });
    const before = countOf("responseCode");
    const capture = captureUnknownReports();
    try {
      const outcome = await summary(
        client.createPayment(
          {
            paymentId,
            amount: { currency: "IDR", minorUnits: 25_000_00n },
            method: { case: "qris", value: {} },
          },
          deadline(),
        ),
      );
      expect(outcome).toMatchObject({ code: GrpcCode.UNAVAILABLE, reason: ErrorReason.PROVIDER_ERROR });
      expect(capture.reports()).toEqual([
        expect.objectContaining({
          service: "adapter-qris",
          field: "responseCode",
          value: "4034799",
          paymentId,
        }),
      ]);
    } finally {
      capture.restore();
    }
    expect(countOf("responseCode")).toBe(before + 1);
    // It asked the bank's record before answering.
    expect(simulator.stats().requests["qr-mpm-query"]).toBe(1);
  });

  it("cancel answered 404xx04 Transaction Cancelled reads the QR back", async () => {
    const qr = await createQr();
    await simulator.setStatus({ partnerReferenceNo: qr.paymentId }, { latestTransactionStatus: "05" });
    simulator.configure({ failNext: { count: 1, responseCode: "4047704" } });
    const { payment } = await client.cancelPayment({ ...qr, reason: "" }, deadline());
    expect(payment).toMatchObject({ status: PaymentStatus.CANCELED, providerStatus: "05" });
  });
});

describe("notification signature over the minified body", () => {
  it("a pretty-printed notification verifies; the same with one value changed does not", async () => {
    const qr = await createQr();
    await simulator.pay({ partnerReferenceNo: qr.paymentId });
    const pretty = simulator.webhook(
      { partnerReferenceNo: qr.paymentId },
      { path: PATH, forged: false, pretty: true },
    );
    expect(pretty.body).toContain("\n  ");
    const [event] = (await parse(pretty)).events;
    expect(event).toMatchObject({ paymentId: qr.paymentId, status: PaymentStatus.SUCCEEDED });

    const altered = { ...pretty, body: pretty.body.replace('"25000.00"', '"25001.00"') };
    expect(altered.body).not.toBe(pretty.body);
    expect(await summary(parse(altered).then(() => ({})))).toMatchObject({
      code: GrpcCode.UNAUTHENTICATED,
      reason: ErrorReason.WEBHOOK_SIGNATURE_INVALID,
    });
  });
});

function parse(notification: { headers: Record<string, string>; body: string }) {
  return client.parseWebhook(
    {
      httpMethod: "POST",
      path: PATH,
      headers: Object.entries(notification.headers).map(([name, value]) => ({
        name: name.toLowerCase(),
        value,
      })),
      body: new TextEncoder().encode(notification.body),
    },
    deadline(),
  );
}

function countOf(field: string): number {
  return (
    unknownProviderValueCounts().find((row) => row.adapter === "adapter-qris" && row.field === field)
      ?.count ?? 0
  );
}
