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
import { JSON_OPTION, printJson } from "../option-checks.ts";
import { parseCommandArgs } from "../parse-command-args.ts";
import { repoRoot } from "../repo-root.ts";

/**
 * `paymesh new adapter`: a new provider adapter on the adapter kit, complete from the first minute:
 * the provider files every adapter has, a simulator of a small example API, and a conformance test
 * that passes. The team then replaces the example API with their provider's, file by file.
 */
export const newAdapterCommand: Command = {
  help: `Usage: paymesh new adapter <name> [--dir <path>] [--json]

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
  --json         print one JSON document on stdout, {"dir": "…", "package": "…", "files": […]};
                 the next steps go to stderr

Example:
  ./run pnpm paymesh new adapter acme-pay
  ./run pnpm install && ./run pnpm vitest run services/adapter-acme-pay`,
  async run({ args, env, print, warn }) {
    const { values, positionals } = parseCommandArgs(
      "new adapter",
      args,
      { dir: { type: "string" }, ...JSON_OPTION },
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
    // With --json the files are the one document on stdout, and the next steps are notes on stderr.
    const json = values.json === true;
    const note = json ? warn : print;
    if (json) printJson(print, { dir: shown, package: packageName, files: files.map((file) => file.path) });
    else {
      print(`Created ${shown} (${packageName}), ${files.length} files:`);
      for (const file of files) print(`  ${file.path}`);
      print("");
    }
    note("Next:");
    if (inWorkspace) note("  ./run pnpm install                link the new package into the workspace");
    note(`  ./run pnpm vitest run ${shown}`);
    note(
      'Then make it your provider\'s: packages/adapter-kit/README.md, "From the scaffold to a real provider".',
    );
    return 0;
  },
};

function isInside(parent: string, child: string): boolean {
  const path = relative(parent, child);
  return path !== "" && !path.startsWith("..") && !isAbsolute(path);
}
