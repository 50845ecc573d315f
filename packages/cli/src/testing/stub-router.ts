import { create, type DescMessage, type Message, type MessageInitShape } from "@bufbuild/protobuf";
import {
  Server,
  ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import {
  type CancelPaymentRequest,
  type CancelPaymentResponseSchema,
  type CreatePaymentRequest,
  type CreatePaymentResponseSchema,
  type CreateQuoteRequest,
  type CreateQuoteResponseSchema,
  type GetPaymentRequest,
  type GetPaymentResponseSchema,
  grpcServiceDefinition,
  type ListPaymentsRequest,
  type ListPaymentsResponseSchema,
  PaymentService,
  type WatchPaymentRequest,
  type WatchPaymentResponseSchema,
} from "@paymesh/proto";

/** What the stub answers, per PaymentService method; a method without an answer is UNIMPLEMENTED. */
export interface StubAnswers {
  createPayment?: (request: CreatePaymentRequest) => MessageInitShape<typeof CreatePaymentResponseSchema>;
  getPayment?: (request: GetPaymentRequest) => MessageInitShape<typeof GetPaymentResponseSchema>;
  createQuote?: (request: CreateQuoteRequest) => MessageInitShape<typeof CreateQuoteResponseSchema>;
  listPayments?: (request: ListPaymentsRequest) => MessageInitShape<typeof ListPaymentsResponseSchema>;
  cancelPayment?: (request: CancelPaymentRequest) => MessageInitShape<typeof CancelPaymentResponseSchema>;
  /** The messages of the stream, sent in order before the stub ends it. */
  watchPayment?: (request: WatchPaymentRequest) => MessageInitShape<typeof WatchPaymentResponseSchema>[];
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
    if (method.methodKind === "server_streaming") {
      const messages = (
        answers as Record<string, ((request: Message) => MessageInitShape<DescMessage>[]) | undefined>
      )[method.localName];
      handlers[method.localName] = (call: ServerWritableStream<Message, Message>) => {
        const authorization = call.metadata.get("authorization")[0];
        calls.push({
          method: method.localName,
          request: call.request,
          authorization: typeof authorization === "string" ? authorization : undefined,
        });
        if (messages === undefined) {
          call.emit("error", { code: status.UNIMPLEMENTED, details: `stub router has no ${method.name}` });
          return;
        }
        for (const message of messages(call.request)) call.write(create(method.output, message));
        call.end();
      };
      continue;
    }
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
