import { spawnSync } from "node:child_process";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "./start-process.ts";

// The Kubernetes manifests are checked by rendering them with kubectl's kustomize, as a cluster
// operator would apply them. CI has kubectl; elsewhere the test is skipped, saying why.

const required = process.env.CI === "true" || process.env.PAYMESH_REQUIRE_BACKENDS === "1";

/** True when kubectl with kustomize runs here; in CI, its absence fails instead. */
export function kustomizeRuns(): boolean {
  if (spawnSync("kubectl", ["version", "--client"], { stdio: "ignore" }).status === 0) return true;
  const what = "kubectl (with kustomize) is not installed";
  if (required) throw new Error(what);
  console.warn(`skipping: ${what}`);
  return false;
}

/** A rendered Kubernetes object, loosely typed: tests read the fields they check. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are free-form; each test reads what it checks
  spec?: any;
  data?: Record<string, string>;
}

/** `kubectl kustomize <folder>` (relative to the repository root), parsed. */
export function kustomize(folder: string): KubeObject[] {
  const rendered = spawnSync("kubectl", ["kustomize", folder], { cwd: repoRoot, encoding: "utf8" });
  if (rendered.status !== 0) throw new Error(`kubectl kustomize ${folder} failed:\n${rendered.stderr}`);
  return parseAllDocuments(rendered.stdout).map((document) => document.toJS() as KubeObject);
}
