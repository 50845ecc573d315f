import { GrpcCode, isPaymeshError } from "@paymesh/adapter-kit";
import { isQrisError } from "@paymesh/qris";
import { isCliError } from "./cli-error.ts";

const CODE_NAMES = new Map<number, string>(
  Object.entries(GrpcCode).flatMap(([name, value]) => (typeof value === "number" ? [[value, name]] : [])),
);

/**
 * The one stderr line (without the `paymesh: ` prefix) for anything a command throws. Router errors
 * show the gRPC code, the unified reason and the field at fault — the three things a caller branches
 * on — so an operator can read the same triple a service would see.
 */
export function errorLine(error: unknown): string {
  if (isCliError(error)) return error.message;
  if (isPaymeshError(error)) {
    const code = CODE_NAMES.get(error.code) ?? `CODE_${error.code}`;
    // "UNAUTHENTICATED UNAUTHENTICATED" says nothing twice: a reason that only repeats the code
    // (or is unspecified) is left out.
    const reason =
      error.reasonName === code || error.reasonName === "UNSPECIFIED" ? "" : ` ${error.reasonName}`;
    const field = error.field === undefined ? "" : ` field=${error.field}`;
    return `${code}${reason}${field}: ${oneLine(error.message)}`;
  }
  if (isQrisError(error)) return `invalid QRIS payload: ${oneLine(error.message)}`;
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

// Multi-line messages (grpc-js joins causes with newlines) would break "one line per error".
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
