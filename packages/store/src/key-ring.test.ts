import { describe, expect, it } from "vitest";
import { open, rewrap, seal } from "./envelope.ts";
import { createKeyRing, formatKeyRing, generateKeyEncryptionKey, parseKeyRing } from "./key-ring.ts";

const KEY = Buffer.alloc(32, 7).toString("base64");

describe("parseKeyRing", () => {
  it("reads several keys, the first sealing, and writes them back the same", () => {
    const ring = parseKeyRing(`new:${KEY}, old:${Buffer.alloc(32, 9).toString("base64")}`);
    expect(ring.current.id).toBe("new");
    expect(ring.ids).toEqual(["new", "old"]);
    expect(parseKeyRing(formatKeyRing(ring)).find("old")?.key).toEqual(new Uint8Array(32).fill(9));
  });

  it.each([
    ["", "at least one key is required"],
    [KEY, 'each key must be written "<id>:<base64 of 32 bytes>"'],
    ["k1:not base64!", "key k1 is not base64"],
    [`k1:${Buffer.alloc(16).toString("base64")}`, "key k1 must be 32 bytes, got 16"],
    [`k1:${KEY},k1:${KEY}`, "key id k1 is given twice"],
    [`bad id:${KEY}`, 'key id "bad id" must match'],
  ])("refuses %j, saying why without showing a key", (text, message) => {
    expect(() => parseKeyRing(text)).toThrow(message);
    try {
      parseKeyRing(text);
    } catch (error) {
      expect(String(error)).not.toContain(KEY);
    }
  });
});

describe("envelope encryption", () => {
  it("opens what it sealed only for the same context, and re-wraps without touching the data", () => {
    const first = createKeyRing([generateKeyEncryptionKey("a")]);
    const sealed = seal(first, new TextEncoder().encode("1234567890"), "pay_1");
    expect(new TextDecoder().decode(open(first, sealed, "pay_1"))).toBe("1234567890");
    expect(() => open(first, sealed, "pay_2")).toThrow("the data sealed for pay_2 was altered");

    const rotated = createKeyRing([
      generateKeyEncryptionKey("b"),
      ...first.ids.map((id) => first.find(id) ?? first.current),
    ]);
    const moved = rewrap(rotated, sealed);
    expect(moved).toMatchObject({ keyId: "b", ciphertext: sealed.ciphertext });
    expect(new TextDecoder().decode(open(createKeyRing([rotated.current]), moved, "pay_1"))).toBe(
      "1234567890",
    );
  });
});
