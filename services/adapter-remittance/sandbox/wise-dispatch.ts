import type { IncomingMessage, ServerResponse } from "node:http";
import { header, injectFaults, readBody, sendJson } from "@paymesh/sandbox-kit";
import type { Notifier } from "./notifier.ts";
import type { SimState } from "./sim-state.ts";
import { WiseFailure } from "./wise-failure.ts";
import type { WiseRoute } from "./wise-route.ts";

/**
 * Runs one API request through fault injection, authentication and its route. Faults apply in the
 * order a real outage shows them: a reset connection (body read, no answer), then latency, then an
 * injected error; none of them processes the request. Then the bearer token: Wise answers a bad
 * one in OAuth2 style, `401 {"error":"invalid_token",…}` (*unconfirmed* exact wording).
 */
export async function dispatchWise(
  context: { state: SimState; notifier: Notifier },
  route: WiseRoute,
  params: string[],
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  signal: AbortSignal,
): Promise<void> {
  const { state } = context;
  state.countRequest(route.endpoint);
  const rawBody = await readBody(request);
  const fault = await injectFaults(state.config, request, {
    signal,
    failNextApplies: (failNext) => (failNext.endpoint ?? route.endpoint) === route.endpoint,
  });
  if (fault.kind === "reset") return;
  if (fault.kind === "fail") {
    return sendJson(response, fault.failNext.status, {
      errors: [{ code: fault.failNext.code, message: "Injected failure [simulator]" }],
    });
  }
  if (header(request, "authorization") !== `Bearer ${state.options.apiToken}`) {
    return sendJson(response, 401, { error: "invalid_token", error_description: "Invalid token" });
  }
  try {
    const answer = await route.handle({ ...context, params, url, rawBody });
    sendJson(response, answer.status, answer.body);
  } catch (error) {
    if (!(error instanceof WiseFailure)) throw error;
    sendJson(response, error.httpStatus, error.toBody());
  }
}

/** The answer for a path no route serves (*unconfirmed* body; the simulator's error envelope). */
export function sendNotFound(response: ServerResponse, wrongMethod: boolean): void {
  sendJson(response, wrongMethod ? 405 : 404, {
    errors: [
      {
        code: wrongMethod ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
        message: wrongMethod ? "Method not allowed" : "Not found",
      },
    ],
  });
}
