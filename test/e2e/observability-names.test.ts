// Dashboards and alert rules may only name metrics Paymesh exports: each name in the dashboard's
// queries and the rules' expressions must be in observability/metrics.yml, and every router metric
// among them must be in what a running router serves on /metrics. A renamed metric then fails here,
// not on a dashboard that silently goes blank.
import { readFileSync } from "node:fs";
import { type RunningRouter, resolveRouterConfig, startRouter } from "@paymesh/router";
import { createLogger } from "@paymesh/telemetry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

const read = (path: string): string =>
  readFileSync(new URL(`../../observability/${path}`, import.meta.url), "utf8");

interface CatalogueEntry {
  name: string;
  type: "counter" | "gauge" | "histogram";
  process: "every" | "router" | "adapter" | "reconciler";
}
const catalogue = new Map(
  (parse(read("metrics.yml")) as { metrics: CatalogueEntry[] }).metrics.map((entry) => [entry.name, entry]),
);

/** A query's metric names, a histogram's _bucket, _count and _sum series read as the histogram. */
function metricNames(query: string): string[] {
  const names = new Set<string>();
  for (const [identifier] of query.matchAll(/\bpaymesh_[a-z0-9_]+/g)) {
    const base = identifier.replace(/_(bucket|count|sum)$/, "");
    names.add(catalogue.get(base)?.type === "histogram" ? base : identifier);
  }
  return [...names];
}

interface Panel {
  title: string;
  type: string;
  targets?: Array<{ expr: string }>;
}
const dashboardQueries = (JSON.parse(read("dashboards/paymesh.json")) as { panels: Panel[] }).panels
  .filter((panel) => panel.type !== "row")
  .flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, query: target.expr })),
  );
const ruleQueries = (
  parse(read("alerts/paymesh.rules.yml")) as {
    groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
  }
).groups.flatMap((group) => group.rules.map((rule) => ({ where: `alert ${rule.alert}`, query: rule.expr })));
const queries = [...dashboardQueries, ...ruleQueries];

describe("metric names in dashboards and alert rules", () => {
  it("each query names at least one metric, and only metrics of the catalogue", () => {
    expect(dashboardQueries.length).toBeGreaterThan(10);
    expect(ruleQueries.length).toBeGreaterThan(5);
    const unknown: string[] = [];
    for (const { where, query } of queries) {
      const names = metricNames(query);
      expect(names, `${where} names no metric`).not.toEqual([]);
      for (const name of names) if (!catalogue.has(name)) unknown.push(`${where}: ${name}`);
    }
    expect(unknown).toEqual([]);
  });

  describe("against a running router's /metrics", () => {
    let router: RunningRouter;
    beforeAll(async () => {
      router = await startRouter(
        resolveRouterConfig({
          host: "127.0.0.1",
          grpcPort: 0,
          httpPort: 0,
          callers: { shop: "shop-token-0123456789" },
          // Nothing listens there: the adapter's series exist all the same, as down.
          adapters: { qris: { address: "127.0.0.1:1" } },
          routes: { qris: ["qris"] },
        }),
        { log: createLogger({ service: "router", level: "silent" }) },
      );
    });
    afterAll(async () => {
      await router?.close();
    });

    it("serves every router metric a dashboard or rule names, with the catalogue's type", async () => {
      const response = await fetch(`${router.httpUrl}/metrics`);
      expect(response.status).toBe(200);
      const exported = new Map(
        [...(await response.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]),
      );
      const named = new Set(queries.flatMap(({ query }) => metricNames(query)));
      const ofRouter = [...named].filter((name) =>
        ["every", "router"].includes(catalogue.get(name)?.process ?? ""),
      );
      expect(ofRouter.length).toBeGreaterThan(10);
      const missing = ofRouter.filter((name) => exported.get(name) !== catalogue.get(name)?.type);
      expect(
        missing,
        "named in a dashboard or rule, not served by the router (or not with that type)",
      ).toEqual([]);
    });
  });
});
