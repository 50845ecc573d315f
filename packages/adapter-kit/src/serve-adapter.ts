import { create, type DescMessage, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import {
  type Metadata,
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { adapterv1, ErrorReason, grpcServiceDefinition, reflectionPackageDefinition } from "@paymesh/proto";
import {
  createLogger,
  grpcCodeName,
  type Logger,
  logRpc,
  type Metrics,
  processMetrics,
  type Readiness,
  type RpcLogLevel,
  rpcDurationHistogram,
} from "@paymesh/telemetry";
import { HealthImplementation } from "grpc-health-check";
import type { PaymentProvider, ProviderCallContext } from "./payment-provider.ts";
import { GrpcCode, PaymeshError } from "./paymesh-error.ts";
import { isProviderTransportError } from "./provider-transport-error.ts";
import { createPublicErrors } from "./public-error.ts";
import { toGrpcServiceError } from "./status-details.ts";
import { validateCreatePayment, validatePaymentLookup } from "./validate-adapter-request.ts";

/** Options for serveAdapter. */
export interface ServeAdapterOptions {
  provider: PaymentProvider;
  /** @default "127.0.0.1" */
  host?: string;
  /** @default 0 (a free port; read it from the result) */
  port?: number;
  /** Where served calls are timed (paymesh_rpc_duration_seconds). @default the process's registry */
  metrics?: Metrics;
  /** The adapter's name in its log lines and INTERNAL answers. @default the provider's Describe name */
  service?: string;
  /**
   * Where each call's line, an INTERNAL answer's cause and a provider failure go. @default stderr,
   * warnings and errors only (an adapter served in a test); runAdapterMain gives the process's logger
   */
  log?: Logger;
  /** The level of the line each call gets. @default "info" */
  rpcLogLevel?: RpcLogLevel;
}

/** A running adapter server. */
export interface ServedAdapter {
  /** "host:port" to give the router. */
  address: string;
  port: number;
  server: Server;
  /** Ready while serving; not ready from the moment shutdown begins (draining). */
  readiness(): Promise<Readiness>;
  /** Stops taking calls, lets calls in flight finish for up to graceMs, then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

const SERVICE_NAME = adapterv1.ProviderAdapter.typeName;

/**
 * Serves a PaymentProvider as the payments.adapter.v1.ProviderAdapter gRPC service, with
 * grpc.health.v1 health checking and server reflection, so an adapter team writes only the
 * provider and gets the transport, validation and error encoding the router expects.
 */
export async function serveAdapter(options: ServeAdapterOptions): Promise<ServedAdapter> {
  const { provider } = options;
  const server = new Server();
  const durations = rpcDurationHistogram(options.metrics ?? processMetrics());
  const description = create(adapterv1.DescribeResponseSchema, provider.describe());
  const service = options.service ?? `adapter-${description.provider || "unknown"}`;
  const log = options.log ?? createLogger({ service, level: "warn" });
  const rpcLogLevel = options.rpcLogLevel ?? "info";
  const publicError = createPublicErrors({ log, service });
  /**
   * The status a failed call answers, logged: INTERNAL with its cause and correlation id, a
   * provider that gave no usable answer with the round trips the call made (masked as recorded).
   */
  const failed = (method: string, error: unknown) => {
    const failure = publicError(error, method);
    const transport = transportErrorIn(error);
    if (transport !== undefined) {
      log.warn(
        {
          source: "provider",
          method,
          code: grpcCodeName(failure.code),
          err: error,
          exchanges: transport.exchanges,
        },
        `provider call failed in ${method}`,
      );
    }
    return toGrpcServiceError(failure);
  };
  /** One call from its start; when it ends, its duration (paymesh_rpc_duration_seconds) and its line. */
  const served = (method: string, call: { getPeer(): string }) => {
    const started = performance.now();
    return (code: GrpcCode) => {
      const durationMs = performance.now() - started;
      durations.observe({ method, code: grpcCodeName(code), transport: "grpc" }, durationMs / 1000);
      // Describe is the router's health probe, every few seconds from every router: a successful one
      // is a debug line, or an adapter's log would be mostly probes. It is still timed and counted.
      const level = method === "Describe" && code === GrpcCode.OK ? "debug" : rpcLogLevel;
      logRpc(log, level, { method, caller: call.getPeer(), code, durationMs, transport: "grpc" });
    };
  };
  function unary<Req, Out extends DescMessage>(
    method: string,
    output: Out,
    handler: (request: Req, context: ProviderCallContext) => Promise<MessageInitShape<Out>>,
  ): (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => void {
    return (call, callback) => {
      const finished = served(method, call);
      const context = callContext(call);
      // Through a promise so a synchronous throw (validation) becomes the same rich status.
      Promise.resolve()
        .then(() => handler(call.request, context))
        .then(
          (response) => {
            finished(GrpcCode.OK);
            callback(null, create(output, response));
          },
          (error: unknown) => {
            const status = failed(method, error);
            finished(status.code);
            callback(status);
          },
        );
    };
  }

  server.addService(grpcServiceDefinition(adapterv1.ProviderAdapter), {
    describe: unary("Describe", adapterv1.DescribeResponseSchema, async () => description),
    createPayment: unary(
      "CreatePayment",
      adapterv1.CreatePaymentResponseSchema,
      (request: adapterv1.CreatePaymentRequest, context) => {
        validateCreatePayment(request, description);
        return provider.createPayment(request, context);
      },
    ),
    getPaymentStatus: unary(
      "GetPaymentStatus",
      adapterv1.GetPaymentStatusResponseSchema,
      (request: adapterv1.GetPaymentStatusRequest, context) => {
        validatePaymentLookup(request);
        return provider.getPaymentStatus(request, context);
      },
    ),
    cancelPayment: unary(
      "CancelPayment",
      adapterv1.CancelPaymentResponseSchema,
      (request: adapterv1.CancelPaymentRequest, context) => {
        validatePaymentLookup(request);
        return required(provider.cancelPayment, "CancelPayment").call(provider, request, context);
      },
    ),
    parseWebhook: unary(
      "ParseWebhook",
      adapterv1.ParseWebhookResponseSchema,
      (request: adapterv1.ParseWebhookRequest, context) =>
        required(provider.parseWebhook, "ParseWebhook").call(provider, request, context),
    ),
    createQuote: unary(
      "CreateQuote",
      adapterv1.CreateQuoteResponseSchema,
      (request: adapterv1.CreateQuoteRequest, context) =>
        required(provider.createQuote, "CreateQuote").call(provider, request, context),
    ),
    listSettlements: async (call: ServerWritableStream<adapterv1.ListSettlementsRequest, unknown>) => {
      const finished = served("ListSettlements", call);
      const context = callContext(call);
      try {
        const list = required(provider.listSettlements, "ListSettlements");
        for await (const page of list.call(provider, call.request, context)) {
          if (context.signal.aborted) return finished(GrpcCode.CANCELLED);
          // Backpressure: the provider's report is read no faster than the caller takes it.
          if (!call.write(create(adapterv1.ListSettlementsResponseSchema, page))) {
            await drained(call, context.signal);
          }
        }
        finished(GrpcCode.OK);
        call.end();
      } catch (error) {
        const status = failed("ListSettlements", error);
        finished(status.code);
        // grpc-js sends a server stream\'s status from an "error" event; destroy() would leave the client waiting.
        call.emit("error", Object.assign(new Error("ListSettlements failed"), status));
      }
    },
  } satisfies UntypedServiceImplementation);

  const health = new HealthImplementation({ "": "SERVING", [SERVICE_NAME]: "SERVING" });
  health.addToServer(server);
  addReflection(server, [adapterv1.ProviderAdapter]);

  const host = options.host ?? "127.0.0.1";
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  let draining = false;
  return {
    address: `${host}:${port}`,
    port,
    server,
    readiness: async () => (draining ? { ready: false, down: ["draining"] } : { ready: true, down: [] }),
    shutdown: (graceMs = 5_000) => {
      draining = true;
      health.setStatus("", "NOT_SERVING");
      health.setStatus(SERVICE_NAME, "NOT_SERVING");
      return shutdownServer(server, graceMs);
    },
  };
}

/** tryShutdown lets calls in flight finish; forceShutdown after the grace period. */
export function shutdownServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Server reflection (grpcurl, Postman) from protobuf-es descriptors. @grpc/reflection reads only
 * `fileDescriptorProtos` of a proto-loader package definition, hence the narrowing cast.
 */
export function addReflection(server: Server, services: readonly DescService[]): void {
  const definition = reflectionPackageDefinition(services) as unknown as ConstructorParameters<
    typeof ReflectionService
  >[0];
  new ReflectionService(definition).addToServer(server);
}

/** Resolves when the stream can take more, or when the caller goes away. */
function drained(call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    call.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

function required<F>(fn: F | undefined, name: string): F {
  if (fn === undefined) {
    throw new PaymeshError(ErrorReason.NOT_IMPLEMENTED, `${name} is not supported by this adapter`);
  }
  return fn;
}

/** The deadline and an AbortSignal that fires when the caller cancels or the deadline passes. */
export function callContext(call: {
  getDeadline(): Date | number;
  metadata: Metadata;
  on(event: "cancelled", listener: () => void): unknown;
}): ProviderCallContext {
  const controller = new AbortController();
  call.on("cancelled", () => controller.abort(new Error("call cancelled by the caller")));
  const deadline = call.getDeadline();
  const deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  if (Number.isFinite(deadlineMs)) {
    const timer = setTimeout(
      () => controller.abort(new Error("deadline exceeded")),
      Math.max(0, deadlineMs - Date.now()),
    );
    timer.unref();
    controller.signal.addEventListener("abort", () => clearTimeout(timer), { once: true });
  }
  return { deadline, signal: controller.signal, metadata: call.metadata };
}

/** The provider transport error in the error's cause chain, if a provider gave no usable answer. */
function transportErrorIn(error: unknown) {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++, current = current.cause) {
    if (isProviderTransportError(current)) return current;
  }
  return undefined;
}
