// No account number or person's name in clear anywhere the router keeps data (docs/architecture.md
// §7): bank transfer, remittance and VA payments run through the whole mesh (real adapters and their
// simulators, the router on a real Postgres and Redis), then every table of the router's schema and
// every Redis key it wrote are searched for the numbers and names the requests carried.
import { randomBytes } from "node:crypto";
import { waitFor } from "@paymesh/test-kit";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteKeys, dropSchema, realBackends, TEST_KEK } from "../support/backends.ts";
import { rejection } from "../support/error-details.ts";
import { type AdapterName, type FullStack, startFullStack } from "../support/full-stack.ts";
import { plainPaymentClient } from "../support/plain-client.ts";
import { simulatorControl, TEST_TOKEN } from "../support/qris-stack.ts";

const backends = realBackends();

// Values no other test sends, so a match can only come from these payments.
const SECRETS = {
  transferAccount: "7301946628",
  transferHolder: "Kartika Wulandari",
  remittanceAccount: "55012298",
  remittanceHolder: "Tan Wei Ming",
  rejectedAccount: "66190044",
  rejectedHolder: "Rudi Hartono",
  vaCustomer: "Ratna Kusumawati",
};

interface Payment {
  id: string;
  status: string;
  providerReference: string;
}

describe.runIf(backends !== undefined)("account numbers and names at rest, through the whole mesh", () => {
  const run = randomBytes(4).toString("hex");
  const schema = `paymesh_at_rest_${run}`;
  const keyPrefix = `paymesh-at-rest-${run}:`;
  let stack: FullStack;
  let client: ReturnType<typeof plainPaymentClient>;

  beforeAll(async () => {
    stack = await startFullStack({
      routerEnv: {
        DATABASE_URL: backends?.databaseUrl ?? "",
        REDIS_URL: backends?.redisUrl ?? "",
        PAYMESH_KEK: TEST_KEK,
        PAYMESH_DB_SCHEMA: schema,
        PAYMESH_IDEMPOTENCY_PREFIX: keyPrefix,
      },
    });
    client = plainPaymentClient(stack.routerGrpc, TEST_TOKEN);
  });
  afterAll(async () => {
    client?.close();
    await stack?.stop();
    if (backends !== undefined) {
      await dropSchema(backends.databaseUrl, schema);
      await deleteKeys(backends.redisUrl, keyPrefix);
    }
  });

  const control = <T>(adapter: AdapterName, path: string, body?: unknown): Promise<T> =>
    simulatorControl<T>(stack.simulators[adapter], path, body);
  const createPayment = async (request: Record<string, unknown>): Promise<Payment> =>
    (await client.call<{ payment: Payment }>("CreatePayment", request)).payment;
  const reaches = (paymentId: string, status: string): Promise<Payment> =>
    waitFor(
      async () => {
        const { payment } = await client.call<{ payment: Payment }>("GetPayment", { paymentId });
        return payment.status === status ? payment : undefined;
      },
      10_000,
      `${paymentId} to reach ${status}`,
    );

  /** Every row of every table in the router's schema, each cast to text (bytea shows as hex). */
  async function tables(): Promise<string> {
    const db = new pg.Client({ connectionString: backends?.databaseUrl });
    await db.connect();
    try {
      const names = await db.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
        [schema],
      );
      const lines: string[] = [];
      for (const { table_name: table } of names.rows) {
        const rows = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${table}" t`);
        for (const { row } of rows.rows) lines.push(`${table}: ${row}`);
      }
      return lines.join("\n");
    } finally {
      await db.end();
    }
  }

  /** Every key the router wrote in Redis with its value, bytes as text and as hex. */
  async function redisKeys(): Promise<string> {
    const { Redis } = await import("ioredis");
    const redis = new Redis(backends?.redisUrl ?? "");
    try {
      const lines: string[] = [];
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}*`, "COUNT", 1000);
        cursor = next;
        for (const key of keys) {
          const type = await redis.type(key);
          if (type !== "hash") throw new Error(`unexpected Redis ${type} at ${key}`);
          const fields = await redis.hgetallBuffer(key);
          for (const [field, value] of Object.entries(fields))
            lines.push(`${key} ${field}: ${value.toString("latin1")} ${value.toString("hex")}`);
        }
      } while (cursor !== "0");
      return lines.join("\n");
    } finally {
      redis.disconnect();
    }
  }

  it("keeps none in a table or a Redis key, from request to webhook, refusals included", async () => {
    const transfer = await createPayment({
      idempotencyKey: `at-rest-transfer-${run}`,
      amount: { currency: "IDR", minorUnits: "25000000" },
      bankTransfer: {
        bankCode: "BCA",
        accountNumber: SECRETS.transferAccount,
        accountHolderName: SECRETS.transferHolder,
      },
      merchantReference: `payout-${run}`,
    });
    await control("transfer", "/sim/complete", { external_id: transfer.id });
    await reaches(transfer.id, "PAYMENT_STATUS_SUCCEEDED");

    const { quote } = await client.call<{ quote: { id: string; sourceAmount: unknown } }>("CreateQuote", {
      sourceCurrency: "IDR",
      targetCurrency: "GBP",
      sourceAmount: { currency: "IDR", minorUnits: "150000000" },
    });
    const recipient = (accountNumber: string, accountHolderName: string) => ({
      currency: "GBP",
      type: "sort_code",
      accountHolderName,
      details: { sortCode: "040075", accountNumber },
    });
    const remittance = await createPayment({
      idempotencyKey: `at-rest-remittance-${run}`,
      amount: quote.sourceAmount,
      remittance: {
        quoteId: quote.id,
        recipient: recipient(SECRETS.remittanceAccount, SECRETS.remittanceHolder),
      },
    });
    await control("remittance", "/sim/advance", { transferId: remittance.providerReference, to: "complete" });
    await reaches(remittance.id, "PAYMENT_STATUS_SUCCEEDED");

    // Refused by the adapter after the row was written: kept for the audit trail, masked too.
    const refused = await rejection(
      createPayment({
        idempotencyKey: `at-rest-refused-${run}`,
        amount: quote.sourceAmount,
        remittance: {
          quoteId: "00000000-0000-4000-8000-000000000000",
          recipient: recipient(SECRETS.rejectedAccount, SECRETS.rejectedHolder),
        },
      }),
    );
    expect(refused.code).toBe(3); // INVALID_ARGUMENT

    const va = await createPayment({
      idempotencyKey: `at-rest-va-${run}`,
      amount: { currency: "IDR", minorUnits: "15000000" },
      virtualAccount: { bank: "VIRTUAL_ACCOUNT_BANK_BNI", customerName: SECRETS.vaCustomer },
    });
    expect(va.status).toBe("PAYMENT_STATUS_REQUIRES_ACTION");

    const stored = await tables();
    const cached = await redisKeys();
    // The searches see these payments (masked), so finding no secret below means something.
    for (const payment of [transfer, remittance, va]) expect(stored).toContain(payment.id);
    expect(stored).toContain("provider_exchanges");
    expect(stored).toContain("****6628");
    expect(stored).toContain("T***");
    expect(cached).toContain(transfer.id);
    for (const secret of Object.values(SECRETS)) {
      for (const form of [secret, Buffer.from(secret, "utf8").toString("hex")]) {
        expect(stored, `a table holds ${secret}`).not.toContain(form);
        expect(cached, `a Redis key holds ${secret}`).not.toContain(form);
      }
    }
  });
});
