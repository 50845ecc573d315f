import { create, type DescMessage, type Message, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  type CreatePaymentRequest,
  type CreatePaymentResponseSchema,
  type CreateQuoteRequest,
  type CreateQuoteResponseSchema,
  type GetPaymentRequest,
  type GetPaymentResponseSchema,
  grpcServiceDefinition,
  PaymentService,
} from "@paymesh/proto";

/** What the stub answers, per PaymentService method; a method without an answer is UNIMPLEMENTED. */
export interface StubAnswers {
  createPayment?: (request: CreatePaymentRequest) => MessageInitShape<typeof CreatePaymentResponseSchema>;
  getPayment?: (request: GetPaymentRequest) => MessageInitShape<typeof GetPaymentResponseSchema>;
  createQuote?: (request: CreateQuoteRequest) => MessageInitShape<typeof CreateQuoteResponseSchema>;
}

/** One call as the stub received it. */
export interface ReceivedCall {
  /** PaymentService method, by its local name: "createPayment". */
  method: string;
  request: Message;
  authorization: string | undefined;
}

/** A running stub: its address for `--router`, the calls so far, and how to stop it. */
export interface StubRouter {
  address: string;
  calls: ReceivedCall[];
  /** The request of call `index` (default the first), typed as the test expects; throws if none. */
  request<T extends Message>(index?: number): T;
  close(): Promise<void>;
}

/**
 * A real gRPC server speaking PaymentService on 127.0.0.1:0 that records each request (with its
 * bearer token) and answers from `answers`. It stands in for the router where a CLI test must check
 * what goes over the wire; the router itself is covered by its own suite and the e2e tests.
 */
export async function startStubRouter(answers: StubAnswers): Promise<StubRouter> {
  const calls: ReceivedCall[] = [];
  const handlers: UntypedServiceImplementation = {};
  for (const method of PaymentService.methods) {
    if (method.methodKind !== "unary") continue;
    const answer = (
      answers as Record<string, ((request: Message) => MessageInitShape<DescMessage>) | undefined>
    )[method.localName];
    handlers[method.localName] = (
      call: ServerUnaryCall<Message, Message>,
      callback: sendUnaryData<Message>,
    ) => {
      const authorization = call.metadata.get("authorization")[0];
      calls.push({
        method: method.localName,
        request: call.request,
        authorization: typeof authorization === "string" ? authorization : undefined,
      });
      if (answer === undefined) {
        callback({ code: status.UNIMPLEMENTED, details: `stub router has no ${method.name}` });
        return;
      }
      callback(null, create(method.output, answer(call.request)));
    };
  }
  const server = new Server();
  server.addService(grpcServiceDefinition(PaymentService), handlers);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return {
    address: `127.0.0.1:${port}`,
    calls,
    request<T extends Message>(index = 0): T {
      const call = calls[index];
      if (call === undefined)
        throw new Error(`the stub router received ${calls.length} calls, not ${index + 1}`);
      return call.request as T;
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
