/** A recipient account as `pay remittance` takes it: Wise's type name and `details` field names. */
export interface RecipientExample {
  type: string;
  holder: string;
  details: Readonly<Record<string, string>>;
}

/**
 * One recipient per target currency that the Wise simulator accepts
 * (services/adapter-remittance/sandbox/README.md, `POST /v1/accounts`), for help texts and for the
 * command `quote` suggests next. `sort_code`, `iban`, `aba` and `australian` are Wise's own type
 * names; `indonesian`, `singapore` and `japanese` are the simulator's (unconfirmed at Wise). None of
 * the account numbers ends in 9001–9003, the simulator's refund/bounce/chargeback triggers.
 */
export const RECIPIENT_EXAMPLES = {
  GBP: { type: "sort_code", holder: "Ann Smith", details: { sortCode: "040075", accountNumber: "37778842" } },
  EUR: { type: "iban", holder: "Jonas Weber", details: { IBAN: "DE89370400440532013000" } },
  USD: {
    type: "aba",
    holder: "Maria Lopez",
    details: { abartn: "026009593", accountNumber: "12345678", accountType: "CHECKING" },
  },
  AUD: {
    type: "australian",
    holder: "Liam Brown",
    details: { bsbCode: "062000", accountNumber: "12345678" },
  },
  IDR: {
    type: "indonesian",
    holder: "Dewi Lestari",
    details: { bankCode: "BCA", accountNumber: "1234567890" },
  },
  SGD: {
    type: "singapore",
    holder: "Tan Wei Ming",
    details: { bankCode: "DBS", accountNumber: "1234567890" },
  },
  JPY: {
    type: "japanese",
    holder: "Sato Yuki",
    details: { bankCode: "0005", branchCode: "001", accountType: "SAVINGS", accountNumber: "1234567" },
  },
} as const satisfies Readonly<Record<string, RecipientExample>>;

/** The example recipient for an account currency, if there is one. */
export function recipientExample(currency: string): RecipientExample | undefined {
  return Object.hasOwn(RECIPIENT_EXAMPLES, currency)
    ? RECIPIENT_EXAMPLES[currency as keyof typeof RECIPIENT_EXAMPLES]
    : undefined;
}

/** The recipient options of `pay remittance` for an example, ready to paste into a shell. */
export function recipientOptions(currency: string, example: RecipientExample): string {
  const details = Object.entries(example.details).map(([key, value]) => `--detail ${key}=${value}`);
  return [
    `--recipient-currency ${currency}`,
    `--recipient-type ${example.type}`,
    `--holder "${example.holder}"`,
    ...details,
  ].join(" ");
}
