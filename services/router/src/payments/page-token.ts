import { createHash } from "node:crypto";
import { invalidField } from "@paymesh/adapter-kit";
import type { PaymentFilter } from "@paymesh/store";

/**
 * Page tokens carry the cursor plus a digest of the filter they were made for, so a token replayed
 * with different filters is refused instead of silently returning the wrong page.
 */
export function encodePageToken(after: string, filter: PaymentFilter): string {
  return Buffer.from(JSON.stringify({ a: after, f: filterDigest(filter) })).toString("base64url");
}

/** The cursor in a page token, or undefined for the first page. */
export function decodePageToken(token: string, filter: PaymentFilter): string | undefined {
  if (token === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidField("page_token", "is not a token this service issued");
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    !("a" in parsed) ||
    !("f" in parsed) ||
    typeof parsed.a !== "string" ||
    // The cursor goes into the store's query: only ever a payment id, as this service wrote it.
    !/^pay_[0-9a-z]{26}$/.test(parsed.a)
  ) {
    throw invalidField("page_token", "is not a token this service issued");
  }
  if (parsed.f !== filterDigest(filter)) throw invalidField("page_token", "was issued for different filters");
  return parsed.a;
}

function filterDigest(filter: PaymentFilter): string {
  const canonical = JSON.stringify([
    [...filter.statuses].sort(),
    [...filter.methods].sort(),
    filter.createdAfter?.toISOString() ?? "",
    filter.createdBefore?.toISOString() ?? "",
    filter.unresolvedOnly === true,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}
