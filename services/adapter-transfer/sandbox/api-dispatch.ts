import type { IncomingMessage, ServerResponse } from "node:http";
import { injectFaults, readBody, sendJson } from "@paymesh/sandbox-kit";
import type { ApiRoute, RouteContext } from "./api-route.ts";
import { XenditFailure } from "./xendit-failure.ts";

/**
 * Runs one API request through fault injection and its route, answering the route's result or
 * its XenditFailure. Faults apply in the order a real outage shows them: a reset connection (body
 * read, no answer), then latency, then an injected error code.
 */
export async function dispatchApi(
  context: RouteContext,
  route: ApiRoute,
  params: Record<string, string>,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const { state } = context;
  state.countRequest(route.endpoint);
  const rawBody = await readBody(request);
  const fault = await injectFaults(state.config, request, { signal });
  if (fault.kind === "reset") return;
  if (fault.kind === "fail") {
    const failure = new XenditFailure(fault.failNext.error_code, "[injected by the simulator]");
    return sendJson(response, failure.httpStatus, failure.toBody());
  }
  try {
    sendJson(response, 200, route.handle(context, request, rawBody, url, params));
  } catch (error) {
    const failure = error instanceof XenditFailure ? error : new XenditFailure("SERVER_ERROR");
    sendJson(response, failure.httpStatus, failure.toBody());
  }
}

/** The answer for a path or method no route serves, in Xendit's error shape (*unconfirmed* code). */
export function sendNotFound(response: ServerResponse): void {
  const failure = new XenditFailure("NOT_FOUND");
  sendJson(response, failure.httpStatus, failure.toBody());
}
