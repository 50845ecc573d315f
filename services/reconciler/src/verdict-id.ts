import { ReconError } from "./recon-error.ts";

/** A verdict's name that a rerun keeps: its run and its line, or its run and the unsettled payment. */
export interface VerdictKey {
  runId: bigint;
  lineNo?: number;
  paymentId?: string;
}

/**
 * The id an operator types: `<run>:<line>` for a line's verdict (`12:345`), `<run>:<payment id>`
 * for a payment no line settled (`12:pay_01jz…`). Payment ids always hold a letter (the router's
 * start with `pay_`), so the part after the colon is a line number exactly when it is all digits.
 */
export function verdictId(key: VerdictKey): string {
  return `${key.runId}:${key.lineNo ?? key.paymentId ?? ""}`;
}

/** Reads a verdict id; INVALID_REQUEST naming `field` when it is not one. */
export function parseVerdictId(text: string, field = "id"): VerdictKey {
  const match = /^(\d{1,18}):(.+)$/.exec(text);
  const subject = match?.[2];
  if (match?.[1] === undefined || subject === undefined) {
    throw new ReconError(
      "INVALID_REQUEST",
      `${field}: ${JSON.stringify(text)} is not a discrepancy id like 12:345 (run:line) or 12:pay_… (run:payment)`,
      { field },
    );
  }
  const runId = BigInt(match[1]);
  if (!/^\d+$/.test(subject)) return { runId, paymentId: subject };
  const lineNo = Number(subject);
  if (!Number.isSafeInteger(lineNo) || lineNo < 1 || lineNo > 2_147_483_647) {
    throw new ReconError("INVALID_REQUEST", `${field}: line ${subject} is out of range`, { field });
  }
  return { runId, lineNo };
}
