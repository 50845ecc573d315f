import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@paymesh/adapter-kit";
import { describe, expect, it } from "vitest";
import { loadReconcilerConfig } from "./reconciler-config.ts";

const DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
const VA = { address: "127.0.0.1:50062", provider: "midtrans", settlementLagMs: 86_400_000 };
const config = (json: unknown) => JSON.stringify(json);

/** The ConfigError's message loadReconcilerConfig throws for `env`. */
function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadReconcilerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("the config was accepted");
}

describe("loadReconcilerConfig", () => {
  it("fills the defaults: 00:00 WIB cut-off, a week's look-back, retries over about two hours", () => {
    const loaded = loadReconcilerConfig({
      DATABASE_URL,
      PAYMESH_RECON_CONFIG: config({
        adapters: { va: { ...VA, fees: [{ currency: "IDR", flatMinor: "400000", taxPpm: 110_000 }] } },
      }),
    });
    expect(loaded).toEqual({
      databaseUrl: DATABASE_URL,
      amqpPrefix: "",
      host: "127.0.0.1",
      httpPort: 0,
      grpcPort: 0,
      operators: {},
      adapters: {
        va: {
          address: "127.0.0.1:50062",
          provider: "midtrans",
          terms: {
            timeZone: "Asia/Jakarta",
            settlementLagMs: 86_400_000,
            fees: [{ currency: "IDR", flatMinor: 400_000n, taxPpm: 110_000 }],
          },
        },
      },
      lookBackDays: 7,
      intervalMs: 60_000,
      retryDelaysMs: [60_000, 300_000, 1_800_000],
      maxAttempts: 8,
    });
  });

  it("takes each adapter's own cut-off zone over the default", () => {
    const loaded = loadReconcilerConfig({
      DATABASE_URL,
      AMQP_URL: "amqp://guest:guest@127.0.0.1:5672",
      PAYMESH_RECON_CONFIG: config({
        timeZone: "UTC",
        adapters: { va: VA, wise: { ...VA, timeZone: "Europe/London" } },
      }),
    });
    expect(loaded.amqpUrl).toBe("amqp://guest:guest@127.0.0.1:5672");
    expect(loaded.adapters.va?.terms.timeZone).toBe("UTC");
    expect(loaded.adapters.wise?.terms.timeZone).toBe("Europe/London");
  });

  it("takes operators' tokens from the JSON and from PAYMESH_OPERATORS_FILE, the file's on top", () => {
    const file = join(mkdtempSync(join(tmpdir(), "paymesh-recon-")), "operators.json");
    writeFileSync(file, JSON.stringify({ sari: "sari-token-from-the-secret-0001" }));
    const loaded = loadReconcilerConfig({
      DATABASE_URL,
      RECON_GRPC_PORT: "50070",
      PAYMESH_OPERATORS_FILE: file,
      PAYMESH_RECON_CONFIG: config({
        adapters: { va: VA },
        operators: { sari: "sari-token-inline-000000001", budi: "budi-token-inline-000000001" },
      }),
    });
    expect(loaded.grpcPort).toBe(50_070);
    expect(loaded.operators).toEqual({
      sari: "sari-token-from-the-secret-0001",
      budi: "budi-token-inline-000000001",
    });
    writeFileSync(file, JSON.stringify({ sari: "short" }));
    const refused = refusal({
      DATABASE_URL,
      PAYMESH_OPERATORS_FILE: file,
      PAYMESH_RECON_CONFIG: config({ adapters: { va: VA } }),
    });
    expect(refused).toBe('reconciler: PAYMESH_OPERATORS_FILE must be a JSON object {"<name>": "<token>"}');
    expect(refused).not.toContain("short");
    expect(
      refusal({
        DATABASE_URL,
        PAYMESH_RECON_CONFIG: config({ adapters: { va: VA }, operators: { sari: "x" } }),
      }),
    ).toBe("reconciler: PAYMESH_RECON_CONFIG operators.sari: a token must be at least 16 characters");
  });

  it("names the variable, and the field inside the JSON, that is wrong", () => {
    const adapters = { va: VA };
    expect(refusal({ PAYMESH_RECON_CONFIG: config({ adapters }) })).toBe(
      "reconciler: DATABASE_URL is required",
    );
    expect(refusal({ DATABASE_URL })).toBe(
      "reconciler: PAYMESH_RECON_CONFIG is required (JSON), or PAYMESH_RECON_CONFIG_FILE",
    );
    expect(refusal({ DATABASE_URL, PAYMESH_RECON_CONFIG: "{" })).toBe(
      "reconciler: PAYMESH_RECON_CONFIG is not JSON",
    );
    expect(
      refusal({
        DATABASE_URL,
        PAYMESH_RECON_CONFIG: config({ adapters: { va: { ...VA, settlementLagMs: -1 } } }),
      }),
    ).toMatch(/^reconciler: PAYMESH_RECON_CONFIG adapters\.va\.settlementLagMs: /);
    expect(
      refusal({
        DATABASE_URL,
        PAYMESH_RECON_CONFIG: config({ adapters: { va: { ...VA, timeZone: "Mars/Olympus" } } }),
      }),
    ).toBe('reconciler: PAYMESH_RECON_CONFIG adapters.va.timeZone: "Mars/Olympus" is not a time zone');
    expect(
      refusal({
        DATABASE_URL,
        PAYMESH_RECON_CONFIG: config({
          adapters: { va: { ...VA, fees: [{ currency: "IDR", ratePpm: 2_000_000 }] } },
        }),
      }),
    ).toBe(
      "reconciler: PAYMESH_RECON_CONFIG adapters.va.fees: fee rule IDR: ratePpm 2000000 is not an integer in [0, 1000000]",
    );
    expect(refusal({ DATABASE_URL, PAYMESH_RECON_CONFIG_FILE: "/nonexistent/recon.json" })).toBe(
      "reconciler: PAYMESH_RECON_CONFIG_FILE names a file that cannot be read (ENOENT)",
    );
    expect(
      refusal({ DATABASE_URL, RECON_HTTP_PORT: "http", PAYMESH_RECON_CONFIG: config({ adapters }) }),
    ).toMatch(/^reconciler: RECON_HTTP_PORT must be an integer/);
  });
});
