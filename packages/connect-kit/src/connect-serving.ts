import type { IncomingMessage, ServerResponse } from "node:http";
import { type ConnectError, type ConnectRouter, createConnectRouter } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import {
  compressionBrotli,
  compressionGzip,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "@connectrpc/connect-node";
import type { PaymeshError } from "@paymesh/adapter-kit";
import { decodeFirst, MAX_REQUEST_BYTES } from "./connect-decoding.ts";

/** Options for {@link createConnectServing}. */
export interface ConnectServingOptions {
  /** Registers the services served: `router.service(Desc, implementation)`. */
  routes(router: ConnectRouter): void;
  /**
   * The answer to a request whose body does not decode, given the handler it was sent to. Serve it
   * as the gRPC server does: authenticate the caller first, so a stranger learns nothing about its
   * request, then answer `error` (connectErrorOf).
   */
  refuse(error: PaymeshError, request: UniversalServerRequest, handler: UniversalHandler): ConnectError;
  /** Told of each request to a served path as it arrives, before its body is read (to time it). */
  onRequest?(request: UniversalServerRequest): void;
}

/**
 * Protobuf services in the Connect protocol (JSON or binary, unary and server streaming, gzip and
 * brotli; not gRPC or gRPC-Web, which connectNodeAdapter would also take) on a node:http server, as connectNodeAdapter serves them, except that every request body
 * is decoded by our decoders before Connect sees it (connect-decoding.ts): a body that does not
 * decode is INVALID_ARGUMENT with ErrorInfo, as on gRPC, never Connect's INTERNAL. Returns a
 * listener that answers a request to one of the services' paths and returns true, or returns false
 * and leaves any other path to its caller (health, metrics, webhooks, a 404).
 */
export function createConnectServing(
  options: ConnectServingOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const router = createConnectRouter({
    // The Connect protocol only: gRPC has its own port, and gRPC-Web's bodies are not decoded first.
    grpc: false,
    grpcWeb: false,
    acceptCompression: [compressionGzip, compressionBrotli],
    readMaxBytes: MAX_REQUEST_BYTES,
  });
  options.routes(router);
  const paths = new Map(
    router.handlers.map((handler) => [
      handler.requestPath,
      decodeFirst(handler, (error, request) => options.refuse(error, request, handler)),
    ]),
  );
  return (req, res) => {
    const handler = paths.get((req.url ?? "").split("?", 2)[0] ?? "");
    if (handler === undefined) return false;
    const request = universalRequestFromNodeRequest(req, res, undefined, undefined);
    options.onRequest?.(request);
    handler(request)
      .then((answer) => universalResponseToNodeResponse(answer, res))
      .catch(() => {
        // The response is already under way or the client went away: nothing left to answer.
        res.destroy();
      });
    return true;
  };
}
