import { PaymentMethodType, PaymentStatus } from "@paymesh/proto";

/**
 * Enum values stored by name ("SUCCEEDED", not 4): a row stays readable in psql, and names are as
 * stable as numbers under protobuf's compatibility rules.
 */
function enumNames<E extends number>(enumObject: Readonly<Record<string, string | E>>) {
  const byName = new Map<string, E>();
  const byValue = new Map<E, string>();
  for (const [name, value] of Object.entries(enumObject)) {
    if (typeof value === "string") continue; // the reverse mapping a numeric enum carries
    byName.set(name, value);
    byValue.set(value, name);
  }
  return {
    name(value: E): string {
      const name = byValue.get(value);
      if (name === undefined) throw new Error(`unknown enum value ${value}`);
      return name;
    },
    value(name: string): E {
      const value = byName.get(name);
      if (value === undefined) throw new Error(`unknown enum name ${JSON.stringify(name)}`);
      return value;
    },
  };
}

/** PaymentStatus ↔ the name stored in status columns. */
export const statuses = enumNames<PaymentStatus>(PaymentStatus);

/** PaymentMethodType ↔ the name stored in payments.method_type. */
export const methodTypes = enumNames<PaymentMethodType>(PaymentMethodType);
