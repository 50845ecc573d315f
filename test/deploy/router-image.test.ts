// The router's container image, built here from deploy/images/Containerfile and run. This machine
// pulls no base image: deploy/images/local-base makes one FROM scratch out of the pinned Node and
// the libraries it links, and buildah's chroot isolation runs the build's RUN and the container
// itself where a container runtime may not set limits or namespaces.
import { status } from "@grpc/grpc-js";
import { runProcess, type StartedProcess, startProcess } from "@paymesh/test-kit/process";
import { waitFor } from "@paymesh/test-kit/wait-for";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildahRuns } from "../support/image-tools.ts";
import { type OtlpReceiver, SPAN_KIND, startOtlpReceiver } from "../support/otlp-receiver.ts";
import { plainPaymentClient } from "../support/plain-client.ts";
import { repoRoot } from "../support/start-process.ts";

const BASE = "localhost/paymesh-node-base:24";
const IMAGE = "localhost/paymesh/router:image-test";
const TOKEN = "paymesh-image-test-token-0000001";

async function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = await runProcess({ command, args }, { cwd: repoRoot, env, timeoutMs: 600_000 });
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(" ")} failed (${result.code}):\n${result.stderr}`);
  return result.stdout.trim();
}

describe.skipIf(!buildahRuns())("the router image", () => {
  let container: string;
  let router: StartedProcess<{ grpc: string; http: string; store: string }>;
  let receiver: OtlpReceiver;

  beforeAll(async () => {
    await run("deploy/images/local-base", []);
    await run("deploy/images/build", ["router", "image-test"], {
      NODE_IMAGE: BASE,
      RUNTIME_IMAGE: BASE,
      IMAGE_REPOSITORY: "localhost/paymesh",
    });
    container = (await run("buildah", ["from", IMAGE])).split("\n").at(-1) ?? "";
    const config = { grpcPort: 0, httpPort: 0, callers: { image: TOKEN }, adapters: {}, routes: {} };
    // The container shares this machine's network: its spans come here, as to a collector.
    receiver = await startOtlpReceiver();
    const tracing = [
      `OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url}`,
      "OTEL_EXPORTER_OTLP_PROTOCOL=http/json",
      "OTEL_BSP_SCHEDULE_DELAY=100",
    ].flatMap((variable) => ["--env", variable]);
    router = await startProcess(
      {
        command: "buildah",
        args: [
          "run",
          "--isolation",
          "chroot",
          "--env",
          `PAYMESH_ROUTER_CONFIG=${JSON.stringify(config)}`,
          ...tracing,
          container,
          "--",
          "/usr/local/bin/node",
          "deploy/images/start.mjs",
        ],
      },
      { cwd: repoRoot, readyWithinMs: 120_000 },
    );
  }, 900_000);
  afterAll(async () => {
    await router?.stop();
    await receiver?.close();
    if (container) await run("buildah", ["rm", container]);
  });

  it("runs as the non-root user 65532 with a health check and the router as its entry point", async () => {
    const config = JSON.parse(await run("buildah", ["inspect", "--type", "image", IMAGE])) as {
      Docker: {
        config: { User: string; Env: string[]; Entrypoint: string[]; Healthcheck?: { Test: string[] } };
      };
    };
    const image = config.Docker.config;
    expect(image.User).toBe("65532:65532");
    expect(image.Entrypoint).toEqual(["/usr/local/bin/node", "deploy/images/start.mjs"]);
    expect(image.Env).toContain("PAYMESH_ENTRY=services/router/src/main.ts");
    expect(image.Healthcheck?.Test).toEqual(["CMD", "/usr/local/bin/node", "deploy/images/healthcheck.mjs"]);
  });

  it("holds the router's production dependencies and none of the development ones", async () => {
    const listed = await run("buildah", [
      "run",
      "--isolation",
      "chroot",
      container,
      "--",
      "/usr/local/bin/node",
      "-e",
      "console.log(require('node:fs').readdirSync('node_modules/.pnpm').join('\\n'))",
    ]);
    const packages = listed.split("\n");
    expect(packages.some((name) => name.startsWith("@grpc+grpc-js@"))).toBe(true);
    expect(packages.some((name) => name.startsWith("pg@"))).toBe(true);
    for (const development of ["vitest@", "typescript@", "@biomejs+", "@bufbuild+buf@"])
      expect(packages.filter((name) => name.startsWith(development))).toEqual([]);
  });

  it("starts, announces its addresses, and answers its liveness and readiness as the non-root user", async () => {
    expect(router.ready.store).toMatch(/pglite/i);
    expect((await fetch(`${router.ready.http}/healthz`)).status).toBe(200);
    expect((await fetch(`${router.ready.http}/readyz`)).status).toBe(200);
    // The image's own HEALTHCHECK command, run inside it against this router.
    const healthcheck = await runProcess(
      {
        command: "buildah",
        args: [
          "run",
          "--isolation",
          "chroot",
          "--env",
          `PAYMESH_HEALTH_URL=${router.ready.http}/healthz`,
          container,
          "--",
          "/usr/local/bin/node",
          "deploy/images/healthcheck.mjs",
        ],
      },
      { cwd: repoRoot, timeoutMs: 60_000 },
    );
    expect(healthcheck.code).toBe(0);
    const processes = await run("ps", ["-eo", "uid=,args="]);
    const owners = processes
      .split("\n")
      .filter((line) => line.includes("deploy/images/start.mjs") && !line.includes("buildah run"))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(owners).toContain("65532");
    expect(owners).not.toContain("0");
  });

  it("is traced as the router when OTEL_* variables ask for it: start.mjs registers tracing first", async () => {
    const client = plainPaymentClient(router.ready.grpc, TOKEN);
    try {
      await expect(
        client.call("GetPayment", { paymentId: "pay_00000000000000000000000000" }),
      ).rejects.toMatchObject({ code: status.NOT_FOUND });
    } finally {
      client.close();
    }
    // A gRPC server span exists only if grpc-js was patched before the router's modules were linked.
    const served = await waitFor(
      () =>
        receiver
          .spans()
          .find(
            (span) =>
              span.kind === SPAN_KIND.server && span.name === "grpc.payments.v1.PaymentService/GetPayment",
          ),
      20_000,
      "the router's GetPayment server span",
    );
    expect(served.service).toBe("router");
  });
});
