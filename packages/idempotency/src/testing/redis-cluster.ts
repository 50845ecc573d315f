import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unusedPort, waitFor } from "@paymesh/test-kit";

/** A throwaway Redis Cluster of real redis-server processes, for the cluster tests. */
export interface TestRedisCluster {
  /** "127.0.0.1:port" of each primary. */
  nodes: string[];
  stop(): Promise<void>;
}

/**
 * True when redis-server and redis-cli can make a cluster here. CI (PAYMESH_REQUIRE_BACKENDS=1) has
 * them, since it runs Redis itself; elsewhere the cluster tests are skipped, saying why.
 */
export function redisClusterRuns(): boolean {
  const present = ["redis-server", "redis-cli"].every(
    (command) => spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0,
  );
  if (present) return true;
  if (process.env.PAYMESH_REQUIRE_BACKENDS === "1")
    throw new Error("PAYMESH_REQUIRE_BACKENDS=1 but redis-server or redis-cli is missing: no cluster test");
  console.warn("skipping: redis-server and redis-cli are needed for the Redis Cluster tests");
  return false;
}

/**
 * Starts three cluster-enabled redis-server primaries on free ports (each also needs its port +
 * 10000 for the cluster bus), joins them with `redis-cli --cluster create`, and waits until the
 * cluster reports ok. Nothing is kept on disk beyond a temporary folder removed by stop().
 */
export async function startTestRedisCluster(): Promise<TestRedisCluster> {
  const folder = mkdtempSync(join(tmpdir(), "paymesh-redis-cluster-"));
  const servers: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (server.exitCode !== null) return resolve();
            server.once("exit", () => resolve());
            server.kill("SIGKILL");
          }),
      ),
    );
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    while (ports.length < 3) {
      const port = await unusedPort();
      if (port < 55_000 && !ports.includes(port)) ports.push(port);
    }
    for (const port of ports) {
      const server = spawn(
        "redis-server",
        [
          "--port",
          String(port),
          "--bind",
          "127.0.0.1",
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          join(folder, `nodes-${port}.conf`),
          "--dir",
          folder,
          "--save",
          "",
          "--appendonly",
          "no",
          "--cluster-node-timeout",
          "2000",
        ],
        { stdio: "ignore" },
      );
      servers.push(server);
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    const answers = (port: number, args: string[]) =>
      spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" }).stdout;
    await waitFor(
      () => ports.every((port) => answers(port, ["ping"]).trim() === "PONG") || undefined,
      10_000,
      "the cluster's redis-servers answering PING",
    );
    const created = spawnSync(
      "redis-cli",
      ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"],
      {
        encoding: "utf8",
      },
    );
    if (created.status !== 0)
      throw new Error(`redis-cli --cluster create failed:\n${created.stdout}${created.stderr}`);
    await waitFor(
      () =>
        ports.every((port) => answers(port, ["cluster", "info"]).includes("cluster_state:ok")) || undefined,
      15_000,
      "the Redis Cluster reporting cluster_state:ok",
    );
    return { nodes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
