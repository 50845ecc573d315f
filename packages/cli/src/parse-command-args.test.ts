import { describe, expect, it } from "vitest";
import { isCliError } from "./cli-error.ts";
import { parseCommandArgs } from "./parse-command-args.ts";

const OPTIONS = { amount: { type: "string" }, key: { type: "string" }, dry: { type: "boolean" } } as const;

function parse(args: string[], names: string[] = []) {
  return parseCommandArgs("pay qris", args, OPTIONS, { names });
}

function usageProblem(args: string[], names: string[] = []): string {
  try {
    parse(args, names);
  } catch (error) {
    if (isCliError(error) && error.exitCode === 2) return error.message;
    throw error;
  }
  throw new Error(`${JSON.stringify(args)} was accepted`);
}

describe("parseCommandArgs", () => {
  it("reads --name value, --name=value, flags and positionals in any order", () => {
    expect(parse(["--amount", "25000", "pay_1", "--key=k-1", "--dry"], ["id"])).toEqual({
      values: { amount: "25000", key: "k-1", dry: true },
      positionals: ["pay_1"],
    });
  });

  it("passes negative numbers and - through as values, for the amount check and stdin", () => {
    expect(parse(["--amount", "-5"]).values.amount).toBe("-5");
    expect(parse(["-5", "-"], ["amount", "payload"]).positionals).toEqual(["-5", "-"]);
  });

  it("treats everything after -- as positional", () => {
    expect(parse(["--", "--amount"], ["x"]).positionals).toEqual(["--amount"]);
  });

  it.each([
    [["--bogus"], 'pay qris: unknown option "--bogus"'],
    [["-x"], 'pay qris: unknown option "-x"'],
    [["--amount"], "pay qris: --amount needs a value"],
    [["--amount", "--key", "k"], "pay qris: --amount needs a value"],
    [["--dry=yes"], "pay qris: --dry takes no value"],
    [["--key", "a", "--key", "b"], "pay qris: --key given twice"],
    [["--constructor", "x"], 'pay qris: unknown option "--constructor"'],
    [["extra"], "pay qris: 1 unexpected argument"],
  ])("rejects %j as a usage error", (args, message) => {
    expect(usageProblem(args)).toBe(message);
  });

  it("collects a repeatable option into a list, in order", () => {
    const options = { detail: { type: "string", multiple: true }, key: { type: "string" } } as const;
    const parsed = parseCommandArgs(
      "pay remittance",
      ["--detail", "a=1", "--detail=b=2", "--key", "k"],
      options,
      {
        names: [],
      },
    );
    expect(parsed.values).toEqual({ detail: ["a=1", "b=2"], key: "k" });
    expect(parseCommandArgs("pay remittance", [], options, { names: [] }).values.detail).toBeUndefined();
  });

  it("names missing positionals", () => {
    expect(usageProblem([], ["static-payload", "amount"])).toBe(
      "pay qris: missing <static-payload> <amount>",
    );
  });
});
