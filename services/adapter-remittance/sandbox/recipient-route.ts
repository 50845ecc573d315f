import { readFields } from "./body-fields.ts";
import { isRecord } from "./exact-numbers.ts";
import { validateRecipient } from "./recipient-rules.ts";
import type { SimRecipient } from "./sim-state.ts";
import { recipientView } from "./views.ts";
import { notValid, WiseFailure } from "./wise-failure.ts";
import { requireProfile, type WiseRoute } from "./wise-route.ts";

function sameAccount(a: SimRecipient, b: Omit<SimRecipient, "id" | "country">): boolean {
  const keys = new Set([...Object.keys(a.details), ...Object.keys(b.details)]);
  return (
    a.profileId === b.profileId &&
    a.currency === b.currency &&
    a.type === b.type &&
    a.accountHolderName === b.accountHolderName &&
    [...keys].every((key) => a.details[key] === b.details[key])
  );
}

/**
 * `POST /v1/accounts`: creates a recipient account, or answers 422 with field-level errors in
 * Wise's documented shape, `{"errors":[{"code":"NOT_VALID","path":…,"message":…}]}`. An identical
 * account of the same profile is answered with the existing one rather than a second copy (a
 * simulator choice, *unconfirmed*), which keeps a repeated CreatePayment from piling up recipients.
 */
export const createRecipientRoute: WiseRoute = {
  method: "POST",
  pattern: /^\/v1\/accounts$/,
  endpoint: "create-recipient",
  handle(context) {
    const { state } = context;
    const fields = readFields(context.rawBody);
    const profileId = requireProfile(state, fields.integer("profile"));
    const rawDetails = fields.optionalObject("details") ?? {};
    const details: Record<string, string> = {};
    for (const [key, value] of Object.entries(rawDetails)) {
      if (typeof value === "string") details[key] = value;
      else if (!isRecord(value)) throw notValid(key, `${key} must be a string`);
    }
    const wanted = {
      profileId,
      currency: fields.string("currency", 3),
      type: fields.string("type", 40),
      accountHolderName: fields.optionalString("accountHolderName", 255) ?? "",
      details,
    };
    const { errors, country } = validateRecipient(wanted);
    if (errors.length > 0) throw new WiseFailure(422, errors);
    const existing = [...state.recipients.values()].find((recipient) => sameAccount(recipient, wanted));
    if (existing !== undefined) return { status: 200, body: recipientView(existing) };
    const recipient: SimRecipient = { id: state.nextRecipientId(), country, ...wanted };
    state.recipients.set(recipient.id, recipient);
    return { status: 200, body: recipientView(recipient) };
  },
};
