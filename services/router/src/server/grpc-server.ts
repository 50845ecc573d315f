import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  addReflection,
  callContext,
  createPublicErrors,
  GrpcCode,
  grpcCodeName,
  shutdownServer,
  toGrpcServiceError,
} from "@paymesh/adapter-kit";
import {
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
import { createLogger, type Logger, logRpc, type RpcLogLevel } from "@paymesh/telemetry";
import { HealthImplementation } from "grpc-health-check";
import type { RequestContext } from "../payments/request-context.ts";
import type { Authenticator } from "./caller-auth.ts";
import type { PaymentService } from "./payment-service.ts";
import { decodeBinaryRequest, UndecodableRequest } from "./request-decoding.ts";

/** The caller named in the line of a call that did not authenticate. */
const UNAUTHENTICATED = "unauthenticated";

/** A running gRPC server for PaymentService. */
export interface RunningGrpcServer {
  port: number;
  health: HealthImplementation;
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
  /** Where each call's line and an INTERNAL answer's cause are logged. @default stderr, warnings and errors only */
  log?: Logger;
  /** The level of the line each call gets. @default "info" */
  rpcLogLevel?: RpcLogLevel;
}): Promise<RunningGrpcServer> {
  const { service, authenticate } = options;
  const log = options.log ?? createLogger({ service: "router", level: "warn" });
  const publicError = createPublicErrors({ log, service: "router" });
  const rpcLogLevel = options.rpcLogLevel ?? "info";
  const server = new Server();

  /** The call's request, or throws the reason it did not decode. */
  const requestOf = <Req>(call: { request: Req | UndecodableRequest }): Req => {
    if (call.request instanceof UndecodableRequest) throw call.request.error;
    return call.request;
  };
  const failed = (method: string, error: unknown) => toGrpcServiceError(publicError(error, method));

  /** One call from its start: its context once authenticated, and the line when it ends. */
  const served = (method: string, call: Parameters<typeof callContext>[0]) => {
    const started = performance.now();
    let caller = UNAUTHENTICATED;
    return {
      context(): RequestContext {
        const authorization = call.metadata.get("authorization")[0];
        caller = authenticate(typeof authorization === "string" ? authorization : undefined);
        const { deadline, signal } = callContext(call);
        return { caller, deadline, signal };
      },
      finished(code: GrpcCode): void {
        const durationMs = performance.now() - started;
        logRpc(log, rpcLogLevel, { method, caller, code: grpcCodeName(code), durationMs, transport: "grpc" });
      },
    };
  };

  function unary<Req, Out extends DescMessage>(
    method: string,
    output: Out,
    handler: (context: RequestContext, request: Req) => Promise<MessageInitShape<Out>>,
  ): (call: ServerUnaryCall<Req | UndecodableRequest, unknown>, callback: sendUnaryData<unknown>) => void {
    return (call, callback) => {
      const rpc = served(method, call);
      Promise.resolve()
        .then(() => handler(rpc.context(), requestOf(call)))
        .then(
          (response) => {
            rpc.finished(GrpcCode.OK);
            callback(null, create(output, response));
          },
          (error: unknown) => {
            const status = failed(method, error);
            rpc.finished(status.code);
            callback(status);
          },
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
      const rpc = served("CreatePayment", call);
      Promise.resolve()
        .then(() => service.createPayment(rpc.context(), requestOf(call)))
        .then(
          (bytes) => {
            rpc.finished(GrpcCode.OK);
            callback(null, bytes);
          },
          (error: unknown) => {
            const status = failed("CreatePayment", error);
            rpc.finished(status.code);
            callback(status);
          },
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
      const rpc = served("WatchPayment", call);
      try {
        const context = rpc.context();
        const request = requestOf(call);
        for await (const change of service.watchPayment(context, request.paymentId)) {
          call.write(create(WatchPaymentResponseSchema, change));
        }
        rpc.finished(GrpcCode.OK);
        call.end();
      } catch (error) {
        const status = failed("WatchPayment", error);
        rpc.finished(status.code);
        // grpc-js sends a server stream\'s status from an "error" event; destroy() would leave the client waiting.
        call.emit("error", Object.assign(new Error("WatchPayment failed"), status));
      }
    },
  } satisfies UntypedServiceImplementation);

  const health = new HealthImplementation({ "": "SERVING", [PaymentServiceDesc.typeName]: "SERVING" });
  health.addToServer(server);
  addReflection(server, [PaymentServiceDesc]);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${options.host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  return {
    port,
    health,
    shutdown: (graceMs = 5_000) => {
      health.setStatus("", "NOT_SERVING");
      health.setStatus(PaymentServiceDesc.typeName, "NOT_SERVING");
      return shutdownServer(server, graceMs);
    },
  };
}
