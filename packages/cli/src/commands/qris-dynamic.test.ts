import { decodeQris, encodeQris, parseQrisAmount } from "@paymesh/qris";
import { describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";

// A warung's static sticker: 01 = 11, no amount, a reference label in 62 that must survive.
const STICKER = encodeQris([
  { tag: "01", value: "11" },
  {
    tag: "26",
    value: "",
    children: [
      { tag: "00", value: "ID.CO.BRI.WWW" },
      { tag: "01", value: "936000020000098765" },
    ],
  },
  { tag: "52", value: "5812" },
  { tag: "53", value: "360" },
  { tag: "58", value: "ID" },
  { tag: "59", value: "WARUNG MAKAN SEDERHANA" },
  { tag: "60", value: "BANDUNG" },
  { tag: "62", value: "", children: [{ tag: "05", value: "SHOP-REF-001" }] },
]);

function field(payload: string, tag: string): string | undefined {
  return decodeQris(payload).fields.find((f) => f.tag === tag)?.value;
}

describe("paymesh qris dynamic", () => {
  it("stamps the amount onto the sticker: 01 = 12, tag 54 set, CRC valid", async () => {
    const run = await spawnCli(["qris", "dynamic", STICKER, "25000"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const dynamic = run.stdout.trimEnd();
    expect(run.stdout).toBe(`${dynamic}\n`);
    expect(field(dynamic, "01")).toBe("12");
    expect(field(dynamic, "54")).toBe("25000");
    expect(parseQrisAmount(decodeQris(dynamic).amount ?? "")).toBe(2_500_000n);
    expect(decodeQris(dynamic).additionalData?.referenceLabel).toBe("SHOP-REF-001");
    expect(decodeQris(dynamic).merchantName).toBe("WARUNG MAKAN SEDERHANA");
  });

  it("writes sen with two decimals, as tag 54 wants", async () => {
    const run = await spawnCli(["qris", "dynamic", STICKER, "10000.5"]);
    expect(run.code).toBe(0);
    expect(field(run.stdout.trimEnd(), "54")).toBe("10000.50");
  });

  it("sets tag 62 labels from options", async () => {
    const run = await spawnCli(["qris", "dynamic", STICKER, "15000", "--terminal-label", "KASIR-2"]);
    expect(run.code).toBe(0);
    const data = decodeQris(run.stdout.trimEnd()).additionalData;
    expect(data?.terminalLabel).toBe("KASIR-2");
    expect(data?.referenceLabel).toBe("SHOP-REF-001");
  });

  it.each([
    ["0", 'paymesh: amount "0" must be positive'],
    ["-5", 'paymesh: amount "-5" must be positive'],
    ["12.3456", 'paymesh: amount "12.3456" has more than 2 decimals; IDR has 2'],
    ["lots", 'paymesh: amount "lots" is not a number of rupiah; write digits like 25000 or 25000.50'],
    [
      "12345678901234",
      'paymesh: amount "12345678901234" does not fit in a QRIS amount (tag 54, 13 characters)',
    ],
  ])("refuses amount %s in one stderr line, exit 1", async (amount, line) => {
    const run = await spawnCli(["qris", "dynamic", STICKER, amount]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toEqual([line]);
  });

  it("reports a broken sticker as an invalid payload", async () => {
    const run = await spawnCli(["qris", "dynamic", STICKER.slice(0, -1), "25000"]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/^paymesh: invalid QRIS payload: /);
  });
});
