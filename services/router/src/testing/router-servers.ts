import { Client, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import {
  createAuthenticator,
  fromGrpcServiceError,
  type PaymeshError,
  reasonFromName,
} from "@paymesh/adapter-kit";
import {
  envelope,
  readEnvelopes,
  readWireError,
  streamError,
  type WireError,
} from "@paymesh/connect-kit/testing";
import { PaymentService } from "@paymesh/proto";
import type { ReconLedger } from "@paymesh/reconciler";
import type { PaymentStore, ReviewTrail } from "@paymesh/store";
import { captureLogLines, createLogger, createMetrics } from "@paymesh/telemetry";
import { onTestFinished } from "vitest";
import { createReviewResolver } from "../payments/resolve-review.ts";
import { startGrpcServer } from "../server/grpc-server.ts";
import { startHttpServer } from "../server/http-server.ts";
import { createPaymentAdminService } from "../server/payment-admin-service.ts";
import { createReconAdminService } from "../server/recon-admin-service.ts";
import { CALLER, CALLER_TOKEN, type startRouterFlows } from "./router-flows.ts";

/** What a raw call answered: the response bytes, or the status with its ErrorInfo. */
export type RawAnswer =
  | { ok: true; body: Uint8Array }
  | {
      ok: false;
      /** The gRPC code (Connect's string code mapped to its number). */
      code: number;
      message: string;
      /** ErrorInfo, when the answer carried one in the paymesh.dev domain. */
      info: { reason: string; domain: string; metadata: Record<string, string> } | undefined;
    };

const CONNECT_CODES: Record<string, number> = {
  canceled: 1,
  unknown: 2,
  invalid_argument: 3,
  deadline_exceeded: 4,
  not_found: 5,
  already_exists: 6,
  permission_denied: 7,
  resource_exhausted: 8,
  failed_precondition: 9,
  aborted: 10,
  out_of_range: 11,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
  data_loss: 15,
  unauthenticated: 16,
};

/**
 * The router's two servers, gRPC and HTTP (Connect, webhooks, admin), on 127.0.0.1:0 over the given
 * flows, with raw clients that send bytes exactly as given, as an outside caller could. Log lines
 * are kept in `logs` (parsed) and `rawLogs` (as written). Closed when the test finishes. `admin`
 * gives the /admin endpoints operators' tokens of their own (else the caller's token), a
 * reconciliation ledger and the trail of decisions about payments raised for review.
 */
export async function startRouterServers(
  flows: ReturnType<typeof startRouterFlows>,
  store: PaymentStore,
  admin: { operators?: Record<string, string>; recon?: ReconLedger; reviewTrail?: ReviewTrail } = {},
) {
  const capture = captureLogLines();
  const logs = capture.lines;
  const log = createLogger({ service: "router", destination: capture.destination });
  const authenticate = createAuthenticator({ [CALLER]: CALLER_TOKEN });
  const operators =
    admin.operators === undefined ? {} : { authenticateOperator: createAuthenticator(admin.operators) };
  const reconAdmin =
    admin.recon === undefined ? {} : { reconAdmin: createReconAdminService({ ledger: admin.recon, log }) };
  const resolveReview =
    admin.reviewTrail === undefined ? undefined : createReviewResolver({ store, trail: admin.reviewTrail });
  const paymentAdmin =
    resolveReview === undefined
      ? {}
      : { paymentAdmin: createPaymentAdminService({ resolve: resolveReview, log }), resolveReview };
  const grpc = await startGrpcServer({
    service: flows.service,
    authenticate,
    ...operators,
    ...reconAdmin,
    ...(paymentAdmin.paymentAdmin === undefined ? {} : { paymentAdmin: paymentAdmin.paymentAdmin }),
    log,
    host: "127.0.0.1",
    port: 0,
  });
  const http = await startHttpServer({
    service: flows.service,
    authenticate,
    webhooks: flows.webhooks,
    adapters: () => [],
    metrics: createMetrics({ defaultMetrics: false }),
    readiness: async () => ({ ready: true, down: [] }),
    store,
    ...operators,
    ...(admin.recon === undefined ? {} : { recon: admin.recon }),
    ...reconAdmin,
    ...paymentAdmin,
    log,
    host: "127.0.0.1",
    port: 0,
  });
  const client = new Client(`127.0.0.1:${grpc.port}`, credentials.createInsecure());
  onTestFinished(async () => {
    client.close();
    await Promise.all([grpc.shutdown(0), http.close()]);
  });
  const httpUrl = `http://127.0.0.1:${http.port}`;

  return {
    grpcAddress: `127.0.0.1:${grpc.port}`,
    logs,
    rawLogs: capture.raw,
    httpUrl,
    /** A unary PaymentService call over gRPC with these request bytes. */
    grpc(method: string, body: Uint8Array, token = CALLER_TOKEN): Promise<RawAnswer> {
      const metadata = new Metadata();
      metadata.set("authorization", `Bearer ${token}`);
      return new Promise((resolve) => {
        client.makeUnaryRequest(
          `/${PaymentService.typeName}/${method}`,
          (bytes: Uint8Array) => Buffer.from(bytes),
          (bytes: Buffer) => new Uint8Array(bytes),
          body,
          metadata,
          { deadline: Date.now() + 10_000 },
          (error: ServiceError | null, response?: Uint8Array) => {
            if (error === null) return resolve({ ok: true, body: response ?? new Uint8Array() });
            const failure: PaymeshError = fromGrpcServiceError(error);
            const hasInfo = error.metadata?.get("grpc-status-details-bin").length === 1;
            resolve({
              ok: false,
              code: error.code,
              message: error.details,
              info: hasInfo
                ? { reason: failure.reasonName, domain: "paymesh.dev", metadata: { ...failure.metadata } }
                : undefined,
            });
          },
        );
      });
    },
    /** A unary PaymentService call in the Connect protocol with this body and content type. */
    async connect(method: string, body: Uint8Array | string, contentType: string): Promise<RawAnswer> {
      const response = await fetch(`${httpUrl}/${PaymentService.typeName}/${method}`, {
        method: "POST",
        headers: { "content-type": contentType, authorization: `Bearer ${CALLER_TOKEN}` },
        body,
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.status === 200) return { ok: true, body: bytes };
      return rawFailure(readWireError(JSON.parse(new TextDecoder().decode(bytes))));
    },
    /**
     * A server-streaming PaymentService call in the Connect protocol: this message in one envelope,
     * with content type application/connect+proto. Answers the stream's bytes, or the error its
     * end-of-stream envelope carries.
     */
    async connectStream(method: string, message: Uint8Array): Promise<RawAnswer> {
      const response = await fetch(`${httpUrl}/${PaymentService.typeName}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/connect+proto", authorization: `Bearer ${CALLER_TOKEN}` },
        body: envelope(message),
        signal: AbortSignal.timeout(10_000),
      });
      const bytes = new Uint8Array(await response.arrayBuffer());
      const error = streamError(readEnvelopes(bytes));
      if (error !== undefined) return rawFailure(error);
      return { ok: true, body: bytes };
    },
  };
}

/** A Connect error as a RawAnswer: its code's number, and its ErrorInfo when it is ours. */
function rawFailure(error: WireError): RawAnswer {
  return {
    ok: false,
    code: CONNECT_CODES[error.code] ?? -1,
    message: error.message,
    info:
      error.info === undefined || reasonFromName(error.info.reason) === undefined ? undefined : error.info,
  };
}
