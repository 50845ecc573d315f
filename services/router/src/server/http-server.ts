import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fromBinary } from "@bufbuild/protobuf";
import { ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { type Authenticator, createPublicErrors, PaymeshError } from "@paymesh/adapter-kit";
import { connectErrorOf, createConnectServing } from "@paymesh/connect-kit";
import { adminv1, CreatePaymentResponseSchema, PaymentService as PaymentServiceDesc } from "@paymesh/proto";
import type { DeadLetters } from "@paymesh/queue";
import type { ReconLedger } from "@paymesh/reconciler";
import type { PaymentStore } from "@paymesh/store";
import {
  answerHealth,
  answerMetrics,
  createLogger,
  type Logger,
  type Metrics,
  type Readiness,
} from "@paymesh/telemetry";
import type { AdapterStatus } from "../adapters/adapter-monitor.ts";
import type { RequestContext } from "../payments/request-context.ts";
import type { ResolveReview } from "../payments/resolve-review.ts";
import type { WebhookIngress } from "../webhooks/webhook-ingress.ts";
import { createDeadLetterAdmin, isDeadLetterAdminPath } from "./admin-dead-letters.ts";
import { createPaymentResolveAdmin, isPaymentResolvePath } from "./admin-payment-resolve.ts";
import { createReconAdmin, isReconAdminPath } from "./admin-recon.ts";
import { createStuckPaymentsAdmin, STUCK_PAYMENTS_PATH } from "./admin-stuck-payments.ts";
import type { PaymentAdminService } from "./payment-admin-service.ts";
import type { PaymentService } from "./payment-service.ts";
import type { ReconAdminService } from "./recon-admin-service.ts";
import { type ObservedRpc, type OnRpcFinished, observeRpc } from "./rpc-observation.ts";

/** Largest webhook body accepted; providers send a few KiB. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** A running HTTP server. */
export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The router's HTTP face: PaymentService in the Connect protocol (JSON or binary, so a person can
 * try it with curl) and `POST /webhooks/{adapter}` for provider callbacks.
 */
export async function startHttpServer(options: {
  service: PaymentService;
  authenticate: Authenticator;
  /** Who may use the /admin endpoints. @default authenticate */
  authenticateOperator?: Authenticator;
  webhooks: WebhookIngress;
  /** What `GET /admin/adapters` reports. */
  adapters: () => AdapterStatus[];
  /**
   * The work queue's dead letters, for `/admin/dlq` (admin-dead-letters.ts). Absent when the router
   * runs without a work queue; `/admin/dlq` then answers 404.
   */
  deadLetters?: DeadLetters;
  /** The payment store, for `/admin/payments/stuck` (admin-stuck-payments.ts). */
  store: PaymentStore;
  /**
   * Reconciliation runs, verdicts and resolutions in the same store, for `/admin/recon`
   * (admin-recon.ts). Absent on a router whose store is not SQL; `/admin/recon` then answers 404.
   */
  recon?: ReconLedger;
  /** ReconciliationAdminService in the Connect protocol, behind operator tokens. @default not served */
  reconAdmin?: ReconAdminService;
  /** PaymentAdminService in the Connect protocol, behind operator tokens. @default not served */
  paymentAdmin?: PaymentAdminService;
  /**
   * Settles payments raised for review, for `POST /admin/payments/{id}/resolve`
   * (admin-payment-resolve.ts). Absent on a router whose store keeps no review trail: 404.
   */
  resolveReview?: ResolveReview;
  /** The registry `GET /metrics` serves (unauthenticated, as scrapers expect; no payment data). */
  metrics: Metrics;
  /** What `GET /readyz` answers; `GET /healthz` is 200 while the process answers at all. */
  readiness: () => Promise<Readiness>;
  /** Told about every Connect RPC once it is answered (metrics, the per-RPC log line). @default nothing */
  onRpcFinished?: OnRpcFinished;
  /** Where an INTERNAL answer's cause is logged. @default stderr, warnings and errors only */
  log?: Logger;
  host: string;
  port: number;
}): Promise<RunningHttpServer> {
  const { service, authenticate, webhooks } = options;
  const authenticateOperator = options.authenticateOperator ?? authenticate;
  const log = options.log ?? createLogger({ service: "router", level: "warn" });
  const publicError = createPublicErrors({ log, service: "router" });
  const onRpcFinished = options.onRpcFinished ?? (() => {});
  /** A ConnectError with the same code, message and ErrorInfo the gRPC server sends. */
  const toConnectError = (error: unknown, method: string): ConnectError =>
    error instanceof ConnectError ? error : connectErrorOf(publicError(error, method));

  // When each Connect request arrived, so an RPC refused before its handler is timed too.
  const arrivals = new WeakMap<object, number>();
  const observe = (method: string, request?: object): ObservedRpc =>
    observeRpc(onRpcFinished, method, "connect", (request && arrivals.get(request)) ?? performance.now());

  const context = (handlerContext: HandlerContext, rpc: ObservedRpc): RequestContext => {
    const caller = authenticate(handlerContext.requestHeader.get("authorization") ?? undefined);
    rpc.authenticated(caller);
    const timeoutMs = handlerContext.timeoutMs();
    return {
      caller,
      deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : new Date(Date.now() + timeoutMs),
      signal: handlerContext.signal,
    };
  };
  /** Runs a unary handler: authenticated, timed, and any failure answered as the gRPC server would. */
  const guard = async <T>(ctx: HandlerContext, work: (context: RequestContext) => Promise<T>): Promise<T> => {
    const rpc = observe(ctx.method.name);
    try {
      const answer = await work(context(ctx, rpc));
      rpc.finish(0);
      return answer;
    } catch (error) {
      const failure = toConnectError(error, ctx.method.name);
      rpc.finish(failure.code);
      throw failure;
    }
  };

  const routes = (router: ConnectRouter): void => {
    router.service(PaymentServiceDesc, {
      createPayment: (request, ctx) =>
        guard(ctx, async (context) =>
          fromBinary(CreatePaymentResponseSchema, await service.createPayment(context, request)),
        ),
      getPayment: (request, ctx) =>
        guard(ctx, async (context) => ({ payment: await service.getPayment(context, request.paymentId) })),
      listPayments: (request, ctx) => guard(ctx, (context) => service.listPayments(context, request)),
      cancelPayment: (request, ctx) =>
        guard(ctx, async (context) => ({ payment: await service.cancelPayment(context, request) })),
      createQuote: (request, ctx) =>
        guard(ctx, async (context) => ({ quote: await service.createQuote(context, request) })),
      async *watchPayment(request, ctx) {
        const rpc = observe("WatchPayment");
        try {
          yield* service.watchPayment(context(ctx, rpc), request.paymentId);
          rpc.finish(0);
        } catch (error) {
          const failure = toConnectError(error, "WatchPayment");
          rpc.finish(failure.code);
          throw failure;
        }
      },
    });
  };

  /** Runs an admin handler: an operator authenticated, timed, failures answered as on gRPC. */
  const adminGuard = async <T>(ctx: HandlerContext, work: (operator: string) => Promise<T>): Promise<T> => {
    const rpc = observe(ctx.method.name);
    try {
      const operator = authenticateOperator(ctx.requestHeader.get("authorization") ?? undefined);
      rpc.authenticated(operator);
      const answer = await work(operator);
      rpc.finish(0);
      return answer;
    } catch (error) {
      const failure = toConnectError(error, ctx.method.name);
      rpc.finish(failure.code);
      throw failure;
    }
  };
  const adminRoutes = (router: ConnectRouter, admin: ReconAdminService): void => {
    router.service(adminv1.ReconciliationAdminService, {
      listRuns: (request, ctx) => adminGuard(ctx, () => admin.listRuns(request)),
      getRun: (request, ctx) => adminGuard(ctx, () => admin.getRun(request)),
      listDiscrepancies: (request, ctx) => adminGuard(ctx, () => admin.listDiscrepancies(request)),
      resolveDiscrepancy: (request, ctx) =>
        adminGuard(ctx, (operator) => admin.resolveDiscrepancy(operator, request)),
      async *exportRun(request, ctx) {
        const rpc = observe("ExportRun");
        try {
          rpc.authenticated(authenticateOperator(ctx.requestHeader.get("authorization") ?? undefined));
          yield* admin.exportRun(request);
          rpc.finish(0);
        } catch (error) {
          const failure = toConnectError(error, "ExportRun");
          rpc.finish(failure.code);
          throw failure;
        }
      },
    });
  };

  const { paymentAdmin } = options;
  const operatorServices = new Set([
    adminv1.ReconciliationAdminService.typeName,
    adminv1.PaymentAdminService.typeName,
  ]);
  // Each handler decodes its request body first (@paymesh/connect-kit).
  const connect = createConnectServing({
    routes(router) {
      routes(router);
      if (options.reconAdmin !== undefined) adminRoutes(router, options.reconAdmin);
      if (paymentAdmin !== undefined) {
        router.service(adminv1.PaymentAdminService, {
          resolvePayment: (request, ctx) =>
            adminGuard(ctx, (operator) => paymentAdmin.resolvePayment(operator, request)),
        });
      }
    },
    // As on gRPC: an unauthenticated caller learns nothing about its request.
    refuse(error, request, handler) {
      const who = operatorServices.has(handler.service.typeName) ? authenticateOperator : authenticate;
      const rpc = observe(handler.method.name, request);
      let refusal: ConnectError;
      try {
        rpc.authenticated(who(request.header.get("authorization") ?? undefined));
        refusal = connectErrorOf(error);
      } catch (failure) {
        refusal = toConnectError(failure, "authenticate");
      }
      rpc.finish(refusal.code);
      return refusal;
    },
    onRequest: (request) => arrivals.set(request, performance.now()),
  });
  function connectHandler(req: IncomingMessage, res: ServerResponse): void {
    if (connect(req, res)) return;
    res.writeHead(404);
    res.end();
  }
  const stuckPayments = createStuckPaymentsAdmin({
    store: options.store,
    authenticate: authenticateOperator,
    log,
  });
  const reconAdmin = createReconAdmin({ ledger: options.recon, authenticate: authenticateOperator, log });
  const paymentResolve = createPaymentResolveAdmin({
    resolve: options.resolveReview,
    authenticate: authenticateOperator,
    log,
  });
  const deadLetterAdmin = createDeadLetterAdmin({
    deadLetters: options.deadLetters,
    authenticate: authenticateOperator,
  });

  /** Adapters, breakers and reachability for operators (operator tokens, else callers' tokens). */
  function handleAdmin(req: IncomingMessage, res: ServerResponse): void {
    try {
      authenticateOperator(req.headers.authorization);
    } catch (error) {
      send(res, 401, "application/json", JSON.stringify({ error: PaymeshError.from(error).message }));
      return;
    }
    if (req.method !== "GET") send(res, 405, "application/json", JSON.stringify({ error: "use GET" }));
    else send(res, 200, "application/json", JSON.stringify({ adapters: options.adapters() }));
  }

  async function handleWebhook(
    req: IncomingMessage,
    res: ServerResponse,
    adapterName: string,
    path: string,
  ): Promise<void> {
    if (req.method !== "POST")
      return send(res, 405, "application/json", JSON.stringify({ error: "use POST" }));
    const body = await readBody(req, MAX_WEBHOOK_BYTES);
    if (body === undefined)
      return send(res, 413, "application/json", JSON.stringify({ error: "body too large" }));
    const headers: Array<{ name: string; value: string }> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.push({ name: (req.rawHeaders[i] ?? "").toLowerCase(), value: req.rawHeaders[i + 1] ?? "" });
    }
    try {
      const answer = await webhooks(adapterName, { method: req.method, path, headers, body });
      send(res, answer.status, answer.contentType, answer.body);
    } catch (error) {
      send(res, 500, "application/json", JSON.stringify({ error: publicError(error, "webhook").message }));
    }
  }

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://router").pathname;
    if (path === "/admin/adapters") return handleAdmin(req, res);
    if (isDeadLetterAdminPath(path)) return void deadLetterAdmin(req, res);
    if (path === STUCK_PAYMENTS_PATH) return void stuckPayments(req, res);
    if (isPaymentResolvePath(path)) return void paymentResolve(req, res);
    if (isReconAdminPath(path)) return void reconAdmin(req, res);
    if (req.method === "GET") {
      if (path === "/metrics") return void answerMetrics(options.metrics, res);
      if (answerHealth(path, options.readiness, res)) return;
    }
    const webhook = /^\/webhooks\/([a-z0-9-]+)$/.exec(path);
    if (webhook?.[1] !== undefined) void handleWebhook(req, res, webhook[1], path);
    else connectHandler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, contentType: string, body: Uint8Array | string): void {
  res.writeHead(status, { "content-type": contentType });
  res.end(body);
}
