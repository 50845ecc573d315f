import { createMasker, type Masker } from "@paymesh/adapter-kit";

// Xendit names account numbers and holders with keys the shared rules already hold
// (`account_number`, `account_holder_name`), so the kit's masker needs no keys added.
const masker = createMasker();

// A `"key": "value"` pair in text that is not JSON.
const PAIR = /"(\w+)"(\s*:\s*)"([^"]*)"/g;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * How every recorded Xendit body is masked: account numbers to their last 4 digits, holders' names
 * to an initial, at any depth of the JSON. A body that is not JSON (an answer cut off mid-way)
 * has its quoted pairs masked by key before the kit masks its digit runs, so a holder's name
 * never escapes because the body failed to parse.
 */
export const xenditMasker: Pick<Masker, "maskBody"> = {
  maskBody(text) {
    if (isJson(text)) return masker.maskBody(text);
    const byKey = text.replace(PAIR, (whole, key: string, colon: string, value: string) => {
      const masked = masker.maskField(key, value);
      return masked === value ? whole : `"${key}"${colon}"${masked}"`;
    });
    return masker.maskBody(byKey);
  },
};
