// The build stage's install: only PACKAGE and what it depends on, production dependencies only,
// exactly as the lockfile says. Run by deploy/images/Containerfile with the repository's pnpm.
import { spawnSync } from "node:child_process";

const { env } = process;
const pkg = env.PACKAGE;
if (!pkg) {
  console.error("install-production: the PACKAGE build argument is required (e.g. @paymesh/router)");
  process.exit(2);
}
const pnpm = spawnSync(
  process.execPath,
  [
    "/opt/pnpm/bin/pnpm.cjs",
    "install",
    "--frozen-lockfile",
    "--prod",
    "--ignore-scripts",
    "--config.confirmModulesPurge=false",
    "--store-dir=/pnpm-store",
    `--filter=${pkg}...`,
  ],
  { stdio: "inherit", env: { ...env, CI: "true" } },
);
process.exit(pnpm.status ?? 1);
