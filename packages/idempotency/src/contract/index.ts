// The contract suite every IdempotencyStore implementation runs (package export "./contract").
// It imports vitest, so it lives apart from the runtime exports in ../index.ts.
export type { ContractFixture, OpenIdempotencyStore } from "./contract-fixture.ts";
export { runIdempotencyStoreContract } from "./idempotency-store-contract.ts";
export { pollUntil } from "./poll-until.ts";
