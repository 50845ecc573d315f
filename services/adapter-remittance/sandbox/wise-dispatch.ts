import type { ProviderHandler } from "@paymesh/sandbox-kit";
import { answerProviderRequest, findRoute, header, readBody, sendJson } from "@paymesh/sandbox-kit";
import { balanceStatementRoute, listBalancesRoute } from "./balance-routes.ts";
import { fundTransferRoute } from "./funding-route.ts";
import { createQuoteRoute, getQuoteRoute } from "./quote-routes.ts";
import { createRecipientRoute } from "./recipient-route.ts";
import {
  cancelTransferRoute,
  createTransferRoute,
  getTransferRoute,
  listTransfersRoute,
} from "./transfer-routes.ts";
import { WiseFailure } from "./wise-failure.ts";
import type { RouteContext, WiseRoute } from "./wise-route.ts";

const routes: readonly WiseRoute[] = [
  createQuoteRoute,
  getQuoteRoute,
  createRecipientRoute,
  createTransferRoute,
  getTransferRoute,
  listTransfersRoute,
  cancelTransferRoute,
  fundTransferRoute,
  listBalancesRoute,
  balanceStatementRoute,
];

/** The capture groups of `route` over the path when it serves it, absent groups as "". */
function pathParams(route: WiseRoute, pathname: string): string[] | undefined {
  return route.pattern
    .exec(pathname)
    ?.slice(1)
    .map((group) => group ?? "");
}

/**
 * The Wise API. Faults come first, none of them processing the request; a `failNext`
 * with an `endpoint` hits that endpoint only. Then the bearer token: Wise answers a bad one in
 * OAuth2 style, `401 {"error":"invalid_token",…}` (*unconfirmed* exact wording). A path no route
 * serves gets the simulator's error envelope (*unconfirmed* body).
 */
export function wiseApi(
  context: Pick<RouteContext, "state" | "notifier" | "report">,
  signal: AbortSignal,
): ProviderHandler {
  return async (request, response, url) => {
    const { state } = context;
    const found = findRoute(routes, request.method, (route) => pathParams(route, url.pathname));
    if (found.route === undefined) {
      const { wrongMethod } = found;
      return sendJson(response, wrongMethod ? 405 : 404, {
        errors: [
          {
            code: wrongMethod ? "METHOD_NOT_ALLOWED" : "NOT_FOUND",
            message: wrongMethod ? "Method not allowed" : "Not found",
          },
        ],
      });
    }
    const { route, params } = found;
    state.records.countRequest(route.endpoint);
    const rawBody = await readBody(request);
    await answerProviderRequest(request, response, {
      config: state.config,
      signal,
      failNextApplies: (failNext) => (failNext.endpoint ?? route.endpoint) === route.endpoint,
      injected: ({ status, code }) => ({
        status,
        body: { errors: [{ code, message: "Injected failure [simulator]" }] },
      }),
      handle() {
        if (header(request, "authorization") !== `Bearer ${state.options.apiToken}`) {
          return { status: 401, body: { error: "invalid_token", error_description: "Invalid token" } };
        }
        return route.handle({ ...context, params, url, rawBody });
      },
      failed(error) {
        if (!(error instanceof WiseFailure)) throw error;
        return { status: error.httpStatus, body: error.toBody() };
      },
    });
  };
}
