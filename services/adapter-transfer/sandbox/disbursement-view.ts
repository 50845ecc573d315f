import type { SimDisbursement } from "./disbursement-store.ts";

/**
 * A disbursement as the API answers it (create, get by id, get by external_id). The request's
 * `description` comes back as `disbursement_description`; `account_number` never comes back.
 * `failure_code` appears only on FAILED. `created`/`updated` are *unconfirmed* in the API answers
 * (Xendit documents them on callbacks); the simulator sends both everywhere.
 */
export function disbursementView(disbursement: SimDisbursement): Record<string, unknown> {
  return {
    id: disbursement.id,
    user_id: disbursement.userId,
    external_id: disbursement.externalId,
    amount: disbursement.amount,
    bank_code: disbursement.bankCode,
    account_holder_name: disbursement.accountHolderName,
    disbursement_description: disbursement.description,
    status: disbursement.status,
    ...(disbursement.failureCode === undefined ? {} : { failure_code: disbursement.failureCode }),
    created: disbursement.created.toISOString(),
    updated: disbursement.updated.toISOString(),
  };
}

/**
 * The callback body for a disbursement's current state (docs/providers.md: id, external_id, amount,
 * bank_code, account_holder_name, status COMPLETED|FAILED, failure_code), minified. Built once
 * per event: retries resend the same bytes. Xendit calls back only on COMPLETED and FAILED; a
 * PENDING body exists only for `POST /sim/webhook`, which hands out the current state.
 */
export function callbackBody(disbursement: SimDisbursement): string {
  return JSON.stringify({
    id: disbursement.id,
    created: disbursement.created.toISOString(),
    updated: disbursement.updated.toISOString(),
    external_id: disbursement.externalId,
    user_id: disbursement.userId,
    amount: disbursement.amount,
    bank_code: disbursement.bankCode,
    account_holder_name: disbursement.accountHolderName,
    disbursement_description: disbursement.description,
    status: disbursement.status,
    is_instant: false,
    ...(disbursement.failureCode === undefined ? {} : { failure_code: disbursement.failureCode }),
  });
}
