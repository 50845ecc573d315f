import { create, type DescMessage, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  type Authenticator,
  addReflection,
  callContext,
  createPublicErrors,
  decodeBinaryRequest,
  shutdownServer,
  toGrpcServiceError,
  UndecodableRequest,
} from "@paymesh/adapter-kit";
import {
  adminv1,
  type CancelPaymentRequest,
  CancelPaymentResponseSchema,
  type CreatePaymentRequest,
  type CreateQuoteRequest,
  CreateQuoteResponseSchema,
  type GetPaymentRequest,
  GetPaymentResponseSchema,
  grpcServiceDefinition,
  type ListPaymentsRequest,
  ListPaymentsResponseSchema,
  PaymentService as PaymentServiceDesc,
  type WatchPaymentRequest,
  WatchPaymentResponseSchema,
} from "@paymesh/proto";
import { createLogger, type Logger } from "@paymesh/telemetry";
import { HealthImplementation } from "grpc-health-check";
import type { RequestContext } from "../payments/request-context.ts";
import type { PaymentAdminService } from "./payment-admin-service.ts";
import type { PaymentService } from "./payment-service.ts";
import type { ReconAdminService } from "./recon-admin-service.ts";
import { type ObservedRpc, type OnRpcFinished, observeRpc } from "./rpc-observation.ts";

/** A running gRPC server for PaymentService. */
export interface RunningGrpcServer {
  port: number;
  health: HealthImplementation;
  /** The overall and PaymentService health status (readiness); ignored once shutting down. */
  setServing(serving: boolean): void;
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Serves PaymentService over gRPC (grpc-js, protobuf-es serialization) with grpc.health.v1 and
 * server reflection. Every call is authenticated from its metadata before any work. A request that
 * does not decode reaches its handler as an UndecodableRequest and is answered INVALID_ARGUMENT
 * (grpc-js would answer a throwing deserializer INTERNAL, without ErrorInfo).
 */
export async function startGrpcServer(options: {
  service: PaymentService;
  authenticate: Authenticator;
  host: string;
  port: number;
  /** Where an INTERNAL answer's cause is logged. @default stderr, warnings and errors only */
  log?: Logger;
  /** Told about every call once it is answered (metrics, the per-RPC log line). @default nothing */
  onRpcFinished?: OnRpcFinished;
  /** Who may call the admin services. @default authenticate */
  authenticateOperator?: Authenticator;
  /** ReconciliationAdminService (recon-admin-service.ts), served behind operator tokens. @default not served */
  reconAdmin?: ReconAdminService;
  /** PaymentAdminService (payment-admin-service.ts), served behind operator tokens. @default not served */
  paymentAdmin?: PaymentAdminService;
}): Promise<RunningGrpcServer> {
  const { service, authenticate } = options;
  const onRpcFinished = options.onRpcFinished ?? (() => {});
  const observe = (method: string): ObservedRpc => observeRpc(onRpcFinished, method, "grpc");
  const log = options.log ?? createLogger({ service: "router", level: "warn" });
  const publicError = createPublicErrors({ log, service: "router" });
  const server = new Server();

  /** The call's request, or throws the reason it did not decode. */
  const requestOf = <Req>(call: { request: Req | UndecodableRequest }): Req => {
    if (call.request instanceof UndecodableRequest) throw call.request.error;
    return call.request;
  };
  /** The status to answer for `error`, reported to the RPC's observation. */
  const failed = (rpc: ObservedRpc, method: string, error: unknown) => {
    const status = toGrpcServiceError(publicError(error, method));
    rpc.finish(status.code);
    return status;
  };

  const requestContext = (call: Parameters<typeof callContext>[0], rpc: ObservedRpc): RequestContext => {
    const authorization = call.metadata.get("authorization")[0];
    const caller = authenticate(typeof authorization === "string" ? authorization : undefined);
    rpc.authenticated(caller);
    const { deadline, signal } = callContext(call);
    return { caller, deadline, signal };
  };

  function unary<Req, Out extends DescMessage>(
    method: string,
    output: Out,
    handler: (context: RequestContext, request: Req) => Promise<MessageInitShape<Out>>,
  ): (call: ServerUnaryCall<Req | UndecodableRequest, unknown>, callback: sendUnaryData<unknown>) => void {
    return (call, callback) => {
      const rpc = observe(method);
      Promise.resolve()
        .then(() => {
          const context = requestContext(call, rpc);
          return handler(context, requestOf(call));
        })
        .then(
          (response) => {
            rpc.finish(0);
            callback(null, create(output, response));
          },
          (error: unknown) => callback(failed(rpc, method, error)),
        );
    };
  }

  const base = grpcServiceDefinition(PaymentServiceDesc);
  // The request deserializer never throws: a body that does not decode becomes an UndecodableRequest.
  for (const method of PaymentServiceDesc.methods) {
    const definition = base[method.localName];
    if (definition !== undefined) {
      definition.requestDeserialize = (bytes: Buffer) => decodeBinaryRequest(method.input, bytes);
    }
  }
  const createPaymentMethod = base.createPayment;
  if (createPaymentMethod === undefined) throw new Error("PaymentService has no CreatePayment");
  const serialize = createPaymentMethod.responseSerialize;
  const definition = {
    ...base,
    createPayment: {
      ...createPaymentMethod,
      responseSerialize: (value: unknown) =>
        value instanceof Uint8Array
          ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
          : serialize(value as Parameters<typeof serialize>[0]),
    },
  };
  server.addService(definition, {
    // The answer is already serialized (and stored for idempotent replays): sent as those bytes.
    createPayment: (
      call: ServerUnaryCall<CreatePaymentRequest | UndecodableRequest, unknown>,
      callback: sendUnaryData<unknown>,
    ) => {
      const rpc = observe("CreatePayment");
      Promise.resolve()
        .then(() => {
          const context = requestContext(call, rpc);
          return service.createPayment(context, requestOf(call));
        })
        .then(
          (bytes) => {
            rpc.finish(0);
            callback(null, bytes);
          },
          (error: unknown) => callback(failed(rpc, "CreatePayment", error)),
        );
    },
    getPayment: unary(
      "GetPayment",
      GetPaymentResponseSchema,
      async (context, request: GetPaymentRequest) => ({
        payment: await service.getPayment(context, request.paymentId),
      }),
    ),
    listPayments: unary("ListPayments", ListPaymentsResponseSchema, (context, request: ListPaymentsRequest) =>
      service.listPayments(context, request),
    ),
    cancelPayment: unary(
      "CancelPayment",
      CancelPaymentResponseSchema,
      async (context, request: CancelPaymentRequest) => ({
        payment: await service.cancelPayment(context, request),
      }),
    ),
    createQuote: unary(
      "CreateQuote",
      CreateQuoteResponseSchema,
      async (context, request: CreateQuoteRequest) => ({
        quote: await service.createQuote(context, request),
      }),
    ),
    watchPayment: async (call: ServerWritableStream<WatchPaymentRequest | UndecodableRequest, unknown>) => {
      const rpc = observe("WatchPayment");
      try {
        const context = requestContext(call, rpc);
        const request = requestOf(call);
        for await (const change of service.watchPayment(context, request.paymentId)) {
          call.write(create(WatchPaymentResponseSchema, change));
        }
        rpc.finish(0);
        call.end();
      } catch (error) {
        // grpc-js sends a server stream\'s status from an "error" event; destroy() would leave the client waiting.
        call.emit(
          "error",
          Object.assign(new Error("WatchPayment failed"), failed(rpc, "WatchPayment", error)),
        );
      }
    },
  } satisfies UntypedServiceImplementation);

  const { reconAdmin, paymentAdmin } = options;
  const authenticateOperator = options.authenticateOperator ?? authenticate;
  /** The call's operator, from its metadata, before any work. */
  const operatorOf = (call: Parameters<typeof callContext>[0], rpc: ObservedRpc): string => {
    const authorization = call.metadata.get("authorization")[0];
    const operator = authenticateOperator(typeof authorization === "string" ? authorization : undefined);
    rpc.authenticated(operator);
    return operator;
  };
  const adminUnary =
    <Req>(
      method: string,
      output: DescMessage,
      handler: (operator: string, request: Req) => Promise<object>,
    ) =>
    (call: ServerUnaryCall<Req | UndecodableRequest, unknown>, callback: sendUnaryData<unknown>): void => {
      const rpc = observe(method);
      Promise.resolve()
        .then(() => handler(operatorOf(call, rpc), requestOf(call)))
        .then(
          (response) => {
            rpc.finish(0);
            callback(null, create(output, response as MessageInitShape<DescMessage>));
          },
          (error: unknown) => callback(failed(rpc, method, error)),
        );
    };
  /** A service's definition whose requests never fail to decode into INTERNAL (see above). */
  const adminDefinition = (service: DescService) => {
    const definition = grpcServiceDefinition(service);
    for (const method of service.methods) {
      const entry = definition[method.localName];
      if (entry !== undefined)
        entry.requestDeserialize = (bytes: Buffer) => decodeBinaryRequest(method.input, bytes);
    }
    return definition;
  };
  if (paymentAdmin !== undefined) {
    server.addService(adminDefinition(adminv1.PaymentAdminService), {
      resolvePayment: adminUnary(
        "ResolvePayment",
        adminv1.ResolvePaymentResponseSchema,
        (operator, request: adminv1.ResolvePaymentRequest) => paymentAdmin.resolvePayment(operator, request),
      ),
    } satisfies UntypedServiceImplementation);
  }
  if (reconAdmin !== undefined) {
    server.addService(adminDefinition(adminv1.ReconciliationAdminService), {
      listRuns: adminUnary(
        "ListRuns",
        adminv1.ListRunsResponseSchema,
        (_operator, request: adminv1.ListRunsRequest) => reconAdmin.listRuns(request),
      ),
      getRun: adminUnary(
        "GetRun",
        adminv1.GetRunResponseSchema,
        (_operator, request: adminv1.GetRunRequest) => reconAdmin.getRun(request),
      ),
      listDiscrepancies: adminUnary(
        "ListDiscrepancies",
        adminv1.ListDiscrepanciesResponseSchema,
        (_operator, request: adminv1.ListDiscrepanciesRequest) => reconAdmin.listDiscrepancies(request),
      ),
      resolveDiscrepancy: adminUnary(
        "ResolveDiscrepancy",
        adminv1.ResolveDiscrepancyResponseSchema,
        (operator, request: adminv1.ResolveDiscrepancyRequest) =>
          reconAdmin.resolveDiscrepancy(operator, request),
      ),
      exportRun: async (
        call: ServerWritableStream<adminv1.ExportRunRequest | UndecodableRequest, unknown>,
      ) => {
        const rpc = observe("ExportRun");
        try {
          operatorOf(call, rpc);
          for await (const page of reconAdmin.exportRun(requestOf(call))) {
            // Backpressure: a slow reader holds the export, not the router's memory.
            if (!call.write(create(adminv1.ExportRunResponseSchema, page))) {
              await new Promise((resolve) => call.once("drain", resolve));
            }
          }
          rpc.finish(0);
          call.end();
        } catch (error) {
          call.emit("error", Object.assign(new Error("ExportRun failed"), failed(rpc, "ExportRun", error)));
        }
      },
    } satisfies UntypedServiceImplementation);
  }

  const health = new HealthImplementation({ "": "SERVING", [PaymentServiceDesc.typeName]: "SERVING" });
  health.addToServer(server);
  addReflection(server, [
    PaymentServiceDesc,
    ...(reconAdmin === undefined ? [] : [adminv1.ReconciliationAdminService]),
    ...(paymentAdmin === undefined ? [] : [adminv1.PaymentAdminService]),
  ]);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  let shuttingDown = false;
  return {
    port,
    health,
    setServing(serving) {
      if (shuttingDown) return;
      health.setStatus("", serving ? "SERVING" : "NOT_SERVING");
      health.setStatus(PaymentServiceDesc.typeName, serving ? "SERVING" : "NOT_SERVING");
    },
    shutdown: (graceMs = 5_000) => {
      shuttingDown = true;
      health.setStatus("", "NOT_SERVING");
      health.setStatus(PaymentServiceDesc.typeName, "NOT_SERVING");
      return shutdownServer(server, graceMs);
    },
  };
}
