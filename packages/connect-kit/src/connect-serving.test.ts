import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import { create, fromBinary, fromJsonString, toBinary } from "@bufbuild/protobuf";
import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import {
  ErrorReason,
  GetPaymentResponseSchema,
  PaymentService,
  PaymentStatus,
  WatchPaymentRequestSchema,
  WatchPaymentResponseSchema,
} from "@paymesh/proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectErrorOf } from "./connect-errors.ts";
import { createConnectServing } from "./connect-serving.ts";
import { envelope, readEnvelopes, readWireError, streamError, type WireError } from "./testing/index.ts";

// createConnectServing over a real node:http server on port 0, serving PaymentService's unary
// GetPayment and server-streaming WatchPayment, called with raw bytes as any outside caller could
// send them. What is asserted is what comes back on the wire, and whether the implementation ran.

const TOKEN = "connect-kit-test-token-0123";
const served: string[] = [];
const refusedAt: string[] = [];
let server: Server;
let url: string;

/** Field 1 (payment_id) holding bytes that are not UTF-8: decodes nowhere. */
const BAD_ID = new Uint8Array([0x0a, 0x02, 0xff, 0xfe]);
const watchBytes = (paymentId: string) =>
  toBinary(WatchPaymentRequestSchema, create(WatchPaymentRequestSchema, { paymentId }));

beforeAll(async () => {
  const connect = createConnectServing({
    routes(router) {
      router.service(PaymentService, {
        async getPayment(request) {
          served.push(`GetPayment ${request.paymentId}`);
          return { payment: { id: request.paymentId, status: PaymentStatus.SUCCEEDED } };
        },
        async *watchPayment(request) {
          served.push(`WatchPayment ${request.paymentId}`);
          if (request.paymentId === "pay_unknown") {
            throw connectErrorOf(new PaymeshError(ErrorReason.PAYMENT_NOT_FOUND, "no such payment"));
          }
          yield { payment: { id: request.paymentId, status: PaymentStatus.PENDING } };
          yield {
            payment: { id: request.paymentId, status: PaymentStatus.SUCCEEDED },
            previousStatus: PaymentStatus.PENDING,
          };
        },
      });
    },
    refuse(error, request, handler) {
      refusedAt.push(handler.method.name);
      if (request.header.get("authorization") !== `Bearer ${TOKEN}`) {
        return connectErrorOf(
          new PaymeshError(ErrorReason.UNAUTHENTICATED, "unknown bearer token", {
            code: GrpcCode.UNAUTHENTICATED,
          }),
        );
      }
      return connectErrorOf(error);
    },
  });
  server = createServer((req, res) => {
    if (connect(req, res)) return;
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** What a caller reads back: the Connect error (code, message, ErrorInfo), or the messages. */
interface Answer {
  status: number;
  contentType: string | null;
  messages: Uint8Array[];
  error?: WireError;
}

async function call(
  method: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
  token = TOKEN,
): Promise<Answer> {
  const response = await fetch(`${url}/${PaymentService.typeName}/${method}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const answer: Answer = {
    status: response.status,
    contentType: response.headers.get("content-type"),
    messages: [],
  };
  const streaming = answer.contentType?.startsWith("application/connect+") ?? false;
  if (!streaming) {
    if (response.status === 200) answer.messages.push(bytes);
    else if (bytes.length > 0) answer.error = readWireError(JSON.parse(new TextDecoder().decode(bytes)));
    return answer;
  }
  const envelopes = readEnvelopes(bytes);
  answer.messages = envelopes.filter((candidate) => (candidate.flags & 0b10) === 0).map(({ data }) => data);
  const error = streamError(envelopes);
  if (error !== undefined) answer.error = error;
  return answer;
}

const STREAM_PROTO = { "content-type": "application/connect+proto" };
const STREAM_JSON = { "content-type": "application/connect+json" };

/** Runs `work`, then says which implementation calls and refusals it caused. */
async function observed<T>(work: () => Promise<T>) {
  const [servedBefore, refusedBefore] = [served.length, refusedAt.length];
  const answer = await work();
  return { answer, served: served.slice(servedBefore), refused: refusedAt.slice(refusedBefore) };
}

describe("a unary call", () => {
  it("is served in JSON and in binary", async () => {
    const json = await call("GetPayment", '{"paymentId":"pay_1"}', { "content-type": "application/json" });
    expect(json.status).toBe(200);
    expect(JSON.parse(new TextDecoder().decode(json.messages[0]))).toEqual({
      payment: { id: "pay_1", status: "PAYMENT_STATUS_SUCCEEDED" },
    });
    const binary = await call("GetPayment", new Uint8Array([0x0a, 0x05, ...Buffer.from("pay_2")]), {
      "content-type": "application/proto",
    });
    expect(fromBinary(GetPaymentResponseSchema, binary.messages[0] ?? new Uint8Array()).payment?.id).toBe(
      "pay_2",
    );
  });

  it("whose body does not decode is INVALID_ARGUMENT with ErrorInfo naming the field, and never runs", async () => {
    const { answer, served, refused } = await observed(() =>
      call("GetPayment", BAD_ID, { "content-type": "application/proto" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.error).toMatchObject({
      code: "invalid_argument",
      info: { reason: "INVALID_FIELD", metadata: { field: "payment_id" } },
    });
    expect(served).toEqual([]);
    expect(refused).toEqual(["GetPayment"]);
  });

  it("whose gzip body is not gzip is INVALID_ARGUMENT", async () => {
    const answer = await call("GetPayment", "not gzip", {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    expect(answer.error).toMatchObject({
      code: "invalid_argument",
      message: "the request body is not valid gzip data",
      info: { reason: "INVALID_FIELD" },
    });
  });
});

describe("a server-streaming call", () => {
  it("is served in binary, in JSON and gzip-compressed, ending without an error", async () => {
    for (const [body, headers] of [
      [envelope(watchBytes("pay_3")), STREAM_PROTO],
      [envelope('{"paymentId":"pay_3"}'), STREAM_JSON],
      [
        envelope(gzipSync(watchBytes("pay_3")), 0b01),
        { ...STREAM_PROTO, "connect-content-encoding": "gzip" },
      ],
    ] as const) {
      const answer = await call("WatchPayment", body, headers);
      expect(answer.status).toBe(200);
      expect(answer.error).toBeUndefined();
      const statuses = answer.messages.map((bytes) =>
        headers === STREAM_JSON
          ? fromJsonString(WatchPaymentResponseSchema, new TextDecoder().decode(bytes)).payment?.status
          : fromBinary(WatchPaymentResponseSchema, bytes).payment?.status,
      );
      expect(statuses).toEqual([PaymentStatus.PENDING, PaymentStatus.SUCCEEDED]);
    }
  });

  it("whose binary message does not decode is INVALID_ARGUMENT with ErrorInfo (Connect alone says INTERNAL)", async () => {
    const { answer, served, refused } = await observed(() =>
      call("WatchPayment", envelope(BAD_ID), STREAM_PROTO),
    );
    // A streaming error is sent as Connect sends one: HTTP 200, the error in the end-of-stream envelope.
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe("application/connect+proto");
    expect(answer.messages).toEqual([]);
    expect(answer.error).toMatchObject({
      code: "invalid_argument",
      info: { reason: "INVALID_FIELD", metadata: { field: "payment_id" } },
    });
    expect(served).toEqual([]);
    expect(refused).toEqual(["WatchPayment"]);
  });

  it("whose JSON message does not decode is INVALID_ARGUMENT with ErrorInfo", async () => {
    for (const message of ["{", '{"paymentId": 5}']) {
      const answer = await call("WatchPayment", envelope(message), STREAM_JSON);
      expect(answer.contentType).toBe("application/connect+json");
      expect(answer.error).toMatchObject({ code: "invalid_argument", info: { reason: "INVALID_FIELD" } });
    }
    const wrongType = await call("WatchPayment", envelope('{"paymentId": 5}'), STREAM_JSON);
    expect(wrongType.error?.info?.metadata.field).toBe("payment_id");
  });

  it("whose body is not exactly one envelope is INVALID_ARGUMENT, never INTERNAL", async () => {
    const one = envelope(watchBytes("pay_4"));
    const bodies: Array<[string, Uint8Array, Record<string, string>]> = [
      ["empty", new Uint8Array(), STREAM_PROTO],
      ["cut short", one.subarray(0, one.length - 2), STREAM_PROTO],
      ["two messages", new Uint8Array([...one, ...one]), STREAM_PROTO],
      ["an end-of-stream envelope", envelope(watchBytes("pay_4"), 0b10), STREAM_PROTO],
      // Connect alone answers this one INTERNAL ("do not know how to decompress").
      ["compressed, with no encoding named", envelope(gzipSync(watchBytes("pay_4")), 0b01), STREAM_PROTO],
    ];
    for (const [name, body, headers] of bodies) {
      const { answer, served } = await observed(() => call("WatchPayment", body, headers));
      expect(answer.error, name).toMatchObject({
        code: "invalid_argument",
        info: { reason: "INVALID_FIELD" },
      });
      expect(served, name).toEqual([]);
    }
  });

  it("whose gzip message is not gzip is INVALID_ARGUMENT", async () => {
    const answer = await call("WatchPayment", envelope("not gzip", 0b01), {
      ...STREAM_PROTO,
      "connect-content-encoding": "gzip",
    });
    expect(answer.error).toMatchObject({
      code: "invalid_argument",
      message: "the request body is not valid gzip data",
    });
  });

  it("ends with the implementation's own error, code and ErrorInfo", async () => {
    const answer = await call("WatchPayment", envelope(watchBytes("pay_unknown")), STREAM_PROTO);
    expect(answer.error).toMatchObject({
      code: "not_found",
      message: "no such payment",
      info: { reason: "PAYMENT_NOT_FOUND" },
    });
  });
});

describe("a body over 4 MiB", () => {
  /** Five MiB of a string field, sent whole (content-length) or chunked (no length known up front). */
  const big = () => {
    const bytes = new Uint8Array(5 * 1024 * 1024).fill(0x61);
    bytes.set([0x0a, 0x80, 0x80, 0x80, 0x03], 0); // field 1, length 6 MiB (more than sent)
    return bytes;
  };
  const chunked = (bytes: Uint8Array) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024)
          controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });

  it("is RESOURCE_EXHAUSTED whether its length is declared or not, and never runs", async () => {
    for (const [name, headers, body] of [
      ["unary, whole", { "content-type": "application/proto" }, () => big()],
      ["unary, chunked", { "content-type": "application/proto" }, () => chunked(big())],
      ["stream, whole", STREAM_PROTO, () => envelope(big())],
      ["stream, chunked", STREAM_PROTO, () => chunked(envelope(big()))],
    ] as const) {
      const method = name.startsWith("unary") ? "GetPayment" : "WatchPayment";
      const { answer, served } = await observed(async () => {
        const response = await fetch(`${url}/${PaymentService.typeName}/${method}`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, ...headers },
          body: body(),
          duplex: "half",
        } as RequestInit);
        return { status: response.status, text: await response.text() };
      });
      expect(answer.text, name).toContain("resource_exhausted");
      expect(served, name).toEqual([]);
    }
  });
});

describe("refusals and what is not served", () => {
  it("hands the refusal to `refuse`, which answers a stranger UNAUTHENTICATED before anything about its request", async () => {
    const unary = await call("GetPayment", BAD_ID, { "content-type": "application/proto" }, "wrong-token");
    expect(unary.error).toMatchObject({ code: "unauthenticated", info: { reason: "UNAUTHENTICATED" } });
    const stream = await call("WatchPayment", envelope(BAD_ID), STREAM_PROTO, "wrong-token");
    expect(stream.error).toMatchObject({ code: "unauthenticated", info: { reason: "UNAUTHENTICATED" } });
  });

  it("serves neither gRPC-Web nor a content type the method does not take (415), nor other paths", async () => {
    const grpcWeb = await call("WatchPayment", envelope(BAD_ID), {
      "content-type": "application/grpc-web+proto",
    });
    expect(grpcWeb.status).toBe(415);
    const unaryAsStream = await call("GetPayment", envelope(BAD_ID), STREAM_PROTO);
    expect(unaryAsStream.status).toBe(415);
    const other = await fetch(`${url}/healthz`);
    expect(other.status).toBe(404);
  });
});
