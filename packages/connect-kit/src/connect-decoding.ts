import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Compression,
  createAsyncIterable,
  encodeEnvelope,
  type UniversalHandler,
  type UniversalServerRequest,
  type UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJson, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import {
  decodeBinaryRequest,
  decodeJsonRequest,
  GrpcCode,
  PaymeshError,
  UndecodableRequest,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** The largest Connect request body read; the same bound grpc-js puts on a gRPC message. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const COMPRESSIONS: readonly Compression[] = [compressionGzip, compressionBrotli];

/** Flags of a Connect envelope: the message is compressed; the envelope ends a response stream. */
const COMPRESSED_FLAG = 0b01;
const END_STREAM_FLAG = 0b10;

/** How a Connect request's body is framed and encoded, from its content type. */
interface BodyFormat {
  codec: "json" | "proto";
  /** A streaming call's body: enveloped messages, compressed per message (connect-content-encoding). */
  stream: boolean;
}

/**
 * A Connect handler that decodes the request body itself before Connect does. Connect answers a
 * protobuf body it cannot parse INTERNAL, and a JSON one INVALID_ARGUMENT without ErrorInfo; here
 * either is answered as the gRPC server answers it: INVALID_ARGUMENT, ErrorInfo, the field when
 * known. That holds for unary calls and for server-streaming ones, whose one request message comes
 * in an envelope (a body that is not exactly one envelope is refused the same way: Connect would
 * answer a compressed envelope without an encoding INTERNAL). A body that decodes is handed on as
 * read, so Connect's own parse (the same protobuf-es decoding) succeeds. A body (or its decompressed
 * message) over MAX_REQUEST_BYTES is RESOURCE_EXHAUSTED. GET requests, content types that do not
 * fit the method and unknown encodings pass through for Connect to answer (415, UNIMPLEMENTED).
 */
export function decodeFirst(
  handler: UniversalHandler,
  refuse: (error: PaymeshError, request: UniversalServerRequest) => ConnectError,
): UniversalHandler {
  const guarded = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    const format = bodyFormat(request, handler);
    if (format === undefined || request.method !== "POST") return handler(request);
    const bytes = await readBody(request);
    // Answered here, never handed on: Connect given a body already part read would serve the rest.
    if (bytes === undefined) return errorResponse(refuse(tooLarge(), request), format);
    const decoded = await decodeBody(handler, format, request, bytes);
    if (decoded instanceof UndecodableRequest) {
      return errorResponse(refuse(decoded.error, request), format);
    }
    return handler({ ...request, body: createAsyncIterable([bytes]) });
  };
  return Object.assign(guarded, {
    requestPath: handler.requestPath,
    protocolNames: handler.protocolNames,
    allowedMethods: handler.allowedMethods,
    supportedContentType: handler.supportedContentType,
    method: handler.method,
    service: handler.service,
  });
}

/**
 * The body's format when it is a Connect request of the kind the method takes: unary content types
 * for a unary method, streaming ones for a server-streaming method; undefined for anything else.
 */
function bodyFormat(request: UniversalServerRequest, handler: UniversalHandler): BodyFormat | undefined {
  const type = request.header.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  const kind = handler.method.methodKind;
  if (kind === "unary") {
    if (type === "application/json") return { codec: "json", stream: false };
    if (type === "application/proto") return { codec: "proto", stream: false };
  } else if (kind === "server_streaming") {
    if (type === "application/connect+json") return { codec: "json", stream: true };
    if (type === "application/connect+proto") return { codec: "proto", stream: true };
  }
  return undefined;
}
/**
 * The whole body, or undefined when it is over MAX_REQUEST_BYTES. A body declared larger is not
 * read (the server discards it once answered); one that grows past the bound as it comes is read to
 * its end and dropped, as the webhook ingress does: stopping mid-way would reset the connection
 * under the caller before it reads the answer.
 */
async function readBody(request: UniversalServerRequest): Promise<Uint8Array | undefined> {
  const body = request.body;
  if (body instanceof Uint8Array) return body.length > MAX_REQUEST_BYTES ? undefined : body;
  if (typeof body !== "object" || body === null || !(Symbol.asyncIterator in body)) return new Uint8Array(0);
  if (Number(request.header.get("content-length") ?? 0) > MAX_REQUEST_BYTES) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  return size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks);
}

async function decodeBody(
  handler: UniversalHandler,
  format: BodyFormat,
  request: UniversalServerRequest,
  bytes: Uint8Array,
): Promise<unknown> {
  let message = bytes;
  let compressed = true;
  if (format.stream) {
    const envelope = oneEnvelope(bytes);
    if (envelope === undefined) {
      return new UndecodableRequest(
        new PaymeshError(
          ErrorReason.INVALID_FIELD,
          "the request body is not one enveloped message, as a Connect streaming call's must be",
        ),
      );
    }
    message = envelope.data;
    compressed = envelope.compressed;
  }
  const header = format.stream ? "connect-content-encoding" : "content-encoding";
  const encoding = request.header.get(header)?.trim().toLowerCase() ?? "identity";
  if (encoding === "identity" && format.stream && compressed) {
    return new UndecodableRequest(
      new PaymeshError(
        ErrorReason.INVALID_FIELD,
        "the request message is flagged compressed, but connect-content-encoding names no compression",
      ),
    );
  }
  if (encoding !== "identity" && compressed) {
    const compression = COMPRESSIONS.find((candidate) => candidate.name === encoding);
    // An encoding Connect does not take: Connect answers that itself.
    if (compression === undefined) return undefined;
    try {
      message = await compression.decompress(message, MAX_REQUEST_BYTES);
    } catch (error) {
      if (isTooLarge(error)) return new UndecodableRequest(tooLarge());
      return new UndecodableRequest(
        new PaymeshError(ErrorReason.INVALID_FIELD, `the request body is not valid ${encoding} data`),
      );
    }
  }
  return format.codec === "json"
    ? decodeJsonRequest(handler.method.input, message)
    : decodeBinaryRequest(handler.method.input, message);
}

/** Connect's error for a decompressed message past the bound. */
function isTooLarge(error: unknown): boolean {
  return error instanceof ConnectError && error.code === Code.ResourceExhausted;
}

/** RESOURCE_EXHAUSTED, as grpc-js answers a message past the same bound. */
function tooLarge(): PaymeshError {
  return new PaymeshError(
    ErrorReason.INVALID_FIELD,
    `the request body is larger than ${MAX_REQUEST_BYTES / (1024 * 1024)} MiB, the most a request may carry`,
    { code: GrpcCode.RESOURCE_EXHAUSTED },
  );
}

/** The one message of a streaming call's body (flags, a 32-bit big-endian length, the bytes), or undefined. */
function oneEnvelope(bytes: Uint8Array): { compressed: boolean; data: Uint8Array } | undefined {
  if (bytes.length < 5) return undefined;
  const flags = bytes[0] ?? 0;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  if ((flags & ~COMPRESSED_FLAG) !== 0 || bytes.length !== 5 + length) return undefined;
  return { compressed: (flags & COMPRESSED_FLAG) !== 0, data: bytes.subarray(5) };
}

/**
 * The refusal as Connect itself sends one: a unary call's as a JSON error body with the code's HTTP
 * status; a streaming call's as HTTP 200 with one end-of-stream envelope holding the error (in JSON
 * whichever the codec), as its content type asked.
 */
function errorResponse(error: ConnectError, format: BodyFormat): UniversalServerResponse {
  if (!format.stream) {
    return {
      status: codeToHttpStatus(error.code),
      header: new Headers({ "content-type": "application/json" }),
      body: createAsyncIterable([errorToJsonBytes(error, {})]),
    };
  }
  const end = new TextEncoder().encode(JSON.stringify({ error: errorToJson(error, {}) }));
  const envelope = encodeEnvelope(END_STREAM_FLAG, end);
  return {
    status: 200,
    header: new Headers({ "content-type": `application/connect+${format.codec}` }),
    body: createAsyncIterable([envelope]),
  };
}
