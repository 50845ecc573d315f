// Shared plumbing for provider simulators (being extracted).
export {};
