import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serviceNameForEntry } from "./service-name.ts";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

describe("serviceNameForEntry", () => {
  it("names a process by its package, and by the folder when it is not src", () => {
    expect(serviceNameForEntry(`${repo}services/router/src/main.ts`)).toBe("router");
    expect(serviceNameForEntry(`${repo}services/adapter-qris/src/main.ts`)).toBe("adapter-qris");
    expect(serviceNameForEntry(`${repo}services/adapter-qris/sandbox/main.ts`)).toBe("adapter-qris-sandbox");
  });

  it("falls back to the specification's unknown_service:node", () => {
    expect(serviceNameForEntry(undefined)).toBe("unknown_service:node");
    expect(serviceNameForEntry("/no-such-folder/main.ts")).toBe("unknown_service:node");
  });
});
