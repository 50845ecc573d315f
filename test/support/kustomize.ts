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

/** A rendered Kubernetes object: the fields of the kinds deploy/k8s renders that tests read. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: KubeSpec;
  data?: Record<string, string>;
}

type Labels = Record<string, string>;
interface LabelSelector {
  matchLabels?: Labels;
}
interface Probe {
  grpc?: { port: number };
  httpGet?: { path: string; port: string | number };
}

/** A container of a Deployment's pod template. */
export interface KubeContainer {
  image: string;
  env?: Array<{ name: string; value?: string }>;
  envFrom?: Array<{ secretRef?: { name: string }; configMapRef?: { name: string } }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  securityContext?: Record<string, unknown>;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}

interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: Array<{ protocol: string; port: number }>;
}

/** The spec fields of Deployments, Services, HPAs, PDBs and NetworkPolicies that tests read. */
export interface KubeSpec {
  replicas?: number;
  minAvailable?: number;
  clusterIP?: string;
  /** A Service's ports. */
  ports?: Array<{ name?: string; port: number; targetPort?: string | number }>;
  selector?: LabelSelector & Labels;
  scaleTargetRef?: { name: string };
  template?: {
    spec: {
      securityContext?: Record<string, unknown>;
      containers: KubeContainer[];
      volumes?: Array<{ name: string; secret?: { secretName: string }; configMap?: { name: string } }>;
    };
  };
  podSelector?: LabelSelector;
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/** `kubectl kustomize <folder>` (relative to the repository root), parsed. */
export function kustomize(folder: string): KubeObject[] {
  const rendered = spawnSync("kubectl", ["kustomize", folder], { cwd: repoRoot, encoding: "utf8" });
  if (rendered.status !== 0) throw new Error(`kubectl kustomize ${folder} failed:\n${rendered.stderr}`);
  return parseAllDocuments(rendered.stdout).map((document) => document.toJS() as KubeObject);
}
