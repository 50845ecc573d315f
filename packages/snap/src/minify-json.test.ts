import { describe, expect, it } from "vitest";
import { minifiedBodyHash } from "./body-hash.ts";
import { minifyJson } from "./minify-json.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("minifyJson", () => {
  it("drops whitespace between tokens and keeps key order and number text", () => {
    const pretty = '{\r\n  "b" : 1.50,\n\t"a": [ 1e3 , -0 ],\n  "c": {  }\n}\n';
    expect(text(minifyJson(pretty))).toBe('{"b":1.50,"a":[1e3,-0],"c":{}}');
  });

  it("keeps whitespace, escaped quotes and backslashes inside strings", () => {
    const pretty = '{ "desc" : "Paid \\"in full\\"  at\\t 10:00 \\\\", "x" : "a b" }';
    expect(text(minifyJson(pretty))).toBe('{"desc":"Paid \\"in full\\"  at\\t 10:00 \\\\","x":"a b"}');
  });

  it("leaves a minified body byte-identical", () => {
    const minified = '{"originalReferenceNo":"A1","amount":{"value":"10000.00","currency":"IDR"}}';
    expect(text(minifyJson(minified))).toBe(minified);
  });

  it("keeps bytes that are not UTF-8 as sent", () => {
    const bytes = Uint8Array.of(0x7b, 0x20, 0x22, 0xff, 0x20, 0x22, 0x20, 0x7d);
    expect([...minifyJson(bytes)]).toEqual([0x7b, 0x22, 0xff, 0x20, 0x22, 0x7d]);
  });
});

describe("minifiedBodyHash", () => {
  it("hashes a pretty-printed body as its minified form (SHA-256(minify(body)))", () => {
    const minified = '{"latestTransactionStatus":"00","amount":{"value":"1.00","currency":"IDR"}}';
    const pretty = JSON.stringify(JSON.parse(minified), null, 2);
    expect(pretty).not.toBe(minified);
    expect(minifiedBodyHash(pretty)).toBe(minifiedBodyHash(minified));
    expect(minifiedBodyHash(new TextEncoder().encode(pretty))).toBe(minifiedBodyHash(minified));
  });

  it("tells a changed value apart", () => {
    expect(minifiedBodyHash('{"a": "1"}')).not.toBe(minifiedBodyHash('{"a": "2"}'));
    expect(minifiedBodyHash('{"a": "x y"}')).not.toBe(minifiedBodyHash('{"a": "xy"}'));
  });
});
