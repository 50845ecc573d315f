import { encodeQris, formatQrisAmount, toDynamicQris } from "@paymesh/qris";
import type { SimulatorMerchant } from "./options.ts";

/** Tag 26 sub-tag 00 of the simulator's acquirer: reverse domain, obviously not a real one. */
const SIMULATOR_GLOBAL_ID = "ID.CO.PAYMESHSIM.WWW";

/**
 * The merchant's static QRIS sticker (01 = 11, no amount), built once per simulator. Every payment's
 * QR is derived from it the way an acquirer does (docs/providers.md, "Static → dynamic"), so the adapter
 * sees the same kind of payload a real bank returns.
 */
export function buildStaticQris(merchant: SimulatorMerchant): string {
  return encodeQris([
    { tag: "00", value: "01" },
    { tag: "01", value: "11" },
    {
      tag: "26",
      value: "",
      children: [
        { tag: "00", value: SIMULATOR_GLOBAL_ID },
        { tag: "01", value: merchant.pan },
        { tag: "02", value: merchant.merchantId },
        { tag: "03", value: merchant.criteria },
      ],
    },
    {
      tag: "51",
      value: "",
      children: [
        { tag: "00", value: "ID.CO.QRIS.WWW" },
        { tag: "02", value: merchant.nmid },
        { tag: "03", value: merchant.criteria },
      ],
    },
    { tag: "52", value: merchant.mcc },
    { tag: "53", value: "360" },
    { tag: "58", value: "ID" },
    { tag: "59", value: merchant.name },
    { tag: "60", value: merchant.city },
    { tag: "61", value: merchant.postalCode },
  ]);
}

// EMVCo gives the tag 62 sub-fields the format ans..25.
const MAX_LABEL = 25;

/**
 * One payment's dynamic QR: amount in tag 54, the partner's reference as bill number (62.01) and
 * the terminal as terminal label (62.07). A reference longer than 25 characters is cut, since the
 * QR only has to let a human match a receipt; the SNAP references stay the join keys. Throws a
 * QrisError when the amount does not fit tag 54.
 */
export function dynamicQris(
  staticPayload: string,
  input: { amountMinorUnits: bigint; partnerReferenceNo: string; terminalId: string | undefined },
): string {
  const terminalLabel = input.terminalId?.slice(0, MAX_LABEL);
  return toDynamicQris(staticPayload, {
    amount: formatQrisAmount(input.amountMinorUnits),
    billNumber: input.partnerReferenceNo.slice(0, MAX_LABEL),
    ...(terminalLabel === undefined ? {} : { terminalLabel }),
  });
}
