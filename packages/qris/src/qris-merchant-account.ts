import { QrisError } from "./qris-error.ts";
import type { LocatedField } from "./qris-tlv.ts";
import type { QrisMerchantAccount } from "./qris-types.ts";

// Bank Indonesia's merchant criteria: micro, small, medium, large, regular (e.g. government).
const CRITERIA: ReadonlySet<string> = new Set(["UMI", "UKE", "UME", "UBE", "URE"]);
// Reverse domain name, which QRIS uses for the globally unique identifier; EMVCo caps it at 32.
const REVERSE_DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const MAX_GLOBAL_ID_LENGTH = 32;
// NNS `9360xxxx` plus 10 digits. Deliberately no Luhn check: issuers print PANs that fail it.
const PAN = /^\d{18}$/;
const PAN_PREFIX = "9360";
const QRIS_REPOSITORY_ID = "ID.CO.QRIS.WWW";
const NMID = /^ID\d{13}$/;

/** Whether a root tag is one of the merchant account templates that name an acquirer (26–45). */
export function isMerchantAccountTag(tag: string): boolean {
  const n = Number(tag);
  return n >= 26 && n <= 45;
}

/** Validates one 26–45 template and pulls out who the acquirer is and how it knows the merchant. */
export function readMerchantAccount(field: LocatedField): QrisMerchantAccount {
  const globalId = required(field, "00");
  if (!REVERSE_DOMAIN.test(globalId.value) || globalId.value.length > MAX_GLOBAL_ID_LENGTH) {
    const detail = `global id ${JSON.stringify(globalId.value)} must be a reverse domain name of at most ${MAX_GLOBAL_ID_LENGTH} characters, e.g. ID.DANA.WWW`;
    throw invalid(globalId, detail);
  }
  const account: QrisMerchantAccount = { tag: field.tag, globalId: globalId.value };
  const pan = child(field, "01");
  if (pan !== undefined) {
    if (!PAN.test(pan.value)) {
      throw invalid(pan, `PAN ${JSON.stringify(pan.value)} must be 18 digits, has ${pan.value.length}`);
    }
    if (!pan.value.startsWith(PAN_PREFIX)) {
      throw invalid(pan, `PAN ${JSON.stringify(pan.value)} must start with the NNS prefix ${PAN_PREFIX}`);
    }
    account.pan = pan.value;
  }
  const merchantId = child(field, "02");
  if (merchantId !== undefined) account.merchantId = merchantId.value;
  const criteria = readCriteria(field);
  if (criteria !== undefined) account.criteria = criteria;
  return account;
}

/**
 * Validates the domestic central repository template (51) and returns its NMID, the id Bank
 * Indonesia assigns each merchant across all acquirers.
 */
export function readNmid(field: LocatedField): string {
  const id = required(field, "00");
  if (id.value !== QRIS_REPOSITORY_ID) {
    throw invalid(id, `repository id ${JSON.stringify(id.value)} must be ${QRIS_REPOSITORY_ID}`);
  }
  const nmid = required(field, "02");
  if (!NMID.test(nmid.value)) {
    throw invalid(nmid, `NMID ${JSON.stringify(nmid.value)} must be "ID" followed by 13 digits`);
  }
  readCriteria(field);
  return nmid.value;
}

function readCriteria(field: LocatedField): string | undefined {
  const criteria = child(field, "03");
  if (criteria === undefined) return undefined;
  if (!CRITERIA.has(criteria.value)) {
    throw invalid(
      criteria,
      `merchant criteria ${JSON.stringify(criteria.value)} must be one of ${[...CRITERIA].join(", ")}`,
    );
  }
  return criteria.value;
}

function child(field: LocatedField, subTag: string): LocatedField | undefined {
  return field.children?.find((c) => c.tag === subTag);
}

function required(field: LocatedField, subTag: string): LocatedField {
  const found = child(field, subTag);
  if (found === undefined) {
    throw new QrisError("MISSING_TAG", `mandatory sub-tag is missing from template ${field.tag}`, {
      offset: field.offset,
      tag: `${field.tag}.${subTag}`,
    });
  }
  return found;
}

function invalid(field: LocatedField, detail: string): QrisError {
  return new QrisError("BAD_VALUE", detail, { offset: field.offset, tag: field.path });
}
