import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/**
 * The name a process is traced under when OTEL_SERVICE_NAME does not give one, from its entry
 * file: the nearest package's name without its scope, and the folder under it when that is not
 * `src`. `services/router/src/main.ts` is "router", `services/adapter-qris/sandbox/main.ts` is
 * "adapter-qris-sandbox". Without a package it is the specification's "unknown_service:node".
 */
export function serviceNameForEntry(entry: string | undefined): string {
  const fallback = "unknown_service:node";
  if (entry === undefined || entry === "") return fallback;
  for (let folder = dirname(entry); ; folder = dirname(folder)) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest)) {
      const name = packageName(manifest);
      if (name === undefined) return fallback;
      const [part] = relative(folder, entry).split(sep);
      return part === undefined || part === "src" || part === relative(folder, entry)
        ? name
        : `${name}-${part}`;
    }
    if (dirname(folder) === folder) return fallback;
  }
}

function packageName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
    const name = typeof parsed === "object" && parsed !== null && "name" in parsed ? parsed.name : undefined;
    return typeof name === "string" && name !== "" ? name.replace(/^@[^/]+\//, "") : undefined;
  } catch {
    return undefined;
  }
}
