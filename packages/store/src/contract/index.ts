import { afterAll, beforeAll, describe } from "vitest";
import type { PaymentStore } from "../payment-store.ts";
import { auditContract } from "./audit-contract.ts";
import { gaugesContract } from "./gauges-contract.ts";
import { insertContract } from "./insert-contract.ts";
import { listContract } from "./list-contract.ts";
import { outboxContract } from "./outbox-contract.ts";
import { createPaymentFixtures } from "./payment-fixtures.ts";
import { rejectionContract } from "./rejection-contract.ts";
import { resolutionContract } from "./resolution-contract.ts";
import { updateContract } from "./update-contract.ts";

export { createPaymentFixtures, type PaymentFixtures } from "./payment-fixtures.ts";

/**
 * Registers the vitest tests every PaymentStore must pass, so the memory store, PGlite and Postgres
 * are held to one definition of correct (docs/architecture.md §6). `open` runs once for the suite; the store
 * may hold data from earlier runs, because every test works under callers and ids of its own.
 */
export function runPaymentStoreContract(name: string, open: () => Promise<PaymentStore>): void {
  describe(`PaymentStore contract: ${name}`, () => {
    let opened: PaymentStore | undefined;
    const store = (): PaymentStore => {
      if (opened === undefined) throw new Error(`the ${name} store did not open`);
      return opened;
    };
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.close();
    });
    const fixtures = createPaymentFixtures();
    insertContract(store, fixtures);
    updateContract(store, fixtures);
    listContract(store, fixtures);
    resolutionContract(store, fixtures);
    auditContract(store, fixtures);
    outboxContract(store, fixtures);
    rejectionContract(store, fixtures);
    gaugesContract(store, fixtures);
  });
}
