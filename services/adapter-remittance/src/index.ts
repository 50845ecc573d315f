// The remittance adapter is being built (issue 3); this placeholder keeps the workspace typechecking.
export {};
