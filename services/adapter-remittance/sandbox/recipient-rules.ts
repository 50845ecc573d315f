import type { WiseErrorEntry } from "./wise-failure.ts";

/** A details field: its format and the message Wise shows when it does not match. */
interface FieldRule {
  valid(value: string): boolean;
  message: string;
}

/** The account type's currency, country and required `details` fields. */
interface RecipientRule {
  currency: string;
  country: string;
  fields: Readonly<Record<string, FieldRule>>;
}

const digits = (min: number, max: number, message: string): FieldRule => ({
  valid: (value) => new RegExp(`^\\d{${min},${max}}$`).test(value),
  message,
});

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
function validIban(value: string): boolean {
  const iban = value.replaceAll(" ", "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  const numeric = [...rearranged].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join("");
  return BigInt(numeric) % 97n === 1n;
}

const accountNumber = (min: number, max: number) => digits(min, max, "Please specify a valid account number");

/**
 * Recipient account types the simulator accepts. `sort_code`, `iban`, `aba` and `australian` are
 * Wise's documented type names; `indonesian`, `singapore` and `japanese` follow the same naming and
 * are *unconfirmed*, as are the exact length rules (chosen to look like each country's format).
 */
export const RECIPIENT_RULES: Readonly<Record<string, RecipientRule>> = {
  sort_code: {
    currency: "GBP",
    country: "GB",
    fields: {
      sortCode: {
        valid: (v) => /^\d{6}$/.test(v.replaceAll("-", "")),
        message: "Please specify a valid sort code",
      },
      accountNumber: accountNumber(8, 8),
    },
  },
  iban: {
    currency: "EUR",
    country: "DE",
    fields: { IBAN: { valid: validIban, message: "Please specify a valid IBAN" } },
  },
  aba: {
    currency: "USD",
    country: "US",
    fields: {
      abartn: digits(9, 9, "Please specify a valid ACH routing number"),
      accountNumber: accountNumber(4, 17),
      accountType: {
        valid: (v) => v === "CHECKING" || v === "SAVINGS",
        message: "Please choose checking or savings",
      },
    },
  },
  australian: {
    currency: "AUD",
    country: "AU",
    fields: { bsbCode: digits(6, 6, "Please specify a valid BSB code"), accountNumber: accountNumber(5, 9) },
  },
  indonesian: {
    currency: "IDR",
    country: "ID",
    fields: {
      bankCode: { valid: (v) => /^[A-Za-z0-9]{2,20}$/.test(v), message: "Please choose a bank" },
      accountNumber: accountNumber(5, 20),
    },
  },
  singapore: {
    currency: "SGD",
    country: "SG",
    fields: {
      bankCode: { valid: (v) => /^[A-Za-z0-9]{2,20}$/.test(v), message: "Please choose a bank" },
      accountNumber: accountNumber(5, 20),
    },
  },
  japanese: {
    currency: "JPY",
    country: "JP",
    fields: {
      bankCode: digits(4, 4, "Please specify a valid bank code"),
      branchCode: digits(3, 3, "Please specify a valid branch code"),
      accountType: {
        valid: (v) => v === "CURRENT" || v === "SAVINGS" || v === "CHECKING",
        message: "Please choose an account type",
      },
      accountNumber: accountNumber(7, 7),
    },
  },
};

/**
 * Validates a recipient the way Wise's `POST /v1/accounts` does: every problem at once, each as
 * `{"code":"NOT_VALID","path":<field>,"message"}` where a details field's path is its bare name
 * (`accountNumber`), as in Wise's answers. Returns the country of the account when valid.
 */
export function validateRecipient(input: {
  currency: string;
  type: string;
  accountHolderName: string;
  details: Readonly<Record<string, string>>;
}): { errors: WiseErrorEntry[]; country: string } {
  const errors: WiseErrorEntry[] = [];
  const fail = (path: string, message: string, value?: string) =>
    errors.push({
      code: "NOT_VALID",
      message,
      path,
      ...(value === undefined ? {} : { arguments: [path, value] }),
    });
  const name = input.accountHolderName.trim();
  if (name.length < 2 || name.length > 140)
    fail("accountHolderName", "Please enter the recipient's full name");
  const rule = RECIPIENT_RULES[input.type];
  if (rule === undefined) {
    fail("type", `Recipient type ${input.type} is not supported`, input.type);
    return { errors, country: "" };
  }
  if (input.currency !== rule.currency) {
    fail("currency", `Type ${input.type} is for ${rule.currency} accounts`, input.currency);
  }
  for (const [field, fieldRule] of Object.entries(rule.fields)) {
    const value = input.details[field];
    if (value === undefined || value.trim() === "") fail(field, `${field} is required`);
    else if (!fieldRule.valid(value)) fail(field, fieldRule.message, value);
  }
  const country = input.type === "iban" ? (input.details.IBAN ?? "").slice(0, 2).toUpperCase() : rule.country;
  return { errors, country };
}
