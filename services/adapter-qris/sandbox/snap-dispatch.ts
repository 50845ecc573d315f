import type { IncomingMessage, ServerResponse } from "node:http";
import { injectFaults, readBody, sendJson } from "@paymesh/sandbox-kit";
import { snapResponseCode } from "@paymesh/snap";
import { rawSnapFailure, SnapFailure, snapFailure } from "./snap-failure.ts";
import type { SnapRoute, SnapRouteContext } from "./snap-route.ts";

/**
 * Runs one SNAP request through fault injection and its route, answering the route's result or
 * its SnapFailure. Faults apply in the order a real outage would show them: a reset connection
 * (body read, no answer), then latency, then an injected error code.
 */
export async function dispatchSnap(
  context: SnapRouteContext,
  route: SnapRoute,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const { state } = context;
  state.countRequest(route.endpoint);
  const rawBody = await readBody(request);
  if (route.transactional) {
    const fault = await injectFaults(state.config, request, { signal });
    if (fault.kind === "reset") return;
    if (fault.kind === "fail") {
      const failure = rawSnapFailure(fault.failNext.responseCode, "Injected failure [simulator]");
      return sendJson(response, failure.httpStatus, failure.toBody());
    }
  }
  try {
    sendJson(response, 200, route.handle(context, request, rawBody, url));
  } catch (error) {
    const failure = error instanceof SnapFailure ? error : snapFailure("generalError", route.serviceCode);
    sendJson(response, failure.httpStatus, failure.toBody());
  }
}

/** The answer for a path no route serves, in SNAP's error shape. */
export function sendNotFound(response: ServerResponse, wrongMethod: boolean): void {
  const status = wrongMethod ? 405 : 404;
  sendJson(response, status, {
    responseCode: snapResponseCode(status, "00", "00"),
    responseMessage: wrongMethod ? "Requested Function Is Not Supported" : "Not Found",
  });
}
