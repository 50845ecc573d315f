import type { OutgoingMessage, QueueMessage } from "@paymesh/queue";
import { isBusinessDate } from "./line-check.ts";

/** What a job on the `paymesh.recon` work queue asks for: run this adapter's business date. */
export interface ReconJob {
  adapter: string;
  businessDate: string;
}

/**
 * The job as a queue message: JSON, and an id naming the run, so the copies an at-least-once
 * queue may deliver are recognizably the same job.
 */
export function reconJobMessage(job: ReconJob): OutgoingMessage {
  return {
    id: `recon:${job.adapter}:${job.businessDate}`,
    body: new TextEncoder().encode(JSON.stringify(job)),
    headers: { "content-type": "application/json" },
  };
}

/** The job a message carries; throws on a body that is not one (retrying would not help it). */
export function readReconJob(message: QueueMessage): ReconJob {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(message.body));
  } catch {
    throw new Error(`recon job ${message.id} is not JSON`);
  }
  const { adapter, businessDate } = (parsed ?? {}) as Partial<Record<keyof ReconJob, unknown>>;
  if (
    typeof adapter !== "string" ||
    adapter === "" ||
    typeof businessDate !== "string" ||
    !isBusinessDate(businessDate)
  )
    throw new Error(`recon job ${message.id} does not name an adapter and a business date`);
  return { adapter, businessDate };
}
