// The idempotency store is being built (issue 4); this placeholder keeps the workspace typechecking.
export {};
