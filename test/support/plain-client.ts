import {
  type ClientReadableStream,
  credentials,
  loadPackageDefinition,
  Metadata,
  type ServiceError,
  type StatusObject,
  status,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { repoRoot } from "./start-process.ts";

/** A payment as proto-loader decodes it (enums as names, int64 as strings). */
export interface PlainPayment {
  id: string;
  status: string;
  amount: { currency: string; minorUnits: string };
  customerAction?: { qris?: { qrString: string } };
  providerReference: string;
  adapter: string;
  failure?: { reason: string; providerCode: string };
  outcomeUnknown: boolean;
}

/** One WatchPaymentResponse as proto-loader decodes it. */
export interface PlainWatchMessage {
  payment: PlainPayment;
  previousStatus: string;
}

/** How one call is made. */
export interface PlainCallOptions {
  /** Overrides the client's token; null sends no authorization at all. */
  token?: string | null;
  /** @default 10000 for a unary call, 15000 for a stream */
  deadlineMs?: number;
}

/** Options of a server-streaming call. */
export interface PlainStreamOptions<T> extends PlainCallOptions {
  /** Sees each message as it arrives, before `received` waiters do. */
  onMessage?: (message: T) => void;
}

/**
 * A server stream in progress as a test observes it: what arrived so far, how it ended, and a way
 * to wait for the next messages without sleeping.
 */
export interface PlainServerStream<T> {
  /** Every message received so far, in order. */
  readonly messages: readonly T[];
  /**
   * Resolves with the final status once the server completes the stream with OK and every message
   * was delivered; rejects with the call's ServiceError otherwise (a cancel gives CANCELLED, a
   * stream that never ends gives DEADLINE_EXCEEDED).
   */
  readonly ended: Promise<StatusObject>;
  /** Resolves with the messages once at least `count` arrived; rejects if the stream ends first. */
  received(count: number): Promise<T[]>;
  /** Cancels the call from the client's side, as a caller that goes away does. */
  cancel(): void;
}

type Callback = (error: ServiceError | null, response: unknown) => void;
type UnaryMethod = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: Date },
  callback: Callback,
) => void;
type ServerStreamMethod = (
  request: unknown,
  metadata: Metadata,
  options: { deadline: Date },
) => ClientReadableStream<unknown>;

/**
 * A PaymentService client exactly as another team would build one: plain @grpc/grpc-js with the
 * .proto files loaded by @grpc/proto-loader — none of Paymesh's own client code.
 */
export function plainPaymentClient(address: string, token: string | undefined) {
  const definition = loadSync("payments/v1/payment_service.proto", {
    includeDirs: [`${repoRoot}proto`],
    enums: String,
    longs: String,
    defaults: true,
    oneofs: true,
  });
  const loaded = loadPackageDefinition(definition) as unknown as {
    payments: {
      v1: {
        PaymentService: new (
          address: string,
          creds: ReturnType<typeof credentials.createInsecure>,
        ) => Record<string, UnaryMethod> & { close(): void };
      };
    };
  };
  const client = new loaded.payments.v1.PaymentService(address, credentials.createInsecure());
  const metadataFor = (options: PlainCallOptions): Metadata => {
    const metadata = new Metadata();
    const metadataToken = options.token === undefined ? token : options.token;
    if (metadataToken !== undefined && metadataToken !== null) {
      metadata.set("authorization", `Bearer ${metadataToken}`);
    }
    return metadata;
  };
  /** `options.token` null sends no authorization at all; the deadline defaults to 10 s. */
  const call = <T>(method: string, request: unknown, options: PlainCallOptions = {}): Promise<T> =>
    new Promise((resolve, reject) => {
      const fn = client[method];
      if (fn === undefined) throw new Error(`no method ${method}`);
      fn.call(
        client,
        request,
        metadataFor(options),
        { deadline: new Date(Date.now() + (options.deadlineMs ?? 10_000)) },
        (error, response) => (error ? reject(error) : resolve(response as T)),
      );
    });
  /** Opens a server-streaming call; see PlainServerStream. */
  const serverStream = <T>(
    method: string,
    request: unknown,
    options: PlainStreamOptions<T> = {},
  ): PlainServerStream<T> => {
    const fn = client[method] as unknown as ServerStreamMethod | undefined;
    if (fn === undefined) throw new Error(`no method ${method}`);
    const grpcCall = fn.call(client, request, metadataFor(options), {
      deadline: new Date(Date.now() + (options.deadlineMs ?? 15_000)),
    });
    const messages: T[] = [];
    const waiters = new Set<() => void>();
    let finished: { error?: unknown } | undefined;
    const ended = new Promise<StatusObject>((resolve, reject) => {
      // grpc-js emits "status" as soon as the trailers arrive, while messages may still sit in the
      // stream's buffer; "end" comes once they were read. OK waits for both, so `messages` is
      // complete when `ended` resolves.
      let okStatus: StatusObject | undefined;
      let drained = false;
      const settle = () => {
        if (okStatus !== undefined && drained) resolve(okStatus);
      };
      grpcCall.on("data", (message: T) => {
        messages.push(message);
        options.onMessage?.(message);
        for (const waiter of [...waiters]) waiter();
      });
      grpcCall.on("status", (received: StatusObject) => {
        if (received.code !== status.OK) return; // the "error" event carries it
        okStatus = received;
        settle();
      });
      grpcCall.on("end", () => {
        drained = true;
        settle();
      });
      grpcCall.on("error", reject);
    });
    const notifyEnd = (outcome: { error?: unknown }) => {
      finished = outcome;
      for (const waiter of [...waiters]) waiter();
    };
    ended.then(
      () => notifyEnd({}),
      (error: unknown) => notifyEnd({ error }),
    );
    return {
      messages,
      ended,
      received: (count) =>
        new Promise((resolve, reject) => {
          const check = () => {
            if (messages.length < count && finished === undefined) return;
            waiters.delete(check);
            if (messages.length >= count) resolve([...messages]);
            else
              reject(
                finished?.error ??
                  new Error(`the stream ended after ${messages.length} of ${count} messages`),
              );
          };
          waiters.add(check);
          check();
        }),
      cancel: () => grpcCall.cancel(),
    };
  };
  /** A server-streaming call; resolves with every message once the server ends the stream. */
  const stream = async <T>(method: string, request: unknown, onMessage?: (message: T) => void) => {
    const opened = serverStream<T>(method, request, onMessage === undefined ? {} : { onMessage });
    await opened.ended;
    return [...opened.messages];
  };
  /** WatchPayment: the payment's current state, then each status change until a terminal one. */
  const watch = (paymentId: string, options: PlainStreamOptions<PlainWatchMessage> = {}) =>
    serverStream<PlainWatchMessage>("WatchPayment", { paymentId }, options);
  return { call, serverStream, stream, watch, close: () => client.close() };
}
