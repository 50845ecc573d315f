import { usageError } from "./cli-error.ts";
import { helpHint } from "./option-checks.ts";

/**
 * Compares names the way the CLI prints them in different places: `bank_transfer` (a list line),
 * `bankTransfer` (a proto3 JSON key), `BANK_TRANSFER`, `PAYMENT_STATUS_SUCCEEDED` (proto3 JSON
 * value) and `succeeded` all reduce to the same letters and digits.
 */
function normalize(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, "").toLowerCase();
}

/**
 * Reads one value of a fixed list in any form the CLI itself prints. `choices` are the canonical
 * names (`bank_transfer`, `succeeded`); `prefix` is the proto enum's value prefix
 * (`PAYMENT_STATUS_`), which may be given or left out. Anything else is a usage error (exit 2) that
 * lists the choices.
 */
export function parseChoice<C extends string>(
  commandName: string,
  option: string,
  value: string,
  choices: readonly C[],
  prefix = "",
): C {
  const given = normalize(value);
  const bare =
    prefix !== "" && given.startsWith(normalize(prefix)) ? given.slice(normalize(prefix).length) : given;
  const found = choices.find((choice) => normalize(choice) === given || normalize(choice) === bare);
  if (found === undefined) {
    throw usageError(
      `${commandName}: --${option} ${JSON.stringify(value)} is not one of ${choices.join(", ")}`,
      helpHint(commandName),
    );
  }
  return found;
}

/** A comma-separated list of choices (`--status succeeded,failed`), each read by parseChoice. */
export function parseChoiceList<C extends string>(
  commandName: string,
  option: string,
  value: string | undefined,
  choices: readonly C[],
  prefix = "",
): C[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .filter((name) => name.trim() !== "")
    .map((name) => parseChoice(commandName, option, name.trim(), choices, prefix));
}

/**
 * The lower snake case names of a protobuf-es enum (`PaymentStatus` → `succeeded`, …), without its
 * UNSPECIFIED zero value, in the enum's order: the choices for parseChoice.
 */
export function enumChoices(values: Readonly<Record<string, string | number>>): string[] {
  return Object.entries(values)
    .filter(([name, number]) => typeof number === "number" && number !== 0 && !/^\d/.test(name))
    .map(([name]) => name.toLowerCase());
}

/** The number of `choice` in a protobuf-es enum, the inverse of enumChoices. */
export function enumNumber(values: Readonly<Record<string, string | number>>, choice: string): number {
  const number = values[choice.toUpperCase()];
  if (typeof number !== "number") throw new Error(`no enum value ${choice}`);
  return number;
}
