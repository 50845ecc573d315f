import { create, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { toGrpcServiceError } from "@paymesh/adapter-kit";
import { adapterv1, grpcServiceDefinition } from "@paymesh/proto";

type Answer<S extends DescMessage> = MessageInitShape<S>;

/**
 * What the fake answers, per ProviderAdapter method. A handler may throw (a PaymeshError travels as
 * the adapter kit sends it) or never settle (an answer lost on the way back). A method without a
 * handler answers UNIMPLEMENTED.
 */
export interface FakeAdapterScript {
  describe?: (request: adapterv1.DescribeRequest) => Promise<Answer<typeof adapterv1.DescribeResponseSchema>>;
  createPayment?: (
    request: adapterv1.CreatePaymentRequest,
  ) => Promise<Answer<typeof adapterv1.CreatePaymentResponseSchema>>;
  getPaymentStatus?: (
    request: adapterv1.GetPaymentStatusRequest,
  ) => Promise<Answer<typeof adapterv1.GetPaymentStatusResponseSchema>>;
  parseWebhook?: (
    request: adapterv1.ParseWebhookRequest,
  ) => Promise<Answer<typeof adapterv1.ParseWebhookResponseSchema>>;
}

/** A running fake adapter and every request it received, by method. */
export interface FakeAdapter {
  /** "host:port" for the router's config. */
  address: string;
  received: {
    describe: adapterv1.DescribeRequest[];
    createPayment: adapterv1.CreatePaymentRequest[];
    getPaymentStatus: adapterv1.GetPaymentStatusRequest[];
    parseWebhook: adapterv1.ParseWebhookRequest[];
  };
  close(): Promise<void>;
}

/**
 * A real gRPC server speaking payments.adapter.v1.ProviderAdapter on 127.0.0.1:0, answering from a
 * script, so the router's flows can be driven over the wire in process and a test can count what
 * reached the "provider".
 */
export async function startFakeAdapter(script: FakeAdapterScript): Promise<FakeAdapter> {
  const received: FakeAdapter["received"] = {
    describe: [],
    createPayment: [],
    getPaymentStatus: [],
    parseWebhook: [],
  };
  const server = new Server();
  const handlers: UntypedServiceImplementation = {};
  for (const name of ["describe", "createPayment", "getPaymentStatus", "parseWebhook"] as const) {
    const method = adapterv1.ProviderAdapter.method[name];
    handlers[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      (received[name] as unknown[]).push(call.request);
      const handler = script[name] as
        | ((request: unknown) => Promise<MessageInitShape<DescMessage>>)
        | undefined;
      if (handler === undefined) {
        callback({ code: status.UNIMPLEMENTED, details: `the fake adapter has no ${method.name}` });
        return;
      }
      handler(call.request).then(
        (answer) => callback(null, create(method.output, answer)),
        (error: unknown) => callback(toGrpcServiceError(error)),
      );
    };
  }
  server.addService(grpcServiceDefinition(adapterv1.ProviderAdapter), handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    received,
    // A handler that never settles would hold a graceful shutdown forever.
    close: async () => server.forceShutdown(),
  };
}

/** A handler answer that never comes: the request reached the provider, the answer is lost. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
