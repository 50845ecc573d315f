import type { IncomingMessage, ServerResponse } from "node:http";
import { toJson } from "@bufbuild/protobuf";
import { type Authenticator, GrpcCode, invalidField, missingField, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason, PaymentSchema, PaymentStatus } from "@paymesh/proto";
import { toPaymentMessage } from "@paymesh/store";
import type { Logger } from "@paymesh/telemetry";
import type { ResolveReview } from "../payments/resolve-review.ts";
import { publicResolveError } from "./payment-admin-service.ts";

const RESOLVE_PATH = /^\/admin\/payments\/([^/]+)\/resolve$/;

/** A decision's body is a status and two paragraphs. */
const MAX_BODY_BYTES = 16 * 1024;

const STATUSES: Readonly<Record<string, PaymentStatus>> = {
  succeeded: PaymentStatus.SUCCEEDED,
  failed: PaymentStatus.FAILED,
};

// The HTTP status of each refusal's gRPC code; anything else is 503 (the store) after the mapping.
const HTTP_STATUS: ReadonlyMap<number, number> = new Map([
  [GrpcCode.INVALID_ARGUMENT, 400],
  [GrpcCode.UNAUTHENTICATED, 401],
  [GrpcCode.NOT_FOUND, 404],
  [GrpcCode.UNIMPLEMENTED, 404],
  [GrpcCode.FAILED_PRECONDITION, 409],
  [GrpcCode.ABORTED, 409],
]);

/** True for the paths {@link createPaymentResolveAdmin} answers. */
export function isPaymentResolvePath(path: string): boolean {
  return RESOLVE_PATH.test(path);
}

/**
 * `POST /admin/payments/{id}/resolve` `{"status": "succeeded"|"failed", "evidence", "note"}`: an
 * operator settles a payment the status resolver raised for review (resolve-review.ts), answered
 * 201 `{"payment": <Payment JSON>, "resolution": {…}}`. A refusal answers `{"error", "reason"}`
 * (and `"field"` when one is at fault): 400 bad input, 401 not an operator, 404 no such payment,
 * 409 not under review, already final or already settled by an operator, 503 the store.
 */
export function createPaymentResolveAdmin(options: {
  resolve: ResolveReview | undefined;
  authenticate: Authenticator;
  log: Logger;
}) {
  const { authenticate, log } = options;
  return async function paymentResolve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const operator = authenticate(req.headers.authorization);
      if (req.method !== "POST") {
        res.writeHead(405, { "content-type": "application/json", allow: "POST" });
        res.end(JSON.stringify({ error: "use POST" }));
        return;
      }
      if (options.resolve === undefined) {
        throw new PaymeshError(ErrorReason.NOT_IMPLEMENTED, "this router's store keeps no review trail");
      }
      const segment = RESOLVE_PATH.exec(new URL(req.url ?? "/", "http://router").pathname)?.[1] ?? "";
      const body = await readJsonBody(req);
      const statusText = stringField(body, "status");
      const status = STATUSES[statusText];
      if (statusText === "") throw missingField("status");
      if (status === undefined)
        throw invalidField("status", `${JSON.stringify(statusText)} is not succeeded or failed`);
      const { payment, resolution } = await options.resolve({
        paymentId: decodeSegment(segment),
        status,
        evidence: stringField(body, "evidence"),
        note: stringField(body, "note"),
        operator,
      });
      json(res, 201, {
        payment: toJson(PaymentSchema, toPaymentMessage(payment)),
        resolution: {
          seq: String(resolution.seq),
          paymentId: resolution.paymentId,
          fromStatus: statusName(resolution.fromStatus),
          status: statusName(resolution.status),
          reviewReason: resolution.reviewReason,
          evidence: resolution.evidence,
          note: resolution.note,
          actor: resolution.actor,
          at: resolution.at.toISOString(),
        },
      });
    } catch (error) {
      const failure = publicResolveError(error, "POST /admin/payments/{id}/resolve", log);
      json(res, HTTP_STATUS.get(failure.code) ?? 503, {
        error: failure.message,
        reason: failure.reasonName,
        ...(failure.field === undefined ? {} : { field: failure.field }),
      });
    }
  };
}

function statusName(status: PaymentStatus): string {
  return (PaymentStatus[status] ?? String(status)).toLowerCase();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidField("payment_id", "is not valid percent-encoded UTF-8");
  }
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw invalidField("body", `is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw invalidField("body", 'is not JSON; send {"status": …, "evidence": …, "note": …}');
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidField("body", 'is not a JSON object; send {"status": …, "evidence": …, "note": …}');
  }
  return body as Record<string, unknown>;
}

/** A string field; absent is "" so the resolver names it as missing, like the gRPC request's default. */
function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalidField(field, "must be a string");
  return value;
}
