import { type DescField, type DescMessage, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import { invalidField } from "@paymesh/adapter-kit";

/**
 * Checks every string a request carries, wherever it sits (fields, oneof cases, nested messages,
 * lists, map keys and values), and refuses the request naming the first field that holds:
 *
 * - U+0000. Postgres can store it neither in text nor in jsonb, no provider takes it, and no
 *   reference, name or description needs it. Refused rather than stripped: stripping would store
 *   something other than what the caller sent, and silently change what its idempotency key means.
 * - A lone surrogate (possible through JSON's "\ud800" escapes). It has no UTF-8 form, so it could be
 *   neither stored nor sent on as the caller wrote it.
 */
export function checkRequestText<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): void {
  checkMessage(schema, message as unknown as Record<string, unknown>, "", 0);
}

function checkMessage(
  schema: DescMessage,
  message: Record<string, unknown>,
  path: string,
  depth: number,
): void {
  if (depth > 32) return;
  for (const member of schema.members) {
    if (member.kind === "oneof") {
      const selected = message[member.localName] as { case: string | undefined; value?: unknown } | undefined;
      const field = member.fields.find((candidate) => candidate.localName === selected?.case);
      if (field !== undefined) checkField(field, selected?.value, path, depth);
    } else {
      checkField(member, message[member.localName], path, depth);
    }
  }
}

function checkField(field: DescField, value: unknown, path: string, depth: number): void {
  const name = path === "" ? field.name : `${path}.${field.name}`;
  switch (field.fieldKind) {
    case "scalar":
      if (field.scalar === ScalarType.STRING) checkText(value, name);
      return;
    case "enum":
      return;
    case "message":
      if (value !== undefined) checkMessage(field.message, value as Record<string, unknown>, name, depth + 1);
      return;
    case "list":
      for (const item of value as unknown[]) {
        if (field.listKind === "scalar" && field.scalar === ScalarType.STRING) checkText(item, name);
        if (field.listKind === "message")
          checkMessage(field.message, item as Record<string, unknown>, name, depth + 1);
      }
      return;
    case "map":
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (field.mapKey === ScalarType.STRING) checkText(key, name, "a key");
        if (field.mapKind === "scalar" && field.scalar === ScalarType.STRING)
          checkText(item, name, "a value");
        if (field.mapKind === "message")
          checkMessage(field.message, item as Record<string, unknown>, name, depth + 1);
      }
      return;
  }
}

function checkText(value: unknown, field: string, what = "it"): void {
  if (typeof value !== "string") return;
  if (value.includes("\u0000")) throw invalidField(field, `${what} must not contain U+0000`);
  if (/\p{Cs}/u.test(value))
    throw invalidField(field, `${what} must be valid Unicode (it holds a lone surrogate)`);
}
