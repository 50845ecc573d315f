// What an adapter team (and the router) imports. The conformance suite is a separate entry point,
// "@paymesh/adapter-kit/conformance", so production code never loads the test runner.

export { type AdapterMainOptions, runAdapterMain } from "./adapter-main.ts";
export { type Authenticator, createAuthenticator } from "./bearer-auth.ts";
export {
  ConfigError,
  type EnvShape,
  env,
  type ListenConfig,
  readEnv,
  readListenEnv,
  readRetryEnv,
} from "./env-config.ts";
export {
  isRecord,
  type JsonRecord,
  jsonNumber,
  parseExactJson,
  plainDecimal,
  rewriteJson,
} from "./exact-json.ts";
export {
  type CallOptions,
  createGrpcClient,
  type FinishedUnaryCall,
  type GrpcClient,
  type GrpcClientOptions,
} from "./grpc-client.ts";
export { type HttpExchange, type ProviderExchangeInit, toExchangeInit } from "./http-exchange.ts";
export {
  createMasker,
  MASK_RULES,
  type Masker,
  type MaskerOptions,
  type MaskRules,
  maskAccountNumber,
  maskName,
  REDACTED,
} from "./masker.ts";
export { currencyExponent, formatMinorUnits, parseDecimalAmount, validateMoney } from "./money.ts";
export type { PaymentProvider, ProviderCallContext, SettlementItem } from "./payment-provider.ts";
export {
  defaultCodeFor,
  ERROR_DOMAIN,
  GrpcCode,
  invalidField,
  isPaymeshError,
  missingField,
  PaymeshError,
  type PaymeshErrorOptions,
  reasonFromName,
  reasonName,
} from "./paymesh-error.ts";
export {
  type JsonReadOptions,
  jsonObject,
  jsonObjectOf,
  jsonValue,
  malformedAnswer,
} from "./provider-answer.ts";
export {
  type AttemptReading,
  connectionOptions,
  createProviderClient,
  type ProviderAnswer,
  type ProviderClient,
  type ProviderClientOptions,
  type ProviderConnectionOptions,
  type ProviderRequest,
  type ProviderRetryOptions,
  type RepeatRule,
} from "./provider-client.ts";
export {
  createProviderHttp,
  type ProviderHttp,
  type ProviderHttpAnswer,
  type ProviderHttpOptions,
  type ProviderHttpRequest,
} from "./provider-http.ts";
export {
  nothingCreated,
  outcomeError,
  type ProviderCallDescription,
  type ProviderOutcome,
  recordedCall,
  settleByLookup,
  transportFailure,
} from "./provider-outcome.ts";
export {
  describeTransportError,
  isProviderTransportError,
  maySendHaveHappened,
  ProviderTransportError,
  type ProviderTransportErrorInit,
} from "./provider-transport-error.ts";
export {
  reportUnknownProviderValue,
  type UnknownProviderValue,
  type UnknownValueSink,
  unknownProviderValueCounts,
} from "./provider-vocabulary.ts";
export { createPublicErrors, type PublicErrors, type PublicErrorsOptions } from "./public-error.ts";
export { decodeBinaryRequest, decodeJsonRequest, UndecodableRequest } from "./request-decoding.ts";
export {
  addReflection,
  callContext,
  type ServeAdapterOptions,
  type ServedAdapter,
  serveAdapter,
  shutdownServer,
} from "./serve-adapter.ts";
export {
  checkBusinessDate,
  type LineFacts,
  type LinePlace,
  maskedLinesOf,
  pageThrough,
  readLine,
  reportAmount,
  reportText,
  UnreadableLine,
} from "./settlement-report.ts";
export {
  decodeStatusDetails,
  encodeStatusDetails,
  fromGrpcServiceError,
  STATUS_DETAILS_KEY,
  toGrpcServiceError,
} from "./status-details.ts";
export { validateCreatePayment, validatePaymentLookup } from "./validate-adapter-request.ts";
export {
  CLAIMED_PAYMENT_ID_KEY,
  CLAIMED_PROVIDER_REFERENCE_KEY,
  type WebhookClaims,
  webhookClaimsMetadata,
} from "./webhook-claims.ts";
