import { crc16CcittFalse, encodeQris, type QrisPayload } from "@paymesh/qris";
import { describe, expect, it } from "vitest";
import { spawnCli } from "../testing/spawn-cli.ts";

// A dynamic QR as an acquirer would return it: one acquirer template (26), Rp25.000,50 in tag 54.
const PAYLOAD = encodeQris([
  { tag: "01", value: "12" },
  {
    tag: "26",
    value: "",
    children: [
      { tag: "00", value: "ID.DANA.WWW" },
      { tag: "01", value: "936009153000012345" },
    ],
  },
  { tag: "52", value: "5812" },
  { tag: "53", value: "360" },
  { tag: "54", value: "25000.50" },
  { tag: "58", value: "ID" },
  { tag: "59", value: "WARUNG BU SITI" },
  { tag: "60", value: "JAKARTA" },
]);

/** Joins fields and appends a correct CRC, so the payload is wrong only where the test says. */
function withCrc(parts: readonly string[]): string {
  const body = `${parts.join("")}6304`;
  return body + crc16CcittFalse(body);
}

describe("paymesh qris decode", () => {
  it("prints the decoded payload as JSON and exits 0", async () => {
    const run = await spawnCli(["qris", "decode", PAYLOAD]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const decoded = JSON.parse(run.stdout) as QrisPayload;
    expect(decoded.merchantName).toBe("WARUNG BU SITI");
    expect(decoded.amount).toBe("25000.50");
    expect(decoded.pointOfInitiation).toBe("dynamic");
    expect(decoded.merchantAccounts[0]?.globalId).toBe("ID.DANA.WWW");
  });

  it("reads the payload from stdin when given -", async () => {
    const run = await spawnCli(["qris", "decode", "-"], { input: `${PAYLOAD}\n` });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as QrisPayload).merchantName).toBe("WARUNG BU SITI");
  });

  it("names the tag and offset of a bad field in exactly one stderr line, exit 1", async () => {
    // 54@68 as in the qris package's fixtures: the amount is "0", with a correct CRC around it.
    const zeroAmount = withCrc([
      "000201",
      "010212",
      "2637" + "0011ID.DANA.WWW" + "0118936009153000012345",
      "52045812",
      "5303360",
      "54010",
      "5802ID",
      "5904TOKO",
      "6007JAKARTA",
    ]);
    const run = await spawnCli(["qris", "decode", zeroAmount]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toEqual([
      'paymesh: invalid QRIS payload: tag 54 at offset 68: amount "0" must be positive',
    ]);
  });

  it("reports a damaged CRC in one line", async () => {
    const damaged = `${PAYLOAD.slice(0, -4)}0000`;
    const run = await spawnCli(["qris", "decode", damaged]);
    expect(run.code).toBe(1);
    expect(run.stderrLines).toHaveLength(1);
    expect(run.stderrLines[0]).toMatch(/^paymesh: invalid QRIS payload: tag 63 at offset \d+: CRC mismatch/);
  });

  it("asks for quotes when an unquoted payload was split at its spaces (usage error, exit 2)", async () => {
    const run = await spawnCli(["qris", "decode", ...PAYLOAD.split(" ")]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe(
      "paymesh: qris decode: 2 unexpected arguments; quote the payload, it contains spaces",
    );
  });

  it("needs a payload", async () => {
    const run = await spawnCli(["qris", "decode"]);
    expect(run.code).toBe(2);
    expect(run.stderrLines[0]).toBe("paymesh: qris decode: missing <payload>");
  });
});
