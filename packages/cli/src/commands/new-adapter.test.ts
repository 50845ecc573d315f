import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli.ts";
import { repoRoot } from "../repo-root.ts";
import { spawnCli } from "../testing/spawn-cli.ts";

const ROOT = repoRoot();

/** Every file a new adapter named acme-pay gets. */
const ACME_PAY_FILES = [
  "README.md",
  "package.json",
  "sandbox/README.md",
  "sandbox/adapter-env.ts",
  "sandbox/index.ts",
  "sandbox/main.ts",
  "sandbox/signature.ts",
  "sandbox/simulator.ts",
  "src/acme-pay-client.ts",
  "src/acme-pay-error-map.ts",
  "src/acme-pay-status.ts",
  "src/acme-pay-webhook.ts",
  "src/acme-pay-wire.ts",
  "src/config.ts",
  "src/index.ts",
  "src/main.ts",
  "src/provider.ts",
  "test/conformance.test.ts",
  "test/harness.ts",
  "tsconfig.json",
];

/** Runs the CLI in this process (the quick checks); the generating test runs it as a process. */
async function cli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderrLines: string[] }> {
  const stdout: string[] = [];
  const stderrLines: string[] = [];
  const io = {
    env: { INIT_CWD: ROOT },
    print: (line: string) => stdout.push(line),
    warn: (line: string) => stderrLines.push(line),
  };
  const code = await runCli(args, io);
  return { code, stdout: stdout.join("\n"), stderrLines };
}

/** What one child process did; `output` is stdout and stderr together, for failure messages. */
interface ChildRun {
  code: number | null;
  output: string;
}

/**
 * Runs a JavaScript file under this Node, in `cwd`, killed after `timeoutMs`. Vitest's own
 * variables are not passed on, so a nested vitest run starts as a fresh one.
 */
function runNode(script: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<ChildRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")));
  const child = spawn(process.execPath, [script, ...args], { cwd, env, timeout: timeoutMs });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolvePromise, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolvePromise({ code, output }));
  });
}

/** The files under `dir`, relative with `/`, sorted; `node_modules` left out. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((path) => !path.startsWith("node_modules/"))
    .sort();
}

/** The workspace's packages by name: packages/*, services/*. */
async function workspacePackages(): Promise<Map<string, string>> {
  const packages = new Map<string, string>();
  for (const group of ["packages", "services"]) {
    for (const entry of await readdir(join(ROOT, group), { withFileTypes: true })) {
      const manifest = join(ROOT, group, entry.name, "package.json");
      if (!entry.isDirectory() || !existsSync(manifest)) continue;
      const { name } = JSON.parse(await readFile(manifest, "utf8")) as { name: string };
      packages.set(name, join(ROOT, group, entry.name));
    }
  }
  return packages;
}

/**
 * What `pnpm install` would do for the adapter's manifest, with links only: a node_modules in the
 * adapter folder whose entries point at the workspace's packages and at the copies of the other
 * dependencies the workspace already installed. Node and TypeScript resolve a linked package's own
 * dependencies from its real path, so nothing else is needed.
 */
async function linkDependencies(dir: string): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const workspace = await workspacePackages();
  const installedIn = [ROOT, ...workspace.values()];
  for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
    const installed = installedIn.map((base) => join(base, "node_modules", name)).find(existsSync);
    const target = spec.startsWith("workspace:") ? workspace.get(name) : installed;
    if (target === undefined) throw new Error(`${name} is neither a workspace package nor installed in one`);
    const link = join(dir, "node_modules", ...name.split("/"));
    await mkdir(dirname(link), { recursive: true });
    await symlink(await realpath(target), link, "dir");
  }
}

/** Relative imports of a TypeScript file, resolved against its folder. */
function relativeImports(file: string, text: string): string[] {
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)];
  return specifiers.map(([, specifier = ""]) => resolve(dirname(file), specifier));
}

/** Biome with the repository's configuration over a folder outside it. */
function biomeCheck(dir: string): Promise<ChildRun> {
  const biome = join(ROOT, "node_modules", "@biomejs", "biome", "bin", "biome");
  const config = join(ROOT, "biome.json");
  return runNode(biome, ["check", `--config-path=${config}`, "--vcs-enabled=false", "."], dir, 60_000);
}

describe("paymesh new adapter", () => {
  let temp: string;

  beforeAll(async () => {
    temp = await mkdtemp(join(tmpdir(), "paymesh-new-adapter-"));
  });
  afterAll(async () => {
    await rm(temp, { recursive: true, force: true });
  });

  it.each([
    ["Acme"],
    ["1pay"],
    ["acme_pay"],
    ["acme--pay"],
    ["-acme"],
    ["acme-"],
    ["acme.pay"],
    ["a".repeat(31)],
  ])("refuses the name %j in one line, exit 1, and creates nothing", async (name) => {
    const run = await cli(["new", "adapter", "--", name]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toEqual([
      `paymesh: new adapter: invalid name ${JSON.stringify(name)}: use lowercase letters, digits and ` +
        "single hyphens, starting with a letter, at most 30 characters (e.g. acme-pay)",
    ]);
    expect(existsSync(join(ROOT, "services", `adapter-${name}`))).toBe(false);
  });

  it("refuses an adapter folder that exists", async () => {
    const run = await cli(["new", "adapter", "va"]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([`paymesh: new adapter: services${sep}adapter-va already exists`]);
  });

  it("refuses a --dir that exists, even empty", async () => {
    const dir = join(temp, "existing");
    await mkdir(dir);
    const run = await cli(["new", "adapter", "acme", "--dir", dir]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([`paymesh: new adapter: ${dir} already exists`]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a name whose package the workspace already has", async () => {
    const run = await cli(["new", "adapter", "kit", "--dir", join(temp, "adapter-kit")]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toEqual([
      "paymesh: new adapter: the workspace already has a package named @paymesh/adapter-kit",
    ]);
    expect(existsSync(join(temp, "adapter-kit"))).toBe(false);
  });

  it("needs a name (usage error, exit 2)", async () => {
    const run = await cli(["new", "adapter"]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe("paymesh: new adapter: missing <name>");
  });

  it.each([["x"], ["a-provider-name-of-30-chars-99"]])(
    "writes biome-clean files for the name %j",
    async (name) => {
      const dir = join(temp, `lint-${name}`);
      expect((await cli(["new", "adapter", name, "--dir", dir])).code).toBe(0);
      const biome = await biomeCheck(dir);
      expect(biome.code, biome.output).toBe(0);
    },
  );

  it("generates an adapter that typechecks and passes the conformance suite against its simulator", async () => {
    const dir = join(temp, "adapter-acme-pay");
    const run = await spawnCli(["new", "adapter", "acme-pay", "--dir", dir]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Created ${dir} (@paymesh/adapter-acme-pay), ${ACME_PAY_FILES.length} files:`,
    );
    expect(await filesUnder(dir)).toEqual(ACME_PAY_FILES);

    const manifest = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as {
      name: string;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(manifest.name).toBe("@paymesh/adapter-acme-pay");
    // The versions pinned in the template are the ones the workspace uses.
    const root = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const kit = JSON.parse(await readFile(join(ROOT, "packages/adapter-kit/package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    const used: Record<string, string | undefined> = { ...kit.dependencies, ...root.devDependencies };
    for (const [name, spec] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (!spec.startsWith("workspace:")) expect(spec, name).toBe(used[name]);
    }

    // No placeholder left, and the adapter and its simulator share no code.
    for (const path of ACME_PAY_FILES) {
      const file = join(dir, path);
      const text = await readFile(file, "utf8");
      expect(text, path).not.toMatch(/__[A-Za-z]+__/);
      if (!path.endsWith(".ts")) continue;
      const other = path.startsWith("src/") ? "sandbox" : path.startsWith("sandbox/") ? "src" : undefined;
      if (other === undefined) continue;
      for (const target of relativeImports(file, text)) {
        expect(relative(join(dir, other), target).startsWith(".."), `${path} imports ${target}`).toBe(true);
      }
    }

    await linkDependencies(dir);
    const tsc = await runNode(
      join(dir, "node_modules", "typescript", "bin", "tsc"),
      ["-p", "tsconfig.json", "--pretty", "false"],
      dir,
      150_000,
    );
    expect(tsc.code, tsc.output).toBe(0);

    const report = join(temp, "conformance-report.json");
    const vitest = await runNode(
      join(dir, "node_modules", "vitest", "vitest.mjs"),
      ["run", "test/conformance.test.ts", "--pool=forks", "--reporter=json", `--outputFile=${report}`],
      dir,
      150_000,
    );
    expect(vitest.code, vitest.output).toBe(0);
    const results = JSON.parse(await readFile(report, "utf8")) as {
      numTotalTests: number;
      numPassedTests: number;
      testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[] }> }>;
    };
    expect(results.numTotalTests).toBeGreaterThan(0);
    expect(results.numPassedTests).toBe(results.numTotalTests);
    const suites = results.testResults.flatMap((file) =>
      file.assertionResults.map((r) => r.ancestorTitles[0]),
    );
    expect(new Set(suites)).toEqual(new Set(["adapter-acme-pay: ProviderAdapter conformance"]));
  }, 360_000);
});
