// The event and work queue is being built (issue 6); this placeholder keeps the workspace typechecking.
export {};
