import { DEFAULT_SCHEMA, lockForTransaction, type SqlClient } from "./sql-client.ts";

/** One schema change. Released migrations are never edited: a change is a new, higher version. */
export interface Migration {
  version: number;
  name: string;
  /** Run in order inside one transaction; one statement each, as PGlite's extended protocol requires. */
  statements: readonly string[];
}

/**
 * The schema, oldest first. Ids and payment ids use COLLATE "C" so that ORDER BY id is byte order,
 * the same order the ids' time prefix sorts in (a locale collation would reorder "_" and digits).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "payments, idempotency records, journal and provider exchanges",
    statements: [
      `CREATE TABLE payments (
        id text COLLATE "C" PRIMARY KEY,
        caller text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        method_type text NOT NULL,
        method jsonb,
        merchant_reference text NOT NULL,
        description text NOT NULL,
        metadata jsonb NOT NULL,
        status text NOT NULL,
        adapter text NOT NULL,
        provider_reference text NOT NULL,
        customer_action jsonb,
        failure jsonb,
        outcome_unknown boolean NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        expires_at timestamptz,
        version integer NOT NULL,
        CONSTRAINT payments_caller_idempotency_key UNIQUE (caller, idempotency_key)
      )`,
      "CREATE INDEX payments_adapter_provider_reference ON payments (adapter, provider_reference)",
      "CREATE INDEX payments_caller_id ON payments (caller, id DESC)",
      `CREATE TABLE idempotency_records (
        caller text NOT NULL,
        idempotency_key text NOT NULL,
        fingerprint text NOT NULL,
        payment_id text COLLATE "C" NOT NULL,
        grpc_code integer,
        response bytea,
        created_at timestamptz NOT NULL,
        completed_at timestamptz,
        PRIMARY KEY (caller, idempotency_key)
      )`,
      `CREATE TABLE payment_journal (
        seq bigserial NOT NULL,
        payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
        from_status text NOT NULL,
        to_status text NOT NULL,
        cause text NOT NULL,
        at timestamptz NOT NULL
      ) PARTITION BY RANGE (at)`,
      "CREATE INDEX payment_journal_payment_id ON payment_journal (payment_id, seq)",
      `CREATE TABLE provider_exchanges (
        seq bigserial NOT NULL,
        payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
        adapter text NOT NULL,
        operation text NOT NULL,
        http_method text NOT NULL,
        url text NOT NULL,
        request_body text NOT NULL,
        response_status integer NOT NULL,
        response_body text NOT NULL,
        started_at timestamptz NOT NULL,
        duration_micros bigint NOT NULL,
        transport_error text NOT NULL
      ) PARTITION BY RANGE (started_at)`,
      "CREATE INDEX provider_exchanges_payment_id ON provider_exchanges (payment_id, seq)",
    ],
  },
  {
    version: 2,
    name: "payments: the status resolver's schedule and manual review",
    statements: [
      // Nullable without a default: existing rows need no rewrite. Each pair is set or cleared
      // whole, as PaymentRecord's `resolution` and `review` are.
      `ALTER TABLE payments
        ADD COLUMN resolution_next_check_at timestamptz,
        ADD COLUMN resolution_attempts integer,
        ADD COLUMN review_reason text,
        ADD COLUMN review_since timestamptz,
        ADD CONSTRAINT payments_resolution_whole
          CHECK ((resolution_next_check_at IS NULL) = (resolution_attempts IS NULL)),
        ADD CONSTRAINT payments_review_whole CHECK ((review_reason IS NULL) = (review_since IS NULL))`,
      // The resolver's queue (dueForResolution): only payments it may still work on, in the order
      // it takes them. dueForResolutionQuery (payment-list-query.ts) must name the same terminal
      // statuses, or the planner cannot prove the query may use this index.
      `CREATE INDEX payments_resolution_due ON payments (resolution_next_check_at, id)
        WHERE resolution_next_check_at IS NOT NULL AND review_reason IS NULL
          AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED')`,
      // list(unresolvedOnly): the few unresolved payments of a caller, without walking the rest.
      `CREATE INDEX payments_caller_unresolved ON payments (caller, id DESC)
        WHERE outcome_unknown OR review_reason IS NOT NULL`,
    ],
  },
  {
    version: 3,
    name: "provider events (webhook dedupe) and the payment event outbox",
    statements: [
      // Every verified provider event once: the primary key is what makes a redelivered webhook
      // change nothing twice. Kept whether or not the event moved the payment.
      `CREATE TABLE provider_events (
        adapter text NOT NULL,
        event_id text NOT NULL,
        payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
        claimed_status text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('applied', 'same_status', 'ignored')),
        received_at timestamptz NOT NULL,
        PRIMARY KEY (adapter, event_id)
      )`,
      "CREATE INDEX provider_events_payment_id ON provider_events (payment_id, received_at)",
      // Written in the transaction of the change it describes; the relay publishes and marks it.
      `CREATE TABLE payment_outbox (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
        version integer NOT NULL,
        routing_key text NOT NULL,
        payload bytea NOT NULL,
        created_at timestamptz NOT NULL,
        published_at timestamptz
      )`,
      "CREATE INDEX payment_outbox_unpublished ON payment_outbox (seq) WHERE published_at IS NULL",
      "CREATE INDEX payment_outbox_payment_version ON payment_outbox (payment_id, version)",
    ],
  },
  {
    version: 4,
    name: "payments: requests an adapter rejected as invalid, and the resolver's last answer",
    statements: [
      // Both nullable without a default: existing rows need no rewrite.
      `ALTER TABLE payments
        ADD COLUMN rejected_at timestamptz,
        ADD COLUMN resolution_last_answer text`,
      // listUnresolved: every payment the resolver still owes a check or a person must look at.
      `CREATE INDEX payments_awaiting_resolution ON payments (id DESC)
        WHERE rejected_at IS NULL AND (review_reason IS NOT NULL OR (resolution_next_check_at IS NOT NULL
          AND status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELED', 'EXPIRED')))`,
    ],
  },
  {
    version: 5,
    name: "payments: methods masked with the full method sealed, and events held until announced",
    statements: [
      // method now holds the masked method; the full one is sealed (envelope encryption) while the
      // payment is PENDING, its data key wrapped by the key-encryption key named by id. All three
      // are set or cleared whole. events_held: the payment's outbox events wait unpublished.
      // method_in_clear marks the rows written before this migration (the column's first default):
      // the store masks and seals those when it opens; rows written later are born protected.
      `ALTER TABLE payments
        ADD COLUMN sealed_method bytea,
        ADD COLUMN sealed_method_key bytea,
        ADD COLUMN sealed_method_key_id text,
        ADD COLUMN events_held boolean NOT NULL DEFAULT false,
        ADD COLUMN method_in_clear boolean NOT NULL DEFAULT true,
        ADD CONSTRAINT payments_sealed_method_whole CHECK (
          (sealed_method IS NULL) = (sealed_method_key IS NULL)
          AND (sealed_method IS NULL) = (sealed_method_key_id IS NULL))`,
      "ALTER TABLE payments ALTER COLUMN method_in_clear SET DEFAULT false",
      "CREATE INDEX payments_method_in_clear ON payments (id) WHERE method_in_clear",
      // Re-wrapping after a key rotation finds the rows under an older key without a scan.
      `CREATE INDEX payments_sealed_method_key_id ON payments (sealed_method_key_id)
        WHERE sealed_method_key_id IS NOT NULL`,
    ],
  },
  {
    version: 6,
    name: "reconciliation: runs, loaded settlement lines, verdicts and the resolution trail",
    statements: [
      // One row per (adapter, business date), however many reconcilers try to create it: the
      // unique key is what makes a day's run exist once. `status` is what the last attempt left;
      // which worker is running it now is an advisory lock, which dies with its session.
      `CREATE TABLE recon_runs (
        id bigserial PRIMARY KEY,
        adapter text NOT NULL,
        business_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),
        attempts integer NOT NULL,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        failure text,
        line_count bigint,
        unreadable_count bigint,
        discrepancy_count bigint,
        CONSTRAINT recon_runs_adapter_business_date UNIQUE (adapter, business_date)
      )`,
      // The report as loaded (by COPY), one row per line; amounts signed as they move the
      // merchant's balance, in minor units. raw_line is masked before it gets here. One partition
      // per run (the reconciler creates it): a rerun truncates its own partition instead of
      // deleting a million rows, and the planner judges a run by that partition's statistics.
      //
      // No foreign key to recon_runs here or on the verdicts: only the engine writes these rows,
      // into partitions it creates for a run it has just found, and a key checked per row would
      // cost a trigger call for each of a million lines. Runs are never deleted.
      `CREATE TABLE recon_lines (
        run_id bigint NOT NULL,
        line_no integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('transaction', 'batch_total', 'unreadable')),
        type text,
        payment_id text COLLATE "C",
        provider_reference text,
        gross_minor bigint,
        provider_fee_minor bigint,
        tax_minor bigint,
        net_minor bigint,
        currency text,
        business_date date,
        settled_at timestamptz,
        batch_id text,
        line_count bigint,
        provider_status text,
        raw_line text NOT NULL,
        unreadable_reason text,
        PRIMARY KEY (run_id, line_no)
      ) PARTITION BY LIST (run_id)`,
      // A verdict per line (line_no set, payment_id set when it found our payment) and per payment
      // no line of the report covered (line_no NULL). Replaced whole when a run is run again;
      // partitioned per run like the lines.
      `CREATE TABLE recon_verdicts (
        run_id bigint NOT NULL,
        line_no integer,
        payment_id text COLLATE "C",
        class text NOT NULL,
        discrepancy boolean NOT NULL,
        our_amount_minor bigint,
        their_amount_minor bigint,
        detail text,
        CHECK (line_no IS NOT NULL OR payment_id IS NOT NULL)
      ) PARTITION BY LIST (run_id)`,
      "CREATE UNIQUE INDEX recon_verdicts_line ON recon_verdicts (run_id, line_no) WHERE line_no IS NOT NULL",
      "CREATE UNIQUE INDEX recon_verdicts_payment ON recon_verdicts (run_id, payment_id) WHERE line_no IS NULL",
      // Whether a line of a run settled a given payment (the run's own, a neighbouring day's);
      // dropped by migration 9.
      "CREATE INDEX recon_verdicts_payment_id ON recon_verdicts (payment_id) WHERE line_no IS NOT NULL",
      // Which payments succeeded in a business day's window: the journal says when each one did.
      "CREATE INDEX payment_journal_succeeded_at ON payment_journal (at, payment_id) WHERE to_status = 'SUCCEEDED'",
      // Who decided what about a verdict, and why. It names the verdict by (run, line or payment),
      // not by a row, because a rerun replaces verdicts and must not lose a decision.
      `CREATE TABLE recon_resolutions (
        seq bigserial PRIMARY KEY,
        run_id bigint NOT NULL REFERENCES recon_runs (id),
        line_no integer,
        payment_id text COLLATE "C",
        class text NOT NULL,
        action text NOT NULL CHECK (action IN ('accept', 'write-off', 'adjust')),
        actor text NOT NULL,
        note text NOT NULL,
        at timestamptz NOT NULL,
        CHECK (line_no IS NOT NULL OR payment_id IS NOT NULL)
      )`,
      "CREATE INDEX recon_resolutions_run ON recon_resolutions (run_id, seq)",
      // Append-only by construction, not by convention: an UPDATE or DELETE fails whoever runs it.
      `CREATE FUNCTION recon_resolutions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'recon_resolutions is append-only: % refused', TG_OP;
      END
      $$`,
      `CREATE TRIGGER recon_resolutions_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON recon_resolutions
        FOR EACH STATEMENT EXECUTE FUNCTION recon_resolutions_append_only()`,
    ],
  },
  {
    version: 7,
    name: "trace context: the trace that created a payment, and the one that wrote each outbox event",
    statements: [
      "ALTER TABLE payments ADD COLUMN trace_parent text",
      "ALTER TABLE payment_outbox ADD COLUMN trace_parent text",
    ],
  },
  {
    version: 8,
    name: "payments raised for review: the trail of operators' decisions",
    statements: [
      // Who settled a payment the resolver raised for review, as what, on which evidence and why.
      // `version` is the payment's version the decision produced (its outbox event is
      // "<payment>/<version>"): one decision per transition, however many operators try at once.
      `CREATE TABLE payment_review_resolutions (
        seq bigserial PRIMARY KEY,
        payment_id text COLLATE "C" NOT NULL REFERENCES payments (id),
        version integer NOT NULL,
        from_status text NOT NULL,
        to_status text NOT NULL CHECK (to_status IN ('SUCCEEDED', 'FAILED')),
        review_reason text NOT NULL,
        evidence text NOT NULL,
        note text NOT NULL,
        actor text NOT NULL,
        at timestamptz NOT NULL,
        CONSTRAINT payment_review_resolutions_transition UNIQUE (payment_id, version)
      )`,
      // Append-only by construction, as recon_resolutions: an UPDATE, DELETE or TRUNCATE fails.
      `CREATE FUNCTION payment_review_resolutions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'payment_review_resolutions is append-only: % refused', TG_OP;
      END
      $$`,
      `CREATE TRIGGER payment_review_resolutions_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON payment_review_resolutions
        FOR EACH STATEMENT EXECUTE FUNCTION payment_review_resolutions_append_only()`,
    ],
  },
  {
    version: 9,
    name: "reconciliation: verdicts no longer indexed by payment",
    statements: [
      // Kept up row by row, it was a third of what writing a million-line run's verdicts cost;
      // the matching statements that looked payments up in it join by hash instead.
      "DROP INDEX recon_verdicts_payment_id",
    ],
  },
];

/**
 * Brings the client's schema up to the latest migration and returns the versions applied now.
 * Each migration runs in its own transaction under an advisory lock and re-checks
 * schema_migrations after taking it, so two routers starting together apply each migration once.
 */
export async function migrate(sql: SqlClient, migrations = MIGRATIONS): Promise<number[]> {
  await sql.transaction(async (tx) => {
    await lockForTransaction(tx, sql.schema, "migrations");
    // Concurrent CREATE SCHEMA IF NOT EXISTS can still fail on a unique index; under the lock it cannot.
    if (sql.schema !== DEFAULT_SCHEMA) await tx.query(`CREATE SCHEMA IF NOT EXISTS ${sql.schema}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await sql.transaction(async (tx) => {
      await lockForTransaction(tx, sql.schema, "migrations");
      const done = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version]);
      if (done.length > 0) return false;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}
