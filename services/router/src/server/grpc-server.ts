import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { addReflection, callContext, shutdownServer, toGrpcServiceError } from "@paymesh/adapter-kit";
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
import { HealthImplementation } from "grpc-health-check";
import type { RequestContext } from "../payments/request-context.ts";
import type { Authenticator } from "./caller-auth.ts";
import type { PaymentService } from "./payment-service.ts";

/** A running gRPC server for PaymentService. */
export interface RunningGrpcServer {
  port: number;
  health: HealthImplementation;
  shutdown(graceMs?: number): Promise<void>;
}

/**
 * Serves PaymentService over gRPC (grpc-js, protobuf-es serialization) with grpc.health.v1 and
 * server reflection. Every call is authenticated from its metadata before any work.
 */
export async function startGrpcServer(options: {
  service: PaymentService;
  authenticate: Authenticator;
  host: string;
  port: number;
}): Promise<RunningGrpcServer> {
  const { service, authenticate } = options;
  const server = new Server();

  const requestContext = (call: Parameters<typeof callContext>[0]): RequestContext => {
    const authorization = call.metadata.get("authorization")[0];
    const caller = authenticate(typeof authorization === "string" ? authorization : undefined);
    const { deadline, signal } = callContext(call);
    return { caller, deadline, signal };
  };

  function unary<Req, Out extends DescMessage>(
    output: Out,
    handler: (context: RequestContext, request: Req) => Promise<MessageInitShape<Out>>,
  ): (call: ServerUnaryCall<Req, unknown>, callback: sendUnaryData<unknown>) => void {
    return (call, callback) => {
      Promise.resolve()
        .then(() => handler(requestContext(call), call.request))
        .then(
          (response) => callback(null, create(output, response)),
          (error: unknown) => callback(toGrpcServiceError(error)),
        );
    };
  }

  const base = grpcServiceDefinition(PaymentServiceDesc);
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
      call: ServerUnaryCall<CreatePaymentRequest, unknown>,
      callback: sendUnaryData<unknown>,
    ) => {
      Promise.resolve()
        .then(() => service.createPayment(requestContext(call), call.request))
        .then(
          (bytes) => callback(null, bytes),
          (error: unknown) => callback(toGrpcServiceError(error)),
        );
    },
    getPayment: unary(GetPaymentResponseSchema, async (context, request: GetPaymentRequest) => ({
      payment: await service.getPayment(context, request.paymentId),
    })),
    listPayments: unary(ListPaymentsResponseSchema, (context, request: ListPaymentsRequest) =>
      service.listPayments(context, request),
    ),
    cancelPayment: unary(CancelPaymentResponseSchema, async (context, request: CancelPaymentRequest) => ({
      payment: await service.cancelPayment(context, request),
    })),
    createQuote: unary(CreateQuoteResponseSchema, async (context, request: CreateQuoteRequest) => ({
      quote: await service.createQuote(context, request),
    })),
    watchPayment: async (call: ServerWritableStream<WatchPaymentRequest, unknown>) => {
      try {
        const context = requestContext(call);
        for await (const change of service.watchPayment(context, call.request.paymentId)) {
          call.write(create(WatchPaymentResponseSchema, change));
        }
        call.end();
      } catch (error) {
        // grpc-js sends a server stream\'s status from an "error" event; destroy() would leave the client waiting.
        call.emit("error", Object.assign(new Error("WatchPayment failed"), toGrpcServiceError(error)));
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
