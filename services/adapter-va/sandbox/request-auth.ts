import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { header } from "@paymesh/sandbox-kit";
import { failures } from "./midtrans-failure.ts";

/**
 * Checks `Authorization: Basic base64(ServerKey + ":")` (docs/providers.md): the username is the
 * server key, the password empty. Anything else is Midtrans's 401. Compared in constant time,
 * as a real provider would, so the simulator is not a timing oracle in anyone's test rig.
 */
export function checkServerKey(request: IncomingMessage, serverKey: string): void {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header(request, "authorization") ?? "");
  const given = Buffer.from(match?.[1] ?? "", "base64");
  const expected = Buffer.from(`${serverKey}:`, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw failures.unauthorized();
}
