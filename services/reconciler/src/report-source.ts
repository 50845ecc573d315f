import { createGrpcClient, type GrpcClient, isPaymeshError, reasonName } from "@paymesh/adapter-kit";
import { adapterv1 } from "@paymesh/proto";
import { grpcCodeName } from "@paymesh/telemetry";
import { isReconError, ReconError } from "./recon-error.ts";
import type { SettlementLine, SettlementReport } from "./settlement-line.ts";
import { settlementLines } from "./settlement-mapping.ts";

type AdapterClient = GrpcClient<typeof adapterv1.ProviderAdapter.method>;

/** Where one adapter listens, and which provider it must say it speaks for. */
export interface ReportAdapter {
  /** A grpc-js target, "host:port" or "dns:///name:port". */
  address: string;
  /**
   * The provider id the adapter's Describe must answer ("midtrans", "snap-qris"…): a report from
   * another provider (an address mixed up in config) is refused before a line is read. Unset: not
   * checked.
   */
  provider?: string;
}

/** Options for {@link createReportSource}. */
export interface ReportSourceOptions {
  adapters: Readonly<Record<string, ReportAdapter>>;
  /** Bound on Describe, the check before the report. @default 10_000 */
  describeTimeoutMs?: number;
  /** Bound on reading one whole report: a stalled adapter fails the run rather than hold it. @default 3_600_000 (1 h) */
  reportTimeoutMs?: number;
}

/** Reads adapters' settlement reports over gRPC (ListSettlements). */
export interface ReportSource {
  /**
   * The report of `adapter` for `businessDate`, for the engine. Nothing is called until the engine
   * reads the first line; then the adapter's identity is checked and its stream mapped page by
   * page. An adapter that cannot be reached or fails midway throws ReconError REPORT_UNAVAILABLE;
   * one that speaks for another provider, REPORT_REJECTED. Both fail the run with the reason.
   */
  report(adapter: string, businessDate: string, signal?: AbortSignal): SettlementReport;
  /** Closes every channel. */
  close(): void;
}

/** Creates a report source; one channel per adapter, opened on first use and kept. */
export function createReportSource(options: ReportSourceOptions): ReportSource {
  const describeTimeoutMs = options.describeTimeoutMs ?? 10_000;
  const reportTimeoutMs = options.reportTimeoutMs ?? 3_600_000;
  const clients = new Map<string, AdapterClient>();

  const clientOf = (adapter: string, target: ReportAdapter): AdapterClient => {
    let client = clients.get(adapter);
    if (client === undefined) {
      client = createGrpcClient(adapterv1.ProviderAdapter, target.address);
      clients.set(adapter, client);
    }
    return client;
  };

  async function* lines(
    adapter: string,
    businessDate: string,
    signal: AbortSignal | undefined,
    onExpectedLines: (lines: number) => void,
  ): AsyncGenerator<SettlementLine> {
    const target = options.adapters[adapter];
    if (target === undefined)
      throw new ReconError("INVALID_REQUEST", `adapter ${JSON.stringify(adapter)} is not configured`);
    const client = clientOf(adapter, target);
    const where = `adapter ${JSON.stringify(adapter)} at ${target.address}`;
    const call = (deadlineMs: number) => ({
      deadline: new Date(Date.now() + deadlineMs),
      ...(signal === undefined ? {} : { signal }),
    });
    try {
      if (target.provider !== undefined) {
        const described = await client.describe({}, call(describeTimeoutMs));
        if (described.provider !== target.provider) {
          throw new ReconError(
            "REPORT_REJECTED",
            `${where} speaks for provider ${JSON.stringify(described.provider)}, not ${JSON.stringify(target.provider)}`,
          );
        }
      }
      yield* settlementLines(
        client.listSettlements({ date: businessDate }, call(reportTimeoutMs)),
        onExpectedLines,
      );
    } catch (error) {
      if (isReconError(error) || signal?.aborted) throw error;
      throw new ReconError("REPORT_UNAVAILABLE", `${where} did not give its report: ${failureOf(error)}`, {
        cause: error,
      });
    }
  }

  return {
    report: (adapter, businessDate, signal) => {
      let expected: number | undefined;
      return {
        adapter,
        businessDate,
        lines: lines(adapter, businessDate, signal, (count) => {
          expected = count;
        }),
        expectedLines: () => expected,
      };
    },
    close() {
      for (const client of clients.values()) client.close();
      clients.clear();
    },
  };
}

/**
 * Why a call failed, as the run records it: the gRPC status and Paymesh reason only. The adapter's
 * message may quote its provider, and a backend's words do not belong in a run's record.
 */
function failureOf(error: unknown): string {
  if (isPaymeshError(error)) return `${grpcCodeName(error.code)} (${reasonName(error.reason)})`;
  return error instanceof Error ? error.name : "unknown error";
}
