import type { ProviderHandler } from "@paymesh/sandbox-kit";
import { answerProviderRequest, findRoute, readBody, sendAnswer } from "@paymesh/sandbox-kit";
import { cancelRoute } from "./cancel-route.ts";
import { chargeRoute } from "./charge-route.ts";
import { MidtransFailure } from "./midtrans-failure.ts";
import type { MidtransRoute, RouteContext } from "./route.ts";
import { settlementsRoute } from "./settlements-route.ts";
import { statusRoute } from "./status-route.ts";

const routes: readonly MidtransRoute[] = [chargeRoute, settlementsRoute, statusRoute, cancelRoute];

/** The order_id (or transaction_id) in the path when `route` serves it: capture group 1, or "". */
function pathId(route: MidtransRoute, pathname: string): string | undefined {
  const match = route.pattern.exec(pathname);
  return match === null ? undefined : decodeURIComponent(match[1] ?? "");
}

/**
 * The Midtrans API, answering each request with its route's JSON or its MidtransFailure, an
 * injected error for API routes, or the error of a path no route serves. Every error carries a
 * fresh request `id`.
 */
export function midtransApi(context: RouteContext, signal: AbortSignal): ProviderHandler {
  return async (request, response, url) => {
    const { state } = context;
    const found = findRoute(routes, request.method, (route) => pathId(route, url.pathname));
    if (found.route === undefined) {
      const failure = found.wrongMethod
        ? new MidtransFailure("405", "HTTP method is not allowed", { httpStatus: 405 })
        : new MidtransFailure("404", "The requested resource is not found", { httpStatus: 404 });
      return sendAnswer(response, failure.toAnswer(state.options.newId()));
    }
    const { route, params: id } = found;
    state.records.countRequest(route.endpoint);
    const rawBody = await readBody(request);
    const requestId = state.options.newId();
    await answerProviderRequest(request, response, {
      config: state.config,
      signal,
      faultsApply: route.transactional,
      injected({ statusCode, httpStatus }) {
        const options = httpStatus === undefined ? {} : { httpStatus };
        return new MidtransFailure(statusCode, "Injected failure [simulator]", options).toAnswer(requestId);
      },
      handle: () => ({ status: 200, body: route.handle(context, request, rawBody, id, url) }),
      failed: (error) =>
        (error instanceof MidtransFailure
          ? error
          : new MidtransFailure("500", "Internal server error")
        ).toAnswer(requestId),
    });
  };
}
