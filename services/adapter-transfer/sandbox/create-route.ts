import { createHash } from "node:crypto";
import { header } from "@paymesh/sandbox-kit";
import type { ApiRoute } from "./api-route.ts";
import { readFields } from "./body-fields.ts";
import { SIM_ACCOUNT_NUMBER, SIM_AMOUNT_LIMITS, SIM_BANK_CODES } from "./disbursement-rules.ts";
import type { SimDisbursement } from "./disbursement-store.ts";
import { disbursementView } from "./disbursement-view.ts";
import { magicCreation } from "./magic-values.ts";
import { authenticate } from "./request-auth.ts";
import { XenditFailure } from "./xendit-failure.ts";

/**
 * `POST /disbursements` (docs/providers.md, "Xendit Disbursements"): creates one payout (a charge) and
 * answers it `PENDING`. The optional `X-IDEMPOTENCY-KEY` header is spent only when a disbursement
 * is created; reusing a spent key is `DUPLICATE_TRANSACTION_ERROR` in the default "reject" mode,
 * and in "replay" mode the original answer when the body is byte-identical.
 */
export const createRoute: ApiRoute = {
  method: "POST",
  endpoint: "create-disbursement",
  match: (pathname) => (pathname === "/disbursements" ? {} : undefined),
  handle({ state, onCreated }, request, rawBody) {
    if (authenticate(state, request) !== "money-out") throw new XenditFailure("REQUEST_FORBIDDEN_ERROR");
    const key = header(request, "x-idempotency-key");
    const fingerprint = createHash("sha256").update(rawBody).digest("hex");
    const spent = key === undefined || key === "" ? undefined : state.disbursements.spentKey(key);
    if (spent !== undefined) {
      if (state.config.idempotencyMode === "replay" && spent.fingerprint === fingerprint) {
        return spent.originalAnswer;
      }
      throw new XenditFailure("DUPLICATE_TRANSACTION_ERROR");
    }

    const fields = readFields(rawBody);
    const externalId = fields.string("external_id");
    const amount = fields.wholeNumber("amount");
    const bankCode = fields.string("bank_code");
    const accountHolderName = fields.string("account_holder_name", 256);
    const accountNumber = fields.string("account_number");
    const description = fields.string("description");
    fields.optionalString("email_to");
    if (!SIM_BANK_CODES.has(bankCode)) throw new XenditFailure("BANK_CODE_NOT_SUPPORTED_ERROR");
    if (!SIM_ACCOUNT_NUMBER.test(accountNumber)) throw new XenditFailure("RECIPIENT_ACCOUNT_NUMBER_ERROR");
    if (amount < SIM_AMOUNT_LIMITS.min) throw new XenditFailure("RECIPIENT_AMOUNT_ERROR");
    if (amount > SIM_AMOUNT_LIMITS.max) throw new XenditFailure("MAXIMUM_TRANSFER_LIMIT_ERROR");
    const magic = magicCreation(amount);
    if (magic !== undefined && !magic.createsCharge) throw new XenditFailure(magic.errorCode, "[simulated]");

    const now = state.options.clock();
    const disbursement: SimDisbursement = {
      id: state.options.newId(),
      externalId,
      userId: state.options.userId,
      amount,
      bankCode,
      accountHolderName,
      accountNumber,
      description,
      status: "PENDING",
      created: now,
      updated: now,
    };
    const answer = disbursementView(disbursement);
    const spend =
      key === undefined || key === ""
        ? undefined
        : { value: key, spent: { fingerprint, disbursementId: disbursement.id, originalAnswer: answer } };
    state.disbursements.add(disbursement, spend);
    state.records.countCharge();
    onCreated(disbursement);
    if (magic !== undefined) throw new XenditFailure(magic.errorCode, "[simulated, after creating]");
    return answer;
  },
};
