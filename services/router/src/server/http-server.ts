import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fromBinary } from "@bufbuild/protobuf";
import {
  type Code,
  ConnectError,
  type ConnectRouter,
  createConnectRouter,
  createContextKey,
  type HandlerContext,
  type Interceptor,
} from "@connectrpc/connect";
import type { UniversalServerRequest } from "@connectrpc/connect/protocol";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import {
  createPublicErrors,
  ERROR_DOMAIN,
  grpcCodeName,
  PaymeshError,
  reasonName,
} from "@paymesh/adapter-kit";
import {
  CreatePaymentResponseSchema,
  ErrorInfoSchema,
  PaymentService as PaymentServiceDesc,
} from "@paymesh/proto";
import type { DeadLetters } from "@paymesh/queue";
import type { PaymentStore } from "@paymesh/store";
import { createLogger, type Logger, logRpc, type RpcLogLevel } from "@paymesh/telemetry";
import type { AdapterStatus } from "../adapters/adapter-monitor.ts";
import type { RequestContext } from "../payments/request-context.ts";
import type { WebhookIngress } from "../webhooks/webhook-ingress.ts";
import { createDeadLetterAdmin, isDeadLetterAdminPath } from "./admin-dead-letters.ts";
import { createStuckPaymentsAdmin, STUCK_PAYMENTS_PATH } from "./admin-stuck-payments.ts";
import type { Authenticator } from "./caller-auth.ts";
import { decodeFirst, MAX_REQUEST_BYTES } from "./connect-decoding.ts";
import type { PaymentService } from "./payment-service.ts";

/** Who called, once authenticated: what each call's log line names. */
const CALLER = createContextKey("unauthenticated");

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
  /** Prometheus exposition text for `GET /metrics` (unauthenticated, as scrapers expect; no payment data). */
  metrics: () => string;
  /** Where each call's line and an INTERNAL answer's cause are logged. @default stderr, warnings and errors only */
  log?: Logger;
  /** The level of the line each Connect call gets. @default "info" */
  rpcLogLevel?: RpcLogLevel;
  host: string;
  port: number;
}): Promise<RunningHttpServer> {
  const { service, authenticate, webhooks } = options;
  const authenticateOperator = options.authenticateOperator ?? authenticate;
  const log = options.log ?? createLogger({ service: "router", level: "warn" });
  const rpcLogLevel = options.rpcLogLevel ?? "info";
  const publicError = createPublicErrors({ log, service: "router" });
  const finished = (method: string, caller: string, started: number, code: Code | 0): void => {
    const durationMs = performance.now() - started;
    logRpc(log, rpcLogLevel, { method, caller, code: grpcCodeName(code), durationMs, transport: "connect" });
  };
  /** A ConnectError with the same code, message and ErrorInfo the gRPC server sends. */
  const toConnectError = (error: unknown, method: string): ConnectError =>
    error instanceof ConnectError ? error : connectErrorOf(publicError(error, method));

  const context = (handlerContext: HandlerContext): RequestContext => {
    const caller = authenticate(handlerContext.requestHeader.get("authorization") ?? undefined);
    handlerContext.values.set(CALLER, caller);
    const timeoutMs = handlerContext.timeoutMs();
    return {
      caller,
      deadline: timeoutMs === undefined ? Number.POSITIVE_INFINITY : new Date(Date.now() + timeoutMs),
      signal: handlerContext.signal,
    };
  };
  const guard = <T>(work: () => Promise<T>, ctx: HandlerContext): Promise<T> =>
    work().catch((error: unknown) => Promise.reject(toConnectError(error, ctx.method.name)));

  const routes = (router: ConnectRouter): void => {
    router.service(PaymentServiceDesc, {
      createPayment: (request, ctx) =>
        guard(
          async () =>
            fromBinary(CreatePaymentResponseSchema, await service.createPayment(context(ctx), request)),
          ctx,
        ),
      getPayment: (request, ctx) =>
        guard(async () => ({ payment: await service.getPayment(context(ctx), request.paymentId) }), ctx),
      listPayments: (request, ctx) => guard(() => service.listPayments(context(ctx), request), ctx),
      cancelPayment: (request, ctx) =>
        guard(async () => ({ payment: await service.cancelPayment(context(ctx), request) }), ctx),
      createQuote: (request, ctx) =>
        guard(async () => ({ quote: await service.createQuote(context(ctx), request) }), ctx),
      async *watchPayment(request, ctx) {
        try {
          yield* service.watchPayment(context(ctx), request.paymentId);
        } catch (error) {
          throw toConnectError(error, "WatchPayment");
        }
      },
    });
  };

  /** One line per call that reached its handler, when it ends (a stream's when its last message went). */
  const observe: Interceptor = (next) => async (request) => {
    const started = performance.now();
    const end = (code: Code | 0) =>
      finished(request.method.name, request.contextValues.get(CALLER), started, code);
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next(request);
    } catch (error) {
      end(ConnectError.from(error).code);
      throw error;
    }
    if (!response.stream) {
      end(0);
      return response;
    }
    const messages = response.message;
    return {
      ...response,
      message: (async function* () {
        try {
          yield* messages;
          end(0);
        } catch (error) {
          end(ConnectError.from(error).code);
          throw error;
        }
      })(),
    };
  };
  // Calls refused before their handler (a body that does not decode) get their line from `refuse`.
  const arrivals = new WeakMap<UniversalServerRequest, number>();

  // connectNodeAdapter, with each handler decoding its request body first (connect-decoding.ts).
  const connectRouter = createConnectRouter({
    acceptCompression: [compressionGzip, compressionBrotli],
    readMaxBytes: MAX_REQUEST_BYTES,
    interceptors: [observe],
  });
  routes(connectRouter);
  const refuse = (method: string, error: PaymeshError, request: UniversalServerRequest): ConnectError => {
    const started = arrivals.get(request) ?? performance.now();
    let caller: string;
    try {
      caller = authenticate(request.header.get("authorization") ?? undefined);
    } catch (failure) {
      // As on gRPC: an unauthenticated caller learns nothing about its request.
      const refusal = toConnectError(failure, "authenticate");
      finished(method, CALLER.defaultValue, started, refusal.code);
      return refusal;
    }
    const refusal = connectErrorOf(error);
    finished(method, caller, started, refusal.code);
    return refusal;
  };
  const connectPaths = new Map(
    connectRouter.handlers.map((handler) => [
      handler.requestPath,
      decodeFirst(handler, (error, request) => refuse(handler.method.name, error, request)),
    ]),
  );
  function connectHandler(req: IncomingMessage, res: ServerResponse): void {
    const handler = connectPaths.get((req.url ?? "").split("?", 2)[0] ?? "");
    if (handler === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    const request = universalRequestFromNodeRequest(req, res, undefined, undefined);
    arrivals.set(request, performance.now());
    handler(request)
      .then((answer) => universalResponseToNodeResponse(answer, res))
      .catch(() => {
        // The response is already under way or the client went away: nothing left to answer.
        res.destroy();
      });
  }
  const stuckPayments = createStuckPaymentsAdmin({
    store: options.store,
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
    if (path === "/metrics" && req.method === "GET") {
      send(res, 200, "text/plain; version=0.0.4", options.metrics());
      return;
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

/** A ConnectError carrying the error's code, message and ErrorInfo. */
function connectErrorOf(failure: PaymeshError): ConnectError {
  return new ConnectError(failure.message, failure.code as number as Code, undefined, [
    {
      desc: ErrorInfoSchema,
      value: { reason: reasonName(failure.reason), domain: ERROR_DOMAIN, metadata: { ...failure.metadata } },
    },
  ]);
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
