import { existsSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import {
  adapterNames,
  MAX_ADAPTER_NAME_LENGTH,
  renderAdapter,
  workspacePackageNames,
  writeScaffold,
} from "../adapter-scaffold.ts";
import { CliError } from "../cli-error.ts";
import type { Command } from "../command.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { repoRoot } from "../repo-root.ts";

/**
 * `paymesh new adapter`: a new provider adapter on the adapter kit, complete from the first minute:
 * the provider files every adapter has, a simulator of a small example API, and a conformance test
 * that passes. The team then replaces the example API with their provider's, file by file.
 */
export const newAdapterCommand: Command = {
  path: ["new", "adapter"],
  summary: "Scaffold a provider adapter, its simulator and its passing conformance test",
  help: `Usage: paymesh new adapter <name> [--dir <path>]

Creates services/adapter-<name>/ (package @paymesh/adapter-<name>): the adapter on
@paymesh/adapter-kit (src/), a simulator of a small example provider API on @paymesh/sandbox-kit
(sandbox/), and the conformance test (test/). As generated, it typechecks and passes the adapter
conformance suite against its simulator. packages/adapter-kit/README.md walks from there to a
real provider.

Arguments:
  <name>         the adapter's name: lowercase letters, digits and single hyphens, starting with
                 a letter, at most ${MAX_ADAPTER_NAME_LENGTH} characters; also the router's name for the
                 adapter and its webhook path (/webhooks/<name>)

Options:
  --dir <path>   create the adapter there instead (relative to where you run the command); the
                 folder must not exist yet

Example:
  pnpm paymesh new adapter acme-pay
  pnpm install && pnpm vitest run services/adapter-acme-pay`,
  async run({ args, env, print }) {
    const { values, positionals } = parseCommandArgs(
      "new adapter",
      args,
      { dir: { type: "string" } },
      { names: ["name"] },
    );
    const names = adapterNames(positionals[0] ?? "");
    const root = repoRoot();
    const here = env.INIT_CWD ?? process.cwd(); // pnpm runs scripts from the root; INIT_CWD is the user's folder
    const dir =
      values.dir === undefined ? join(root, "services", `adapter-${names.name}`) : resolve(here, values.dir);
    const shown = relative(here, dir).startsWith("..") ? dir : relative(here, dir) || ".";
    if (existsSync(dir)) throw new CliError(`new adapter: ${shown} already exists`);
    const packageName = `@paymesh/adapter-${names.name}`;
    if ((await workspacePackageNames(root)).has(packageName)) {
      throw new CliError(`new adapter: the workspace already has a package named ${packageName}`);
    }

    const tsconfigBase = relative(dir, join(root, "tsconfig.base.json")).split(sep).join("/");
    const files = await renderAdapter(names, tsconfigBase);
    await writeScaffold(dir, files);

    const inWorkspace = isInside(join(root, "services"), dir);
    print(`Created ${shown} (${packageName}), ${files.length} files:`);
    for (const file of files) print(`  ${file.path}`);
    print("");
    print("Next:");
    if (inWorkspace) print("  pnpm install                      link the new package into the workspace");
    print(`  pnpm vitest run ${shown}`);
    print(
      'Then make it your provider\'s: packages/adapter-kit/README.md, "From the scaffold to a real provider".',
    );
    return 0;
  },
};

function isInside(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path !== "" && !path.startsWith("..") && !isAbsolute(path);
}
