import type { IncomingMessage, ServerResponse } from "node:http";
import { injectFaults, readBody, sendJson } from "@paymesh/sandbox-kit";
import { MidtransFailure } from "./midtrans-failure.ts";
import type { MidtransRoute, RouteContext } from "./route.ts";

/**
 * Runs one API request through fault injection and its route, answering the route's JSON or its
 * MidtransFailure. Faults apply in the order a real outage shows them: a reset connection (body
 * read, no answer), then latency, then an injected error.
 */
export async function dispatch(
  context: RouteContext,
  route: MidtransRoute,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const { state } = context;
  state.countRequest(route.endpoint);
  const rawBody = await readBody(request);
  const requestId = state.options.newId();
  if (route.transactional) {
    const fault = await injectFaults(state.config, request, { signal });
    if (fault.kind === "reset") return;
    if (fault.kind === "fail") {
      const { statusCode, httpStatus } = fault.failNext;
      const failure = new MidtransFailure(statusCode, "Injected failure [simulator]", {
        ...(httpStatus === undefined ? {} : { httpStatus }),
      });
      return sendJson(response, failure.httpStatus, failure.toBody(requestId));
    }
  }
  const id = decodeURIComponent(route.pattern.exec(url.pathname)?.[1] ?? "");
  try {
    sendJson(response, 200, route.handle(context, request, rawBody, id, url));
  } catch (error) {
    const failure =
      error instanceof MidtransFailure ? error : new MidtransFailure("500", "Internal server error");
    sendJson(response, failure.httpStatus, failure.toBody(requestId));
  }
}

/** The answer for a path no route serves, in Midtrans's error shape. */
export function sendNotFound(response: ServerResponse, wrongMethod: boolean, requestId: string): void {
  const failure = wrongMethod
    ? new MidtransFailure("405", "HTTP method is not allowed", { httpStatus: 405 })
    : new MidtransFailure("404", "The requested resource is not found", { httpStatus: 404 });
  sendJson(response, failure.httpStatus, failure.toBody(requestId));
}
