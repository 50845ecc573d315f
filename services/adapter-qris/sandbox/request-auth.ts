import type { IncomingMessage } from "node:http";
import { header } from "@paymesh/sandbox-kit";
import {
  parseSnapTimestamp,
  SnapHeader,
  verifyAccessTokenSignature,
  verifySymmetricSignature,
} from "@paymesh/snap";
import type { SimState } from "./sim-state.ts";
import { snapFailure } from "./snap-failure.ts";

/**
 * Checks X-TIMESTAMP: present (`400xx02`), well-formed (`400xx01`) and within the tolerance of the
 * clock (`401xx00`), which bounds how long a captured signed request stays replayable.
 */
export function checkTimestamp(state: SimState, request: IncomingMessage, serviceCode: string): string {
  const timestamp = header(request, SnapHeader.timestamp);
  if (timestamp === undefined || timestamp === "") {
    throw snapFailure("missingMandatoryField", serviceCode, `{${SnapHeader.timestamp}}`);
  }
  let sent: Date;
  try {
    sent = parseSnapTimestamp(timestamp);
  } catch {
    throw snapFailure("invalidFieldFormat", serviceCode, `{${SnapHeader.timestamp}}`);
  }
  const skewMs = Math.abs(sent.getTime() - state.options.clock().getTime());
  if (skewMs > state.options.timestampToleranceSeconds * 1000) {
    throw snapFailure("unauthorized", serviceCode, "[X-TIMESTAMP out of range]");
  }
  return timestamp;
}

function required(request: IncomingMessage, name: string, serviceCode: string): string {
  const value = header(request, name);
  if (value === undefined || value === "")
    throw snapFailure("missingMandatoryField", serviceCode, `{${name}}`);
  return value;
}

/** Authenticates `POST /v1.0/access-token/b2b`: client key and RSA signature over `clientId|timestamp`. */
export function checkAccessTokenRequest(
  state: SimState,
  request: IncomingMessage,
  serviceCode: string,
): void {
  const timestamp = checkTimestamp(state, request, serviceCode);
  const clientId = required(request, SnapHeader.clientKey, serviceCode);
  const signature = required(request, SnapHeader.signature, serviceCode);
  if (clientId !== state.options.clientId) throw snapFailure("unauthorized", serviceCode, "[Unknown client]");
  const publicKey = state.options.partnerPublicKey;
  if (!verifyAccessTokenSignature({ clientId, timestamp, signature, publicKey })) {
    throw snapFailure("unauthorized", serviceCode, "[Signature]");
  }
}

/**
 * Authenticates a transaction request in the order a bank gateway would: token (`401xx01`),
 * timestamp, HMAC over the raw body received (`401xx00`), partner and channel, then X-EXTERNAL-ID
 * (`409xx00` when reused the same day). The external id is claimed only once the request is
 * authentic, so a rejected forgery cannot burn a partner's id.
 */
export function checkTransactionRequest(
  state: SimState,
  request: IncomingMessage,
  rawBody: Buffer,
  route: { path: string; serviceCode: string },
): { externalId: string } {
  const { serviceCode } = route;
  const authorization = header(request, SnapHeader.authorization) ?? "";
  const accessToken = /^Bearer (\S+)$/i.exec(authorization)?.[1];
  if (accessToken === undefined || !state.tokens.isValid(accessToken))
    throw snapFailure("invalidToken", serviceCode);
  const timestamp = checkTimestamp(state, request, serviceCode);
  const signature = required(request, SnapHeader.signature, serviceCode);
  const method = request.method ?? "POST";
  const { clientSecret } = state.options;
  const input = { method, path: route.path, accessToken, body: rawBody, timestamp, clientSecret, signature };
  if (!verifySymmetricSignature(input)) throw snapFailure("unauthorized", serviceCode, "[Signature]");
  if (required(request, SnapHeader.partnerId, serviceCode) !== state.options.partnerId) {
    throw snapFailure("unauthorized", serviceCode, "[Unknown partner]");
  }
  const channelId = required(request, SnapHeader.channelId, serviceCode);
  if (!/^\d{5}$/.test(channelId))
    throw snapFailure("invalidFieldFormat", serviceCode, `{${SnapHeader.channelId}}`);
  if (channelId !== state.options.channelId)
    throw snapFailure("unauthorized", serviceCode, "[Unknown channel]");
  const externalId = required(request, SnapHeader.externalId, serviceCode);
  if (externalId.length > 36)
    throw snapFailure("invalidFieldFormat", serviceCode, `{${SnapHeader.externalId}}`);
  if (!state.claimExternalId(externalId)) throw snapFailure("duplicateExternalId", serviceCode);
  return { externalId };
}
