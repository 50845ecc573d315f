import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "./cli-error.ts";

/**
 * The adapter template: one file per generated file, at the path it gets, with `.tmpl` appended to
 * what is not TypeScript. Placeholders are whole identifiers-to-be (see {@link AdapterNames}), so
 * the TypeScript templates stay valid TypeScript that biome checks in place.
 */
export const ADAPTER_TEMPLATE_DIR = fileURLToPath(new URL("../templates/adapter/", import.meta.url));

/** The longest adapter name: it is a folder, a package, a webhook path and an env-variable prefix. */
export const MAX_ADAPTER_NAME_LENGTH = 30;

/** Lowercase letters and digits in hyphen-separated words, starting with a letter. */
const ADAPTER_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** The spellings of an adapter name the templates use, by placeholder. */
export interface AdapterNames {
  /** `__name__`: as given, e.g. `acme-pay` (folder, package, webhook path, Describe's provider). */
  name: string;
  /** `__Name__`: `AcmePay`, how messages and Describe's display name call the provider. */
  Name: string;
  /** `__NAME__`: `ACME_PAY`, the prefix of the adapter's environment variables. */
  NAME: string;
}

/** One generated file: its path inside the adapter folder (with `/`) and its text. */
export interface ScaffoldFile {
  path: string;
  text: string;
}

/** Checks an adapter name and spells it the templates' ways; a CliError (exit 1) says what is wrong. */
export function adapterNames(name: string): AdapterNames {
  if (!ADAPTER_NAME.test(name) || name.length > MAX_ADAPTER_NAME_LENGTH) {
    throw new CliError(
      `new adapter: invalid name ${JSON.stringify(name)}: use lowercase letters, digits and single ` +
        `hyphens, starting with a letter, at most ${MAX_ADAPTER_NAME_LENGTH} characters (e.g. acme-pay)`,
    );
  }
  const words = name.split("-");
  return {
    name,
    Name: words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(""),
    NAME: words.join("_").toUpperCase(),
  };
}

/**
 * The adapter's files, rendered from the template. `tsconfigBase` is the path of the repository's
 * tsconfig.base.json as the adapter folder's tsconfig.json reaches it.
 */
export async function renderAdapter(names: AdapterNames, tsconfigBase: string): Promise<ScaffoldFile[]> {
  const values: Readonly<Record<string, string>> = {
    __name__: names.name,
    __Name__: names.Name,
    __NAME__: names.NAME,
    __tsconfigBase__: tsconfigBase,
  };
  const fill = (text: string, where: string): string =>
    text.replace(/__[A-Za-z]+__/g, (placeholder) => {
      const value = Object.hasOwn(values, placeholder) ? values[placeholder] : undefined;
      if (value === undefined)
        throw new Error(`adapter template ${where}: unknown placeholder ${placeholder}`);
      return value;
    });
  const files: ScaffoldFile[] = [];
  for (const template of await templateFiles(ADAPTER_TEMPLATE_DIR)) {
    const text = await readFile(join(ADAPTER_TEMPLATE_DIR, template), "utf8");
    const path = fill(template.replace(/\.tmpl$/, ""), template);
    files.push({ path, text: fill(text, template) });
  }
  return files;
}

/**
 * Writes the files into `dir`, which must not exist yet (its parents may not either). Nothing is
 * left behind when a write fails.
 */
export async function writeScaffold(dir: string, files: readonly ScaffoldFile[]): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(dir); // fails if something appeared there since it was checked
  try {
    for (const file of files) {
      const target = join(dir, ...file.path.split("/"));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, file.text, { flag: "wx" });
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The names of the workspace's packages (packages/*, services/*, test), to keep a new one unique. */
export async function workspacePackageNames(root: string): Promise<Set<string>> {
  const manifests = [join(root, "test", "package.json")];
  for (const group of ["packages", "services"]) {
    const entries = await readdir(join(root, group), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) manifests.push(join(root, group, entry.name, "package.json"));
    }
  }
  const names = new Set<string>();
  for (const manifest of manifests) {
    if (!existsSync(manifest)) continue;
    const { name } = JSON.parse(await readFile(manifest, "utf8")) as { name?: unknown };
    if (typeof name === "string") names.add(name);
  }
  return names;
}

/** The template's files, relative to `dir` with `/` separators, sorted. */
async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}
