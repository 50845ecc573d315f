// deploy/k8s rendered with kustomize, as an operator would apply it: what must hold in every
// overlay (non-root pods with probes, one Deployment and image per adapter, policies), what the
// production overlay must never contain (a Secret, a token), and that the router accepts the
// config it is given there.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRouterConfig } from "@paymesh/router";
import { runProcess } from "@paymesh/test-kit/process";
import { describe, expect, it } from "vitest";
import { type KubeContainer, type KubeObject, kustomize, kustomizeRuns } from "../support/kustomize.ts";
import { repoRoot } from "../support/start-process.ts";

const ADAPTERS = ["qris", "va", "transfer", "remittance"];

const ofKind = (objects: KubeObject[], kind: string) => objects.filter((object) => object.kind === kind);
const named = (objects: KubeObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name.startsWith(name));
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const containerOf = (deployment: KubeObject): KubeContainer => {
  const container = deployment.spec?.template?.spec?.containers[0];
  if (container === undefined) throw new Error(`${deployment.metadata.name} has no container`);
  return container;
};
const envOf = (deployment: KubeObject) =>
  Object.fromEntries(
    (containerOf(deployment).env ?? []).map((entry: { name: string; value?: string }) => [
      entry.name,
      entry.value,
    ]),
  );

describe.skipIf(!kustomizeRuns())("the Kubernetes manifests", () => {
  const overlays = {
    local: kustomize("deploy/k8s/overlays/local"),
    production: kustomize("deploy/k8s/overlays/production"),
  };

  describe.each(Object.entries(overlays))("the %s overlay", (_name, objects) => {
    it("runs every pod as a non-root user with a read-only root and no privilege escalation", () => {
      const deployments = ofKind(objects, "Deployment");
      expect(deployments.length).toBeGreaterThanOrEqual(6);
      for (const deployment of deployments) {
        expect(deployment.spec?.template?.spec?.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 65532,
        });
        expect(containerOf(deployment).securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        });
        expect(containerOf(deployment).readinessProbe, deployment.metadata.name).toBeDefined();
      }
    });

    it("checks the router on its gRPC health service and its HTTP health endpoints", () => {
      const router = containerOf(named(objects, "Deployment", "router"));
      expect(router.startupProbe?.grpc).toEqual({ port: 50051 });
      expect(router.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
      expect(router.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
      expect(ofKind(objects, "HorizontalPodAutoscaler").map((o) => o.spec?.scaleTargetRef?.name)).toContain(
        "router",
      );
      expect(named(objects, "PodDisruptionBudget", "router").spec?.selector?.matchLabels).toEqual({
        "app.kubernetes.io/name": "router",
      });
    });

    it("gives each adapter its own Deployment, image and headless Service, and the router balances over its pods", () => {
      const config = JSON.parse(
        Object.values(named(objects, "ConfigMap", "router-config").data ?? {})[0] ?? "{}",
      );
      for (const adapter of ADAPTERS) {
        const deployment = named(objects, "Deployment", `adapter-${adapter}`);
        expect(containerOf(deployment).image).toMatch(new RegExp(`/adapter-${adapter}:`));
        expect(containerOf(deployment).readinessProbe?.grpc).toEqual({ port: 50051 });
        const service = named(objects, "Service", `adapter-${adapter}`);
        expect(service.spec?.clusterIP).toBe("None");
        expect(service.spec?.selector).toMatchObject(
          deployment.spec?.selector?.matchLabels ?? { missing: "labels" },
        );
        expect(config.adapters[adapter]).toMatchObject({
          address: `dns:///adapter-${adapter}:50051`,
          loadBalancing: "round_robin",
        });
      }
      const images = ofKind(objects, "Deployment").map((deployment) => containerOf(deployment).image);
      expect(new Set(images).size).toBe(images.length);
    });

    it("denies by default and opens only callers → router, router → adapters, adapters → providers", () => {
      const policies = Object.fromEntries(
        ofKind(objects, "NetworkPolicy").map((p) => [p.metadata.name, p.spec]),
      );
      expect(policies["default-deny"]).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      expect(policies["router-ingress"]?.ingress?.[0]?.from?.[0]?.podSelector?.matchLabels).toEqual({
        "paymesh.dev/caller": "true",
      });
      expect(policies["adapter-ingress"]?.ingress?.[0]).toEqual({
        from: [
          { podSelector: { matchLabels: { "app.kubernetes.io/name": "router" } } },
          { podSelector: { matchLabels: { "app.kubernetes.io/name": "reconciler" } } },
        ],
        ports: [{ protocol: "TCP", port: 50051 }],
      });
      expect(policies["adapter-provider-egress"]?.egress?.[0]?.ports).toEqual([
        { protocol: "TCP", port: 443 },
      ]);
    });

    it("keeps the router's config free of tokens, and the router accepts it with the callers' Secret file", () => {
      const file = Object.values(named(objects, "ConfigMap", "router-config").data ?? {})[0] ?? "";
      expect(JSON.parse(file).callers).toEqual({});
      const folder = mkdtempSync(join(tmpdir(), "paymesh-k8s-"));
      try {
        writeFileSync(join(folder, "router.json"), file);
        writeFileSync(
          join(folder, "callers.json"),
          JSON.stringify({ shop: "a-caller-token-of-32-characters!" }),
        );
        const config = loadRouterConfig({
          PAYMESH_ROUTER_CONFIG_FILE: join(folder, "router.json"),
          PAYMESH_CALLERS_FILE: join(folder, "callers.json"),
        });
        expect(config.callers).toEqual({ shop: "a-caller-token-of-32-characters!" });
        expect(config.adapters.qris?.loadBalancing).toBe("round_robin");
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });

  it("carries the tested dashboards and alert rules as ConfigMaps the Grafana and Prometheus sidecars load", () => {
    const objects = overlays.production;
    const dashboards = named(objects, "ConfigMap", "paymesh-dashboards");
    expect(dashboards.metadata.labels).toMatchObject({ grafana_dashboard: "1" });
    expect(dashboards.data?.["paymesh.json"]).toBe(
      readFileSync(join(repoRoot, "observability/dashboards/paymesh.json"), "utf8"),
    );
    const rules = named(objects, "ConfigMap", "paymesh-alert-rules");
    expect(rules.data?.["paymesh.rules.yml"]).toBe(
      readFileSync(join(repoRoot, "observability/alerts/paymesh.rules.yml"), "utf8"),
    );
  });

  it("runs the reconciler apart from the router, reaching the adapters and nothing it does not need", () => {
    const objects = overlays.production;
    const reconciler = named(objects, "Deployment", "reconciler");
    expect(containerOf(reconciler).image).toMatch(/\/reconciler:\d+\.\d+\.\d+$/);
    expect(containerOf(reconciler).readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
    const config = JSON.parse(
      Object.values(named(objects, "ConfigMap", "reconciler-config").data ?? {})[0] ?? "{}",
    );
    for (const adapter of ADAPTERS)
      expect(config.adapters[adapter].address).toBe(`dns:///adapter-${adapter}:50051`);
    const policies = Object.fromEntries(
      ofKind(objects, "NetworkPolicy").map((p) => [p.metadata.name, p.spec]),
    );
    expect(policies["adapter-ingress"]?.ingress?.[0]?.from).toContainEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "reconciler" } },
    });
    expect(policies.reconciler?.egress?.[0]?.ports).toEqual([{ protocol: "TCP", port: 50051 }]);
    // `paymesh recon run` reaches the run service through the Service, from operators' pods, with
    // the operators' tokens the router's admin API takes.
    expect(envOf(reconciler).RECON_GRPC_PORT).toBe("50051");
    expect(containerOf(reconciler).ports).toContainEqual({ name: "grpc", containerPort: 50051 });
    expect(named(objects, "Service", "reconciler").spec?.ports).toContainEqual({
      name: "grpc",
      port: 50051,
      targetPort: "grpc",
    });
    const operatorsFile = envOf(reconciler).PAYMESH_OPERATORS_FILE ?? "";
    const mount = containerOf(reconciler).volumeMounts?.find((m) =>
      operatorsFile.startsWith(`${m.mountPath}/`),
    );
    const volume = reconciler.spec?.template?.spec?.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.secret?.secretName).toBe("router-operators");
    expect(policies.reconciler?.ingress).toContainEqual({
      from: [{ namespaceSelector: {}, podSelector: { matchLabels: { "paymesh.dev/operator": "true" } } }],
      // gRPC, and the same service in the Connect protocol on the HTTP port.
      ports: [
        { protocol: "TCP", port: 50051 },
        { protocol: "TCP", port: 9090 },
      ],
    });
    expect(envOf(reconciler).RECON_HTTP_PORT).toBe("9090");
  });

  it("production embeds no Secret and no credential, pins every image, and uses quorum queues", () => {
    const objects = overlays.production;
    expect(ofKind(objects, "Secret")).toEqual([]);
    for (const deployment of ofKind(objects, "Deployment")) {
      expect(containerOf(deployment).image).toMatch(/:\d+\.\d+\.\d+$/);
      for (const [name, value] of Object.entries(envOf(deployment)))
        if (/TOKEN|SECRET|KEY|PASSWORD/.test(name)) expect(value, name).toBeUndefined();
    }
    for (const map of ofKind(objects, "ConfigMap"))
      for (const [key, value] of Object.entries(map.data ?? {})) {
        expect(key).not.toMatch(/TOKEN|SECRET|PASSWORD|SERVER_KEY|API_KEY/);
        expect(value).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
      }
    expect(named(objects, "ConfigMap", "router-settings").data?.PAYMESH_QUEUE_TYPE).toBe("quorum");
    expect(ofKind(objects, "Deployment").some((d) => d.metadata.name.endsWith("-sim"))).toBe(false);
  });

  it("local runs the simulators, and `paymesh k8s local-secrets` makes every Secret it references", async () => {
    const objects = overlays.local;
    const referenced = new Set<string>();
    for (const deployment of ofKind(objects, "Deployment")) {
      for (const source of containerOf(deployment).envFrom ?? [])
        if (source.secretRef) referenced.add(source.secretRef.name);
      for (const volume of deployment.spec?.template?.spec?.volumes ?? [])
        if (volume.secret) referenced.add(volume.secret.secretName);
    }
    const printed = await runProcess(
      { entry: "packages/cli/src/main.ts", args: ["k8s", "local-secrets"] },
      { cwd: repoRoot, timeoutMs: 30_000 },
    );
    expect(printed.code).toBe(0);
    const list = JSON.parse(printed.stdout) as { kind: string; items: KubeObject[] };
    expect(list.kind).toBe("List");
    const made = new Set(list.items.map((secret) => secret.metadata.name));
    // The FAKE QRIS test key reaches the adapter as the file the base mounts.
    const qris = list.items.find(
      (secret) => secret.metadata.name === "adapter-qris-credentials",
    ) as unknown as {
      stringData: Record<string, string>;
    };
    expect(qris.stringData["snap-private-key.pem"]).toMatch(/BEGIN PRIVATE KEY/);
    expect([...referenced].filter((name) => !made.has(name))).toEqual([]);
    for (const adapter of ADAPTERS) {
      const simulator = named(objects, "Deployment", `${adapter}-sim`);
      expect(envOf(simulator)).toMatchObject({
        HOST: "0.0.0.0",
        NOTIFY_URL: `http://router:8080/webhooks/${adapter}`,
      });
    }
    expect(named(objects, "ConfigMap", "router-settings").data?.PAYMESH_QUEUE_TYPE).toBe("classic");
  });
});
