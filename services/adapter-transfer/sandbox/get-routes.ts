import type { ApiRoute } from "./api-route.ts";
import { disbursementView } from "./disbursement-view.ts";
import { authenticate } from "./request-auth.ts";
import { XenditFailure } from "./xendit-failure.ts";

/**
 * `GET /disbursements/{id}`: one disbursement. Unknown ids are 404 `DISBURSEMENT_NOT_FOUND_ERROR`
 * (*unconfirmed* code). Either key may read.
 */
export const getByIdRoute: ApiRoute = {
  method: "GET",
  endpoint: "get-disbursement",
  match(pathname) {
    const match = /^\/disbursements\/([^/]+)$/.exec(pathname);
    return match === null ? undefined : { id: decodeURIComponent(match[1] ?? "") };
  },
  handle({ state }, request, _rawBody, _url, params) {
    authenticate(state, request);
    const disbursement = state.disbursements.byId(params.id ?? "");
    if (disbursement === undefined) throw new XenditFailure("DISBURSEMENT_NOT_FOUND_ERROR");
    return disbursementView(disbursement);
  },
};

/**
 * `GET /disbursements?external_id=…`: every disbursement with that external_id, newest first
 * (*unconfirmed*: Xendit's reference does not state the order; newest first is what list endpoints
 * of its API do, and an adapter must not rely on either), as a JSON array (external_id is not
 * unique on Xendit). None is 404 `DISBURSEMENT_NOT_FOUND_ERROR`;
 * whether Xendit answers 404 or `[]` is *unconfirmed*, and the adapter accepts both.
 */
export const getByExternalIdRoute: ApiRoute = {
  method: "GET",
  endpoint: "get-disbursements-by-external-id",
  match: (pathname) => (pathname === "/disbursements" ? {} : undefined),
  handle({ state }, request, _rawBody, url) {
    authenticate(state, request);
    const externalId = url.searchParams.get("external_id");
    if (externalId === null || externalId === "") {
      throw new XenditFailure("API_VALIDATION_ERROR", '"external_id" is required');
    }
    const found = state.disbursements.byExternalId(externalId);
    if (found.length === 0) throw new XenditFailure("DISBURSEMENT_NOT_FOUND_ERROR");
    return found.map(disbursementView);
  },
};
