import type { IncomingMessage, ServerResponse } from "node:http";
import { type FailNext, type FaultConfig, injectFaults } from "./fault-injection.ts";
import { sendJson } from "./http-io.ts";

/** One answer of a provider route: its HTTP status and its JSON body, in the provider's shape. */
export interface ProviderAnswer {
  status: number;
  body: unknown;
}

/** Serves a simulator's provider API: every request outside `/sim/`, parsed `url` included. */
export type ProviderHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

/** Writes `answer` as JSON. */
export function sendAnswer(response: ServerResponse, answer: ProviderAnswer): void {
  sendJson(response, answer.status, answer.body);
}

/** The route a request lands on and what its path gave, or why no route serves it. */
export type FoundRoute<R, P> = { route: R; params: P } | { route: undefined; wrongMethod: boolean };

/**
 * Finds the route of `method` among those whose path `match` accepts (returning what the path gives
 * the handler: an id, capture groups). `wrongMethod` tells a 405 (the path exists) from a 404.
 */
export function findRoute<R extends { method: string }, P>(
  routes: readonly R[],
  method: string | undefined,
  match: (route: R) => P | undefined,
): FoundRoute<R, P> {
  let pathKnown = false;
  for (const route of routes) {
    const params = match(route);
    if (params === undefined) continue;
    if (route.method === method) return { route, params };
    pathKnown = true;
  }
  return { route: undefined, wrongMethod: pathKnown };
}

/** How a simulator answers one provider request whose body it has read. */
export interface ProviderRequestHandling<F extends FailNext> {
  /** The simulator's config, whose fault counters go down as they hit. */
  config: FaultConfig<F>;
  /** The simulator closing: ends a latency wait. */
  signal: AbortSignal;
  /** False for a route faults never hit, e.g. a token fetch or a report. @default true */
  faultsApply?: boolean;
  /** Whether `failNext` is aimed at this request, e.g. at one endpoint only. @default always */
  failNextApplies?: (failNext: F) => boolean;
  /** The injected error, in the provider's shape. */
  injected(failNext: F): ProviderAnswer;
  /** Processes the request. */
  handle(): ProviderAnswer | Promise<ProviderAnswer>;
  /** The provider's answer to what `handle` threw; rethrowing leaves it to the server's last resort. */
  failed(error: unknown): ProviderAnswer;
}

/**
 * Answers one provider request after its body was read: injected faults first, in the order a real
 * outage shows them (a reset connection gets no answer, then latency, then an injected error that
 * skips processing), then the route's answer or the provider's answer to its failure.
 */
export async function answerProviderRequest<F extends FailNext>(
  request: IncomingMessage,
  response: ServerResponse,
  handling: ProviderRequestHandling<F>,
): Promise<void> {
  if (handling.faultsApply ?? true) {
    const { signal, failNextApplies } = handling;
    const fault = await injectFaults(handling.config, request, {
      signal,
      ...(failNextApplies === undefined ? {} : { failNextApplies }),
    });
    if (fault.kind === "reset") return;
    if (fault.kind === "fail") return sendAnswer(response, handling.injected(fault.failNext));
  }
  let answer: ProviderAnswer;
  try {
    answer = await handling.handle();
  } catch (error) {
    answer = handling.failed(error);
  }
  sendAnswer(response, answer);
}
