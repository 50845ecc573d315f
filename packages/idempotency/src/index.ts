// What services may use from the idempotency package; the contract suite is "./contract".
export type { ClaimResult, IdempotencyScope, IdempotencyStore } from "./idempotency-store.ts";
export {
  IdempotencyUnavailableError,
  isIdempotencyUnavailableError,
} from "./idempotency-unavailable-error.ts";
export {
  createMemoryIdempotencyStore,
  type MemoryIdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from "./memory-idempotency-store.ts";
export {
  createRedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
} from "./redis-idempotency-store.ts";
export { redisKey } from "./redis-key.ts";
