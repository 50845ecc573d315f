import type { FailureCode } from "./magic-values.ts";

/** Xendit's disbursement statuses: PENDING until the bank network answers, then final. */
export type DisbursementStatus = "PENDING" | "COMPLETED" | "FAILED";

/** One disbursement: the simulator's record of a real payout (a charge). */
export interface SimDisbursement {
  id: string;
  externalId: string;
  userId: string;
  /** Whole rupiah. */
  amount: number;
  bankCode: string;
  accountHolderName: string;
  /** Kept in full: the simulator plays the provider, which knows it. Never echoed in answers. */
  accountNumber: string;
  description: string;
  /** A documented status, or any word `POST /sim/override` put there (a Xendit of tomorrow). */
  status: DisbursementStatus | (string & {});
  failureCode?: FailureCode | (string & {});
  created: Date;
  updated: Date;
}

/** What an idempotency key was spent on. */
export interface SpentKey {
  /** SHA-256 of the request body, to tell a replay from a reuse with a different request. */
  fingerprint: string;
  disbursementId: string;
  /** The success body as first created, which replay mode answers again. */
  originalAnswer: unknown;
}

/** The simulator's disbursements and spent idempotency keys. */
export interface DisbursementStore {
  add(disbursement: SimDisbursement, key: { value: string; spent: SpentKey } | undefined): void;
  byId(id: string): SimDisbursement | undefined;
  /** Newest first, as the API answers it. external_id need not be unique on Xendit, hence a list. */
  byExternalId(externalId: string): SimDisbursement[];
  spentKey(key: string): SpentKey | undefined;
  /** Every disbursement, oldest first. */
  list(): SimDisbursement[];
  /** Every spent idempotency key with what it was spent on, for a state file. */
  spentKeys(): [string, SpentKey][];
  clear(): void;
}

/** Creates an empty store. */
export function createDisbursementStore(): DisbursementStore {
  const byId = new Map<string, SimDisbursement>();
  const keys = new Map<string, SpentKey>();
  return {
    add(disbursement, key) {
      byId.set(disbursement.id, disbursement);
      if (key !== undefined) keys.set(key.value, key.spent);
    },
    byId: (id) => byId.get(id),
    byExternalId: (externalId) =>
      [...byId.values()]
        .filter((d) => d.externalId === externalId)
        .sort((a, b) => b.created.getTime() - a.created.getTime()),
    spentKey: (key) => keys.get(key),
    list: () => [...byId.values()],
    spentKeys: () => [...keys],
    clear() {
      byId.clear();
      keys.clear();
    },
  };
}
