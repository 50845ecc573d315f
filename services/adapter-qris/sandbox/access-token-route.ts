import { SnapServiceCode, snapCaseCode } from "@paymesh/snap";
import { readFields } from "./body-fields.ts";
import { checkAccessTokenRequest } from "./request-auth.ts";
import { snapFailure } from "./snap-failure.ts";
import type { SnapRoute } from "./snap-route.ts";

const serviceCode = SnapServiceCode.accessToken;

/** `POST /v1.0/access-token/b2b` (docs/providers.md, "Access token (B2B)"). */
export const accessTokenRoute: SnapRoute = {
  method: "POST",
  path: "/v1.0/access-token/b2b",
  endpoint: "access-token",
  serviceCode,
  transactional: false,
  handle({ state }, request, rawBody) {
    checkAccessTokenRequest(state, request, serviceCode);
    const grantType = readFields(rawBody, serviceCode).string("grantType", 32);
    if (grantType !== "client_credentials")
      throw snapFailure("invalidFieldFormat", serviceCode, "{grantType}");
    const { accessToken, expiresInSeconds } = state.tokens.issue();
    return {
      responseCode: snapCaseCode("success", serviceCode),
      responseMessage: "Successful",
      accessToken,
      tokenType: "Bearer",
      // A string, as docs/providers.md documents it.
      expiresIn: String(expiresInSeconds),
    };
  },
};
