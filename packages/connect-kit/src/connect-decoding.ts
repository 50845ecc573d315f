import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Compression,
  createAsyncIterable,
  readAllBytes,
  type UniversalHandler,
  type UniversalServerRequest,
  type UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import { codeToHttpStatus, errorToJsonBytes } from "@connectrpc/connect/protocol-connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import {
  decodeBinaryRequest,
  decodeJsonRequest,
  PaymeshError,
  UndecodableRequest,
} from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";

/** The largest Connect request body read; the same bound grpc-js puts on a gRPC message. */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

const COMPRESSIONS: readonly Compression[] = [compressionGzip, compressionBrotli];

/**
 * A Connect handler that decodes a unary request body itself before Connect does. Connect answers a
 * protobuf body it cannot parse INTERNAL, and a JSON one INVALID_ARGUMENT without ErrorInfo; here
 * either is answered as the gRPC server answers it: INVALID_ARGUMENT, ErrorInfo, the field when
 * known. A body that decodes is handed on as read, so Connect's own parse (the same protobuf-es
 * decoding) succeeds. Streaming requests and other protocols pass through untouched.
 */
export function decodeFirst(
  handler: UniversalHandler,
  refuse: (error: PaymeshError, request: UniversalServerRequest) => ConnectError,
): UniversalHandler {
  const guarded = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    const format = unaryFormat(request);
    if (format === undefined || request.method !== "POST") return handler(request);
    let bytes: Uint8Array;
    try {
      bytes = await readBody(request);
    } catch (error) {
      if (error instanceof ConnectError && error.code === Code.ResourceExhausted) return handler(request);
      throw error;
    }
    const decoded = await decodeBody(handler, format, request, bytes);
    if (decoded instanceof UndecodableRequest) return errorResponse(refuse(decoded.error, request));
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

/** "json" or "proto" for a Connect unary request; undefined for anything else. */
function unaryFormat(request: UniversalServerRequest): "json" | "proto" | undefined {
  const type = request.header.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/proto") return "proto";
  return undefined;
}

async function readBody(request: UniversalServerRequest): Promise<Uint8Array> {
  const body = request.body;
  if (body instanceof Uint8Array) return body;
  if (typeof body === "object" && body !== null && Symbol.asyncIterator in body) {
    return readAllBytes(
      body as AsyncIterable<Uint8Array>,
      MAX_REQUEST_BYTES,
      request.header.get("content-length"),
    );
  }
  return new Uint8Array(0);
}

async function decodeBody(
  handler: UniversalHandler,
  format: "json" | "proto",
  request: UniversalServerRequest,
  bytes: Uint8Array,
): Promise<unknown> {
  const encoding = request.header.get("content-encoding")?.trim().toLowerCase() ?? "identity";
  let plain = bytes;
  if (encoding !== "identity") {
    const compression = COMPRESSIONS.find((candidate) => candidate.name === encoding);
    // An encoding Connect does not take: Connect answers that itself.
    if (compression === undefined) return undefined;
    try {
      plain = await compression.decompress(bytes, MAX_REQUEST_BYTES);
    } catch {
      return new UndecodableRequest(
        new PaymeshError(ErrorReason.INVALID_FIELD, `the request body is not valid ${encoding} data`),
      );
    }
  }
  return format === "json"
    ? decodeJsonRequest(handler.method.input, plain)
    : decodeBinaryRequest(handler.method.input, plain);
}

function errorResponse(error: ConnectError): UniversalServerResponse {
  return {
    status: codeToHttpStatus(error.code),
    header: new Headers({ "content-type": "application/json" }),
    body: createAsyncIterable([errorToJsonBytes(error, {})]),
  };
}
