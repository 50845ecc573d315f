// @paymesh/telemetry: what every Paymesh process sets up once to be observed.
export const TELEMETRY_PACKAGE = "@paymesh/telemetry";
