import type { ServerResponse } from "node:http";
import type { Metrics } from "./metrics.ts";

/**
 * Answers GET /metrics with the registry's exposition text. Unauthenticated, as scrapers expect:
 * the series carry counts and bounded labels, never payment data.
 */
export async function answerMetrics(metrics: Metrics, res: ServerResponse): Promise<void> {
  try {
    const { contentType, text } = await metrics.exposition();
    res.writeHead(200, { "content-type": contentType });
    res.end(text);
  } catch {
    // A collector threw: say so without its text, which may be a backend's.
    res.writeHead(500, { "content-type": "text/plain" });
    res.end("metrics collection failed\n");
  }
}
