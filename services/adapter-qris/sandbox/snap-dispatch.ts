import type { ProviderHandler } from "@paymesh/sandbox-kit";
import { answerProviderRequest, findRoute, readBody, sendJson } from "@paymesh/sandbox-kit";
import { publishedSnapCase, snapResponseCode } from "@paymesh/snap";
import { accessTokenRoute } from "./access-token-route.ts";
import { cancelRoute } from "./cancel-route.ts";
import { generateRoute } from "./generate-route.ts";
import { queryRoute } from "./query-route.ts";
import { settlementsRoute } from "./settlements-route.ts";
import { rawSnapFailure, SnapFailure, snapFailure } from "./snap-failure.ts";
import type { SnapRoute, SnapRouteContext } from "./snap-route.ts";

const routes: readonly SnapRoute[] = [
  accessTokenRoute,
  generateRoute,
  queryRoute,
  cancelRoute,
  settlementsRoute,
];

/**
 * The SNAP API, answering each request with its route's result or SnapFailure, an injected error
 * code for transaction routes, or SNAP's not-found shape for a path (or method) no route serves.
 */
export function snapApi(context: SnapRouteContext, signal: AbortSignal): ProviderHandler {
  return async (request, response, url) => {
    const found = findRoute(routes, request.method, (route) =>
      route.path === url.pathname ? {} : undefined,
    );
    if (found.route === undefined) {
      const status = found.wrongMethod ? 405 : 404;
      return sendJson(response, status, {
        responseCode: snapResponseCode(status, "00", "00"),
        responseMessage: found.wrongMethod ? "Requested Function Is Not Supported" : "Not Found",
      });
    }
    const { route } = found;
    context.state.records.countRequest(route.endpoint);
    const rawBody = await readBody(request);
    await answerProviderRequest(request, response, {
      config: context.state.config,
      signal,
      faultsApply: route.transactional,
      // The standard's message for a published code, so an injected answer reads like a bank's.
      injected: (failNext) =>
        rawSnapFailure(
          failNext.responseCode,
          publishedSnapCase(failNext.responseCode)?.message ?? "Injected failure [simulator]",
        ).toAnswer(),
      handle: () => ({ status: 200, body: route.handle(context, request, rawBody, url) }),
      failed: (error) =>
        (error instanceof SnapFailure ? error : snapFailure("generalError", route.serviceCode)).toAnswer(),
    });
  };
}
