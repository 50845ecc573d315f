import { invalidField } from "@paymesh/adapter-kit";
import { type adapterv1, ErrorReason, type PaymentMethodType } from "@paymesh/proto";
import type { AdapterHandle } from "./adapter-handle.ts";

/** How long a Describe answer is trusted before it is asked again; the monitor refreshes it sooner. */
const FRESH_MS = 5 * 60_000;
/** How long an adapter that did not answer Describe is left unasked (its rules count as unknown). */
const RETRY_MS = 30_000;
/** Bound on the Describe call made on a payment's way in. */
const DESCRIBE_TIMEOUT_MS = 1_000;

/**
 * What each adapter declares in Describe (methods, currencies, amount limits), so the router refuses a
 * payment no adapter would take before anything is claimed, written or sent. Answers come from the
 * adapter monitor's probes (remember) or, when none is fresh, from one Describe on the way in.
 */
export function createAdapterDescriptions(options: { clock?: () => Date } = {}) {
  const clock = options.clock ?? (() => new Date());
  const known = new Map<string, { description: adapterv1.DescribeResponse | undefined; until: number }>();

  async function describe(handle: AdapterHandle): Promise<adapterv1.DescribeResponse | undefined> {
    const now = clock().getTime();
    const cached = known.get(handle.name);
    if (cached !== undefined && cached.until > now) return cached.description;
    try {
      const description = await handle.client.describe(
        {},
        { deadline: new Date(Date.now() + DESCRIBE_TIMEOUT_MS) },
      );
      known.set(handle.name, { description, until: now + FRESH_MS });
      return description;
    } catch {
      // Unknown rules: the adapter's own checks still refuse what it cannot take.
      known.set(handle.name, { description: cached?.description, until: now + RETRY_MS });
      return cached?.description;
    }
  }

  return {
    /** Records a Describe answer the monitor received. */
    remember(name: string, description: adapterv1.DescribeResponse): void {
      known.set(name, { description, until: clock().getTime() + FRESH_MS });
    },

    /**
     * The candidates whose declared rules take this payment, in their order; an adapter whose rules
     * are unknown stays. Throws the first candidate's refusal (INVALID_ARGUMENT, naming the field)
     * when none does.
     */
    async admit(
      candidates: AdapterHandle[],
      method: PaymentMethodType,
      amount: { currency: string; minorUnits: bigint },
    ): Promise<AdapterHandle[]> {
      const verdicts = await Promise.all(
        candidates.map(async (handle) => refusal(await describe(handle), handle.name, method, amount)),
      );
      const admitted = candidates.filter((_, index) => verdicts[index] === undefined);
      const first = verdicts[0];
      if (admitted.length === 0 && first !== undefined) throw first;
      return admitted;
    },
  };
}

/** The adapter descriptions. */
export type AdapterDescriptions = ReturnType<typeof createAdapterDescriptions>;

/** Why an adapter's declared rules refuse the payment, or undefined when they take it (or are unknown). */
function refusal(
  description: adapterv1.DescribeResponse | undefined,
  adapter: string,
  method: PaymentMethodType,
  amount: { currency: string; minorUnits: bigint },
) {
  if (description === undefined) return undefined;
  if (description.methods.length > 0 && !description.methods.includes(method)) {
    return invalidField(
      "method",
      `adapter ${adapter} does not take this method`,
      ErrorReason.METHOD_NOT_SUPPORTED,
    );
  }
  if (description.currencies.length > 0 && !description.currencies.includes(amount.currency)) {
    return invalidField(
      "amount.currency",
      `adapter ${adapter} does not take ${amount.currency} (it takes ${description.currencies.join(", ")})`,
      ErrorReason.CURRENCY_NOT_SUPPORTED,
    );
  }
  const limit = description.limits.find((candidate) => candidate.currency === amount.currency);
  if (limit === undefined) return undefined;
  const below = limit.minMinorUnits > 0n && amount.minorUnits < limit.minMinorUnits;
  const above = limit.maxMinorUnits > 0n && amount.minorUnits > limit.maxMinorUnits;
  if (!below && !above) return undefined;
  return invalidField(
    "amount.minor_units",
    `adapter ${adapter} takes ${amount.currency} amounts from ${limit.minMinorUnits} to ${limit.maxMinorUnits} minor units`,
    ErrorReason.AMOUNT_OUT_OF_RANGE,
  );
}
