import type { ProviderHandler } from "@paymesh/sandbox-kit";
import { answerProviderRequest, findRoute, readBody, sendAnswer } from "@paymesh/sandbox-kit";
import type { ApiRoute, RouteContext } from "./api-route.ts";
import { createRoute } from "./create-route.ts";
import { getByExternalIdRoute, getByIdRoute } from "./get-routes.ts";
import { transactionsRoute } from "./transactions-route.ts";
import { XenditFailure } from "./xendit-failure.ts";

const routes: readonly ApiRoute[] = [createRoute, getByExternalIdRoute, getByIdRoute, transactionsRoute];

/**
 * The Xendit API, answering each request with its route's result or XenditFailure, an injected
 * error code, or NOT_FOUND for a path or method no route serves (*unconfirmed* code; no 405).
 */
export function xenditApi(context: RouteContext, signal: AbortSignal): ProviderHandler {
  return async (request, response, url) => {
    const found = findRoute(routes, request.method, (route) => route.match(url.pathname));
    if (found.route === undefined) return sendAnswer(response, new XenditFailure("NOT_FOUND").toAnswer());
    const { route, params } = found;
    context.state.records.countRequest(route.endpoint);
    const rawBody = await readBody(request);
    await answerProviderRequest(request, response, {
      config: context.state.config,
      signal,
      injected: (failNext) =>
        new XenditFailure(failNext.error_code, "[injected by the simulator]").toAnswer(),
      handle: () => ({ status: 200, body: route.handle(context, request, rawBody, url, params) }),
      failed: (error) =>
        (error instanceof XenditFailure ? error : new XenditFailure("SERVER_ERROR")).toAnswer(),
    });
  };
}
