import {
  create,
  type DescMessage,
  type DescMethod,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import type { GenService, GenServiceMethods } from "@bufbuild/protobuf/codegenv2";
import {
  type ChannelCredentials,
  type ChannelOptions,
  Client,
  type ClientReadableStream,
  credentials,
  type CallOptions as GrpcCallOptions,
  Metadata,
  type ServiceError,
} from "@grpc/grpc-js";
import { grpcServiceDefinition } from "@paymesh/proto";
import { fromGrpcServiceError } from "./status-details.ts";

/** Per-call options for a GrpcClient method. */
export interface CallOptions {
  /** Absolute deadline; the server sees it as grpc-timeout and propagates it. */
  deadline?: Date;
  /** Cancels the call (the server sees CANCELLED). */
  signal?: AbortSignal;
  /** Extra request metadata, e.g. {authorization: "Bearer …"}. */
  metadata?: Record<string, string>;
}

type UnaryFn<M extends GenServiceMethods[string]> = (
  request: MessageInitShape<M["input"]>,
  options?: CallOptions,
) => Promise<MessageShape<M["output"]>>;

type ServerStreamFn<M extends GenServiceMethods[string]> = (
  request: MessageInitShape<M["input"]>,
  options?: CallOptions,
) => AsyncIterable<MessageShape<M["output"]>>;

/** A promise-based client for one protobuf-es service over one long-lived grpc-js channel. */
export type GrpcClient<S extends GenServiceMethods> = {
  [K in keyof S]: S[K]["methodKind"] extends "unary"
    ? UnaryFn<S[K]>
    : S[K]["methodKind"] extends "server_streaming"
      ? ServerStreamFn<S[K]>
      : never;
} & {
  /** Closes the channel; calls in flight fail. */
  close(): void;
  /** The underlying grpc-js client, for connectivity state and readiness waits. */
  readonly raw: Client;
};

/** Options for createGrpcClient. */
export interface GrpcClientOptions {
  /** @default insecure credentials (loopback and in-cluster mTLS sidecars) */
  credentials?: ChannelCredentials;
  channelOptions?: ChannelOptions;
  /** Metadata sent with every call, e.g. the caller's bearer token. */
  metadata?: Record<string, string>;
  /** Told about every finished unary call, for metrics: the method's name, its status code, how long. */
  onUnaryFinished?: (call: FinishedUnaryCall) => void;
}

/** A unary call as {@link GrpcClientOptions.onUnaryFinished} reports it. */
export interface FinishedUnaryCall {
  /** The RPC's name, e.g. "CreatePayment". */
  method: string;
  /** The gRPC status code, 0 for OK. */
  code: number;
  durationMs: number;
}

/**
 * Creates one client (one channel) for a service. Create it once and reuse it: a channel per
 * call would pay a TCP and HTTP/2 handshake on every payment. Errors reject as PaymeshError with
 * the reason the server sent.
 */
export function createGrpcClient<S extends GenServiceMethods>(
  service: GenService<S>,
  address: string,
  options: GrpcClientOptions = {},
): GrpcClient<S> {
  const client = new Client(address, options.credentials ?? credentials.createInsecure(), {
    "grpc.keepalive_time_ms": 30_000,
    ...options.channelOptions,
  });
  const definition = grpcServiceDefinition(service);
  const result: Record<string, unknown> = {
    close: () => client.close(),
    raw: client,
  };
  for (const method of service.methods as DescMethod[]) {
    const def = definition[method.localName];
    if (def === undefined) continue;
    const callMetadata = (callOptions: CallOptions): Metadata => {
      const metadata = new Metadata();
      for (const [key, value] of Object.entries({ ...options.metadata, ...callOptions.metadata })) {
        metadata.set(key, value);
      }
      return metadata;
    };
    const grpcOptions = (callOptions: CallOptions): GrpcCallOptions =>
      callOptions.deadline === undefined ? {} : { deadline: callOptions.deadline };
    if (method.methodKind === "unary") {
      result[method.localName] = (request: MessageInitShape<DescMessage>, callOptions: CallOptions = {}) =>
        new Promise((resolve, reject) => {
          const started = performance.now();
          const call = client.makeUnaryRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            create(method.input, request),
            callMetadata(callOptions),
            grpcOptions(callOptions),
            (error: ServiceError | null, response?: unknown) => {
              callOptions.signal?.removeEventListener("abort", onAbort);
              options.onUnaryFinished?.({
                method: method.name,
                code: error ? error.code : 0,
                durationMs: performance.now() - started,
              });
              if (error) reject(fromGrpcServiceError(error));
              else resolve(response);
            },
          );
          const onAbort = (): void => call.cancel();
          // A signal aborted before the call was made fires no event: cancel at once, or the call
          // would wait out its deadline for an answer nobody wants.
          if (callOptions.signal?.aborted) onAbort();
          else callOptions.signal?.addEventListener("abort", onAbort, { once: true });
        });
    } else if (method.methodKind === "server_streaming") {
      result[method.localName] = (request: MessageInitShape<DescMessage>, callOptions: CallOptions = {}) =>
        readStream(
          client.makeServerStreamRequest(
            def.path,
            def.requestSerialize,
            def.responseDeserialize,
            create(method.input, request),
            callMetadata(callOptions),
            grpcOptions(callOptions),
          ),
          callOptions.signal,
        );
    }
  }
  return result as GrpcClient<S>;
}

async function* readStream<T>(
  stream: ClientReadableStream<T>,
  signal: AbortSignal | undefined,
): AsyncIterable<T> {
  const onAbort = (): void => stream.cancel();
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const message of stream) yield message as T;
  } catch (error) {
    throw fromGrpcServiceError(error as ServiceError);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.cancel();
  }
}
