/**
 * The Node flags that start a Paymesh process with tracing set up, to put before its entry file:
 * `["--import", <register module>]`. Every launcher (the local stack, the tests' process starters,
 * the bench) uses them, so no process is started in a way that leaves gRPC or Redis untraced.
 * Whether anything is exported is still up to the process's OTEL_* variables.
 */
export function tracingNodeArgs(): string[] {
  return ["--import", new URL("./register.ts", import.meta.url).href];
}
