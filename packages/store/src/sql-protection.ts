import { open, rewrap } from "./envelope.ts";
import type { KeyRing } from "./key-ring.ts";
import { methodValue, PAYMENT_COLUMNS, paymentFromRow, sealedMethodFromRow } from "./row-mapping.ts";
import { readText } from "./row-values.ts";
import { protectMethod } from "./sealed-method.ts";
import type { SqlClient } from "./sql-client.ts";

/** What protectAtRest did. */
export interface ProtectionResult {
  /** Rows written before methods were masked (migration 5), now masked and, if PENDING, sealed. */
  masked: number;
  /** Sealed methods whose data key was wrapped by an older key, now wrapped by the current one. */
  rewrapped: number;
}

const BATCH = 200;

/**
 * Brings every payment row to the current protection (docs/architecture.md §7): masks the methods
 * of rows written before migration 5 (sealing those still PENDING), re-wraps data keys wrapped by
 * an older key under the current one, and opens one sealed method per key id to prove the keys are
 * the ones the data was sealed with. Throws a SealedValueError naming the key when a row's key is
 * not configured or not the right one, so a wrong PAYMESH_KEK stops a router at start, not on a
 * caller's retry. Safe to run from several routers at once (rows are taken with SKIP LOCKED).
 */
export async function protectAtRest(sql: SqlClient, keys: KeyRing): Promise<ProtectionResult> {
  let masked = 0;
  for (;;) {
    const done = await sql.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT ${PAYMENT_COLUMNS.join(", ")} FROM payments WHERE method_in_clear
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      for (const row of rows) {
        const record = protectMethod(keys, paymentFromRow(row));
        await tx.query(
          `UPDATE payments SET method = $2, sealed_method = $3, sealed_method_key = $4,
            sealed_method_key_id = $5, method_in_clear = false WHERE id = $1`,
          [
            record.id,
            methodValue(record.method),
            record.sealedMethod?.ciphertext ?? null,
            record.sealedMethod?.wrappedKey ?? null,
            record.sealedMethod?.keyId ?? null,
          ],
        );
      }
      return rows.length;
    });
    masked += done;
    if (done < BATCH) break;
  }

  let rewrapped = 0;
  for (;;) {
    const done = await sql.transaction(async (tx) => {
      const rows = await tx.query(
        `SELECT id, sealed_method, sealed_method_key, sealed_method_key_id FROM payments
          WHERE sealed_method_key_id IS NOT NULL AND sealed_method_key_id <> $1
          ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [keys.current.id],
      );
      for (const row of rows) {
        const moved = rewrap(keys, sealedMethodFromRow(row));
        await tx.query(
          "UPDATE payments SET sealed_method_key = $2, sealed_method_key_id = $3 WHERE id = $1",
          [readText(row, "id"), moved.wrappedKey, moved.keyId],
        );
      }
      return rows.length;
    });
    rewrapped += done;
    if (done < BATCH) break;
  }

  // After the re-wrap only the current key should remain; one row of each key id left proves it opens.
  const samples = await sql.query(
    `SELECT DISTINCT ON (sealed_method_key_id) id, sealed_method, sealed_method_key, sealed_method_key_id
      FROM payments WHERE sealed_method_key_id IS NOT NULL ORDER BY sealed_method_key_id, id`,
  );
  for (const row of samples) open(keys, sealedMethodFromRow(row), readText(row, "id"));
  return { masked, rewrapped };
}
