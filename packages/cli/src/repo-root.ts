import { fileURLToPath } from "node:url";

/**
 * The monorepo root, found from this file's own location (packages/cli/src → ../../..) rather than
 * the working directory, so `pnpm paymesh` works from any folder and `up` finds the services.
 */
export function repoRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url));
}
