// Resilience policies are being built (issue 5); this placeholder keeps the workspace typechecking.
export {};
