import { runPaymentStoreContract } from "./contract/index.ts";
import { createMemoryPaymentStore } from "./memory-payment-store.ts";

runPaymentStoreContract("memory", async () => ({ store: createMemoryPaymentStore() }));
