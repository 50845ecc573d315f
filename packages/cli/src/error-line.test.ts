import { GrpcCode, PaymeshError } from "@paymesh/adapter-kit";
import { ErrorReason } from "@paymesh/proto";
import { QrisError } from "@paymesh/qris";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.ts";
import { errorLine } from "./error-line.ts";
import { spawnCli } from "./testing/spawn-cli.ts";

describe("errorLine", () => {
  it("shows a router error as gRPC code, reason, field and message", () => {
    const error = new PaymeshError(ErrorReason.AMOUNT_OUT_OF_RANGE, "amount.minor_units: must be positive", {
      field: "amount.minor_units",
    });
    expect(errorLine(error)).toBe(
      "INVALID_ARGUMENT AMOUNT_OUT_OF_RANGE field=amount.minor_units: amount.minor_units: must be positive",
    );
  });

  it("says the reason once when it only repeats the code", () => {
    const error = new PaymeshError(ErrorReason.UNAUTHENTICATED, "unknown bearer token");
    expect(errorLine(error)).toBe("UNAUTHENTICATED: unknown bearer token");
  });

  it("leaves out field= when the error is not about a field", () => {
    const error = new PaymeshError(ErrorReason.IDEMPOTENCY_KEY_IN_USE, "still running");
    expect(errorLine(error)).toBe("ABORTED IDEMPOTENCY_KEY_IN_USE: still running");
  });

  it("keeps the status the server sent even when it differs from the reason's usual one", () => {
    const error = new PaymeshError(ErrorReason.PROVIDER_ERROR, "upstream\nsaid no", {
      code: GrpcCode.UNAVAILABLE,
    });
    expect(errorLine(error)).toBe("UNAVAILABLE PROVIDER_ERROR: upstream said no");
  });

  it("prefixes QRIS codec errors so the reader knows what was invalid", () => {
    const error = new QrisError("BAD_VALUE", 'amount "0" must be positive', { tag: "54", offset: 68 });
    expect(errorLine(error)).toBe('invalid QRIS payload: tag 54 at offset 68: amount "0" must be positive');
  });

  it("passes CLI errors and anything else through as their message", () => {
    expect(errorLine(new CliError("no simulator"))).toBe("no simulator");
    expect(errorLine("bare string")).toBe("bare string");
  });
});

describe("router errors on the command line", () => {
  it("says in one line that the router is not reachable, not that an adapter is unavailable, exit 1", async () => {
    const run = await spawnCli(["payments", "get", "pay_missing", "--router", "127.0.0.1:1"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderrLines).toEqual([
      'paymesh: the router at 127.0.0.1:1 is not reachable (ECONNREFUSED); is the stack up? start it with "./run pnpm start", or pass --router',
    ]);
  });
});
