import { spawnSync } from "node:child_process";

// The image test needs Debian's buildah. CI installs it and must run the test; on a developer's
// machine without it the test is skipped, saying why.

const required = process.env.CI === "true" || process.env.PAYMESH_REQUIRE_BACKENDS === "1";

/** True when buildah can build and run images here; in CI, its absence fails instead. */
export function buildahRuns(): boolean {
  if (spawnSync("buildah", ["--version"], { stdio: "ignore" }).status === 0) return true;
  const what = "buildah is not installed (Debian package buildah): see deploy/README.md";
  if (required) throw new Error(what);
  console.warn(`skipping: ${what}`);
  return false;
}
