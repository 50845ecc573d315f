import { createMasker, type Masker } from "@paymesh/adapter-kit";

/**
 * The masker of every Wise exchange: the shared rules (account numbers to their last four, names to
 * a first letter, secrets redacted) plus Wise's own shapes. Balance statements name the recipient
 * in free text ("Sent money to Ann Smith"), so `description` is a name; and a field error echoes
 * the rejected value after the field's name, `"arguments":["accountNumber","12"]`, which is masked
 * as that field would be.
 */
export const wiseMasker: Masker = createMasker({
  nameKeys: ["description"],
  special(key, value, masker) {
    if (key !== "arguments" || !Array.isArray(value) || typeof value[0] !== "string") return undefined;
    const field = value[0];
    return value.map((item, index) =>
      index > 0 && typeof item === "string" ? masker.maskField(field, item) : item,
    );
  },
});
