import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { invalidField, type ProviderExchangeInit, reportUnknownProviderValue } from "@paymesh/adapter-kit";
import type { adapterv1 } from "@paymesh/proto";
import type { WiseClient } from "./wise-client.ts";
import { recorded, wiseError } from "./wise-error-map.ts";
import { minorUnits } from "./wise-wire.ts";

type SettlementInit = MessageInitShape<typeof adapterv1.SettlementSchema>;

/**
 * ListSettlements from Wise balance statements: for each balance in a source currency, the
 * statement of one UTC day (Wise reports in UTC), and of it the DEBITs of transfers — the money
 * that left for each funded transfer, with its fee. `referenceNumber` "TRANSFER-<id>" is the
 * transfer id, the payment's provider reference; statements do not name the
 * customerTransactionId, so `payment_id` stays empty and the router matches by reference.
 */
export async function* listRemittanceSettlements(
  client: WiseClient,
  request: adapterv1.ListSettlementsRequest,
  currencies: readonly string[],
  signal: AbortSignal,
): AsyncIterable<SettlementInit> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(request.date) || Number.isNaN(Date.parse(`${request.date}T00:00:00Z`))) {
    throw invalidField("date", "must be a day, YYYY-MM-DD");
  }
  const start = new Date(`${request.date}T00:00:00.000Z`);
  const end = new Date(start.getTime() + 86_400_000);
  const exchanges: ProviderExchangeInit[] = [];
  const balances = await recorded(exchanges, () => client.listBalances(signal));
  if (!balances.ok) throw wiseError("listBalances", balances);
  for (const balance of balances.body.filter((candidate) => currencies.includes(candidate.currency))) {
    const statement = await recorded(exchanges, () =>
      client.balanceStatement({
        balanceId: balance.id,
        currency: balance.currency,
        intervalStart: start.toISOString(),
        intervalEnd: end.toISOString(),
        signal,
      }),
    );
    if (!statement.ok) throw wiseError("balanceStatement", statement);
    for (const line of statement.body) {
      // Statement lines are DEBIT or CREDIT (Wise API reference, "Balance statement").
      if (line.type !== "DEBIT" && line.type !== "CREDIT") {
        reportUnknownProviderValue({
          adapter: "adapter-remittance",
          field: "statement.type",
          value: line.type,
        });
      }
      if (line.type !== "DEBIT" || line.detailsType !== "TRANSFER") continue;
      const amount = minorUnits(line.amount.value, line.amount.currency);
      const settledAt = new Date(line.date);
      yield {
        paymentId: "",
        providerReference: line.referenceNumber.replace(/^TRANSFER-/, ""),
        amount: { currency: line.amount.currency, minorUnits: amount < 0n ? -amount : amount },
        ...(line.totalFees === undefined
          ? {}
          : {
              fee: {
                currency: line.totalFees.currency,
                minorUnits: minorUnits(line.totalFees.value, line.totalFees.currency),
              },
            }),
        ...(Number.isNaN(settledAt.getTime()) ? {} : { settledAt: timestampFromDate(settledAt) }),
        providerStatus: line.type,
      };
    }
  }
}
