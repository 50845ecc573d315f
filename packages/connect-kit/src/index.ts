export { decodeFirst, MAX_REQUEST_BYTES } from "./connect-decoding.ts";
export { connectErrorOf } from "./connect-errors.ts";
export { type ConnectServingOptions, createConnectServing } from "./connect-serving.ts";
