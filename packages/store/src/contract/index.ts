import { afterAll, beforeAll, describe } from "vitest";
import type { PaymentStore } from "../payment-store.ts";
import type { SqlClient } from "../sql-client.ts";
import { createSqlPaymentStore, type SqlPaymentStoreOptions } from "../sql-payment-store.ts";
import { auditContract } from "./audit-contract.ts";
import { gaugesContract } from "./gauges-contract.ts";
import { insertContract } from "./insert-contract.ts";
import { listContract } from "./list-contract.ts";
import { outboxContract } from "./outbox-contract.ts";
import { createPaymentFixtures } from "./payment-fixtures.ts";
import { protectionContract, type StoreDump } from "./protection-contract.ts";
import { rejectionContract } from "./rejection-contract.ts";
import { resolutionContract } from "./resolution-contract.ts";
import { stepContract } from "./step-contract.ts";
import { updateContract } from "./update-contract.ts";

export { keyRotationContract } from "./key-rotation-contract.ts";
export { createPaymentFixtures, type PaymentFixtures } from "./payment-fixtures.ts";
export type { StoreDump } from "./protection-contract.ts";

/** A store under contract, and for a database, a dump of every table it has. */
export interface OpenedStore {
  store: PaymentStore;
  dump?: StoreDump;
}

/**
 * The SQL store over `sql`, with a dump of every row of every table in its schema, each row cast to
 * text (so bytea shows as hex), for the contract to search.
 */
export async function openSqlStoreWithDump(
  sql: SqlClient,
  options: Omit<SqlPaymentStoreOptions, "sql"> = {},
): Promise<OpenedStore> {
  const store = await createSqlPaymentStore({ sql, ...options });
  const dump: StoreDump = async () => {
    const tables = await sql.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [sql.schema],
    );
    const lines: string[] = [];
    for (const { table_name: table } of tables) {
      const rows = await sql.query(`SELECT t::text AS row FROM "${String(table)}" t`);
      for (const { row } of rows) lines.push(`${String(table)}: ${String(row)}`);
    }
    return lines.join("\n");
  };
  return { store, dump };
}

/**
 * Registers the vitest tests every PaymentStore must pass, so the memory store, PGlite and Postgres
 * are held to one definition of correct (docs/architecture.md §6). `open` runs once for the suite; the store
 * may hold data from earlier runs, because every test works under callers and ids of its own.
 */
export function runPaymentStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`PaymentStore contract: ${name}`, () => {
    let opened: OpenedStore | undefined;
    const store = (): PaymentStore => {
      if (opened === undefined) throw new Error(`the ${name} store did not open`);
      return opened.store;
    };
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.store.close();
    });
    const fixtures = createPaymentFixtures();
    insertContract(store, fixtures);
    updateContract(store, fixtures);
    stepContract(store, fixtures);
    listContract(store, fixtures);
    resolutionContract(store, fixtures);
    auditContract(store, fixtures);
    outboxContract(store, fixtures);
    rejectionContract(store, fixtures);
    protectionContract(store, fixtures, () => opened?.dump);
    gaugesContract(store, fixtures);
  });
}
