import type { SettlementLine } from "./settlement-line.ts";

/** recon_lines columns in the order lineCsv writes them: the COPY target. */
export const LINE_COLUMNS = [
  "run_id",
  "line_no",
  "kind",
  "type",
  "payment_id",
  "provider_reference",
  "gross_minor",
  "provider_fee_minor",
  "tax_minor",
  "net_minor",
  "currency",
  "business_date",
  "settled_at",
  "batch_id",
  "line_count",
  "provider_status",
  "raw_line",
  "unreadable_reason",
] as const;

type Field = string | bigint | number | null;

/**
 * One recon_lines row as a CSV record for COPY ... WITH (FORMAT csv). In that format an unquoted
 * empty field is NULL and a quoted one is the empty string, so every text is quoted (doubling its
 * quotes) and only NULL is left bare: a provider's text, commas and newlines included, loads as is.
 */
export function lineCsv(runId: bigint, lineNo: number, line: SettlementLine): string {
  let fields: Field[];
  switch (line.kind) {
    case "transaction":
      fields = [
        line.type,
        line.paymentId === undefined || line.paymentId === "" ? null : line.paymentId,
        line.providerReference,
        line.gross,
        line.providerFee,
        line.tax,
        line.net,
        line.currency,
        line.businessDate,
        line.settledAt.toISOString(),
        line.batchId,
        null,
        line.providerStatus,
        line.rawLine,
        null,
      ];
      break;
    case "batch_total":
      fields = [
        null,
        null,
        null,
        line.gross,
        null,
        null,
        line.net,
        line.currency,
        line.businessDate,
        null,
        line.batchId,
        line.lineCount ?? null,
        null,
        line.rawLine,
        null,
      ];
      break;
    case "unreadable":
      fields = [
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        line.batchId === undefined || line.batchId === "" ? null : line.batchId,
        null,
        null,
        line.rawLine,
        line.reason,
      ];
      break;
  }
  return `${[runId, lineNo, line.kind, ...fields].map(csvField).join(",")}\n`;
}

function csvField(value: Field): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  // Postgres text cannot hold NUL; one stray byte in a provider's line must not fail the whole load.
  return `"${value.replaceAll("\0", "\uFFFD").replaceAll('"', '""')}"`;
}
