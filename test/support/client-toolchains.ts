import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

// The generated clients' interop tests need Debian's packages (clients/README.md). CI installs them
// and must run these tests; on a developer's machine without them the tests are skipped, saying why.

/** Debian's interpreter, for which python3-grpcio and python3-protobuf are installed. */
export const DEBIAN_PYTHON = "/usr/bin/python3";
/** Where Debian's golang-*-dev packages put their sources (a GOPATH tree). */
export const DEBIAN_GOPATH = "/usr/share/gocode";

const required = process.env.CI === "true" || process.env.PAYMESH_REQUIRE_BACKENDS === "1";

/** In CI a missing toolchain is a failure; elsewhere the suite is skipped, and this says why. */
function missing(what: string): false {
  if (required) throw new Error(what);
  console.warn(`skipping: ${what}`);
  return false;
}

function answers(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

/** True when the Python client can run here; in CI, a missing toolchain fails instead. */
export function pythonClientRuns(): boolean {
  const present = answers(DEBIAN_PYTHON, ["-c", "import grpc, google.protobuf"]);
  return (
    present || missing(`${DEBIAN_PYTHON} cannot import grpc: install python3-grpcio and python3-protobuf`)
  );
}

/** True when the Go client can be built here offline; in CI, a missing toolchain fails instead. */
export function goClientBuilds(): boolean {
  const present = answers("go", ["version"]) && existsSync(`${DEBIAN_GOPATH}/src/google.golang.org/grpc`);
  return (
    present ||
    missing("go or Debian's golang-google-grpc-dev is missing: see clients/README.md for the packages")
  );
}
