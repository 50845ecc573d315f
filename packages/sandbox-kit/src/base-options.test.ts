import { describe, expect, it } from "vitest";
import { resolveBaseOptions } from "./base-options.ts";

describe("resolveBaseOptions", () => {
  it("listens on 127.0.0.1 at a free port, with no notifyUrl and the real clock, by default", () => {
    const resolved = resolveBaseOptions({});
    expect(resolved).toMatchObject({ host: "127.0.0.1", port: 0, notifyUrl: undefined });
    expect(Math.abs(resolved.clock().getTime() - Date.now())).toBeLessThan(1000);
  });

  it("keeps what it was given", () => {
    const clock = () => new Date(0);
    expect(
      resolveBaseOptions({ host: "0.0.0.0", port: 8081, notifyUrl: "http://127.0.0.1:1/hook", clock }),
    ).toEqual({ host: "0.0.0.0", port: 8081, notifyUrl: "http://127.0.0.1:1/hook", clock });
  });
});
