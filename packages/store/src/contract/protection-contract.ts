import { create, toBinary } from "@bufbuild/protobuf";
import {
  BankTransferMethodSchema,
  CreatePaymentResponseSchema,
  PaymentStatus,
  RemittanceMethodSchema,
  RemittanceRecipientSchema,
  VirtualAccountBank,
  VirtualAccountMethodSchema,
} from "@paymesh/proto";
import { describe, expect, it } from "vitest";
import { isSealedValueError } from "../envelope.ts";
import { type PaymentMethod, type PaymentRecord, toPaymentMessage } from "../payment-record.ts";
import type { PaymentStore } from "../payment-store.ts";
import type { PaymentFixtures } from "./payment-fixtures.ts";

/** Every byte a store keeps, as text, for a search; bytes also as hex, which is how SQL prints bytea. */
export type StoreDump = () => Promise<string>;

// Account numbers and names no other test uses, so a match can only come from these payments.
const SECRETS = {
  transferAccount: "7301946628",
  transferHolder: "Kartika Wulandari",
  remittanceAccount: "55012298347",
  remittanceIban: "GB33BUKB20201555555555",
  remittanceHolder: "Tan Wei Ming",
  vaCustomer: "Ratna Kusumawati",
};

const METHODS: readonly PaymentMethod[] = [
  {
    case: "bankTransfer",
    value: create(BankTransferMethodSchema, {
      bankCode: "BCA",
      accountNumber: SECRETS.transferAccount,
      accountHolderName: SECRETS.transferHolder,
    }),
  },
  {
    case: "remittance",
    value: create(RemittanceMethodSchema, {
      quoteId: "quote-protection",
      recipient: create(RemittanceRecipientSchema, {
        currency: "SGD",
        type: "singapore",
        accountHolderName: SECRETS.remittanceHolder,
        details: { bankCode: "DBS", accountNumber: SECRETS.remittanceAccount, iban: SECRETS.remittanceIban },
      }),
    }),
  },
  {
    case: "virtualAccount",
    value: create(VirtualAccountMethodSchema, {
      bank: VirtualAccountBank.BCA,
      customerName: SECRETS.vaCustomer,
    }),
  },
];

/** Every form in which a secret could sit in a dump: as text, and as the hex of its UTF-8 bytes. */
function forms(secret: string): string[] {
  return [secret, Buffer.from(secret, "utf8").toString("hex")];
}

/** What the API gives back about `ids`, bytes as hex: the memory store's whole state for them. */
async function apiDump(store: PaymentStore, records: readonly PaymentRecord[]): Promise<string> {
  const parts: unknown[] = [];
  for (const record of records) {
    parts.push(
      await store.getById(record.id),
      await store.journal(record.id),
      await store.exchanges(record.id),
      await store.providerEvents(record.id),
      await store.paymentEvents(record.id, 0),
      await store.findResponse(record.caller, record.idempotencyKey),
    );
  }
  return JSON.stringify(parts, (_, value: unknown) =>
    typeof value === "bigint"
      ? value.toString()
      : value instanceof Uint8Array
        ? Buffer.from(value).toString("hex")
        : value,
  );
}

/**
 * No account number or person's name in clear at rest (docs/architecture.md §7): the store keeps
 * methods masked, and the whole method only sealed while a provider call may still need it. When the
 * store has a `dump`, every table of its database is searched too, not just what the API shows.
 */
export function protectionContract(
  store: () => PaymentStore,
  fixtures: PaymentFixtures,
  dumper: () => StoreDump | undefined,
): void {
  describe("account numbers and names at rest", () => {
    it("keeps none in clear, through the whole life of bank transfer, remittance and VA payments", async () => {
      const written: PaymentRecord[] = [];
      for (const [index, method] of METHODS.entries()) {
        const { record } = await store().insert(
          fixtures.payment({ method, adapter: "fake", eventsHeld: true }),
        );
        written.push(record);
        // What the router keeps of its answer: the bytes sent, for a byte-identical replay.
        const body = toBinary(
          CreatePaymentResponseSchema,
          create(CreatePaymentResponseSchema, { payment: toPaymentMessage(record) }),
        );
        await store().saveResponse(record.caller, record.idempotencyKey, {
          fingerprint: record.fingerprint,
          paymentId: record.id,
          grpcCode: 0,
          body,
        });
        if (index === 0) continue; // the first stays PENDING, its method sealed
        const moved = await store().update(
          record.id,
          record.version,
          { status: PaymentStatus.PROCESSING, providerReference: `ref-${record.id}` },
          "api",
          { adapter: "fake", eventId: `evt-${record.id}`, claimedStatus: PaymentStatus.PROCESSING },
        );
        expect(moved.applied).toBe(true);
        await store().update(record.id, record.version + 1, { status: PaymentStatus.SUCCEEDED }, "webhook");
      }
      await store().relayOutbox(1000, async () => {});

      const api = await apiDump(store(), written);
      const dump = dumper();
      const raw = dump === undefined ? "" : await dump();
      // The dumps do hold these payments (masked), so finding nothing below means something.
      for (const record of written) expect(`${api}\n${raw}`).toContain(record.id);
      expect(api).toContain("****6628");
      if (dump !== undefined) expect(raw).toContain("****6628");
      for (const secret of Object.values(SECRETS)) {
        for (const form of forms(secret)) {
          expect(api, `the API dump shows ${secret}`).not.toContain(form);
          expect(raw, `a table holds ${secret}`).not.toContain(form);
        }
      }
    });

    it("opens the sealed method as the caller sent it while PENDING, and erases it when it moves on", async () => {
      for (const method of METHODS) {
        const { record } = await store().insert(fixtures.payment({ method }));
        const read = await store().getById(record.id);
        if (read === undefined) throw new Error("the payment was not stored");
        expect(store().revealMethod(read)).toEqual(method);

        await store().update(record.id, record.version, { status: PaymentStatus.REQUIRES_ACTION }, "api");
        const moved = await store().getById(record.id);
        if (moved === undefined) throw new Error("the payment was not stored");
        expect(moved.sealedMethod).toBeUndefined();
        let refusal: unknown;
        try {
          store().revealMethod(moved);
        } catch (error) {
          refusal = error;
        }
        expect(isSealedValueError(refusal)).toBe(true);
        expect(String(refusal)).toContain(`payment ${record.id} keeps no full method`);
      }
    });

    it("does not open a sealed method copied onto another payment", async () => {
      const { record: a } = await store().insert(
        fixtures.payment({ method: METHODS[0] ?? { case: undefined } }),
      );
      const { record: b } = await store().insert(fixtures.payment());
      expect(() => store().revealMethod({ ...b, sealedMethod: a.sealedMethod })).toThrow(/was altered/);
    });
  });
}
