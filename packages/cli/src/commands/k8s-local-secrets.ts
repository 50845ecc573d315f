import { readFileSync } from "node:fs";
import type { Command } from "../command.ts";
import { JSON_OPTION, JSON_OPTION_HELP } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { ADAPTER_NAMES, LOCAL_ADAPTERS } from "../stack/local-adapters.ts";

/** Where deploy/k8s mounts an adapter's credentials Secret, and the file name of each key file. */
const MOUNT = "/var/run/secrets/paymesh";
const KEY_FILES: Readonly<Record<string, string>> = {
  SNAP_PRIVATE_KEY_FILE: "snap-private-key.pem",
  SNAP_BANK_PUBLIC_KEY_FILE: "snap-bank-public-key.pem",
  WISE_WEBHOOK_PUBLIC_KEY_FILE: "wise-webhook-public-key.pem",
};

/** The local caller token: obviously fake, for a cluster on a developer's machine only. */
const LOCAL_CALLER_TOKEN = "paymesh-local-cluster-FAKE-token-01";

interface Secret {
  apiVersion: "v1";
  kind: "Secret";
  metadata: { name: string; namespace: string };
  stringData: Record<string, string>;
}

function secret(name: string, stringData: Record<string, string>): Secret {
  return { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "paymesh" }, stringData };
}

/**
 * The Secrets deploy/k8s/overlays/local expects, with the simulators' FAKE test credentials (each
 * simulator's adapter-env.ts says them): the router on its embedded backends, one local caller
 * token, and per adapter its credentials, key files included, at the paths the base mounts.
 */
export async function localClusterSecrets(): Promise<Secret[]> {
  const secrets = [
    // Empty: the local router runs on its embedded defaults (PGlite in memory, in-process queue).
    secret("router-backends", { DATABASE_URL: "", REDIS_URL: "", AMQP_URL: "" }),
    // The reconciler is scaled to 0 locally (it needs Postgres); its Secret exists so it can be scaled up.
    secret("reconciler-backends", { DATABASE_URL: "", AMQP_URL: "" }),
    secret("router-callers", { "callers.json": JSON.stringify({ local: LOCAL_CALLER_TOKEN }) }),
    secret("router-operators", { "operators.json": "{}" }),
  ];
  for (const name of ADAPTER_NAMES) {
    const data: Record<string, string> = {};
    for (const [variable, value] of Object.entries(await LOCAL_ADAPTERS[name].adapter.env(""))) {
      // The base URL is in the overlay's settings (the simulator's Service), not a credential.
      if (variable.endsWith("_BASE_URL")) continue;
      const file = KEY_FILES[variable];
      if (file === undefined) data[variable] = value;
      else data[file] = readFileSync(value, "utf8");
    }
    secrets.push(secret(`adapter-${name}-credentials`, data));
  }
  return secrets;
}

/** `paymesh k8s local-secrets`: the local cluster's Secrets, as one document for kubectl apply. */
export const k8sLocalSecretsCommand: Command = {
  help: `Usage: paymesh k8s local-secrets [--json]

Prints, as one JSON document (a v1 List), the Secrets that the local Kubernetes overlay
(deploy/k8s/overlays/local) expects: the router's backends (empty: embedded defaults), one local
caller token, and each adapter's credentials with the provider simulators' FAKE test keys, key files
mounted at ${MOUNT}. For a local cluster only: production Secrets are made by whoever holds the real
credentials (deploy/README.md).

Options:
${JSON_OPTION_HELP}; the output is JSON either way

Example:
  ./run pnpm paymesh k8s local-secrets | kubectl apply -f -`,
  async run({ args, print }) {
    parseCommandArgs("k8s local-secrets", args, { ...JSON_OPTION }, { names: [] });
    print(JSON.stringify({ apiVersion: "v1", kind: "List", items: await localClusterSecrets() }, null, 2));
    return 0;
  },
};
