// The image's HEALTHCHECK: GET PAYMESH_HEALTH_URL (the deployable's liveness endpoint), healthy on
// a 2xx answer within 2 s. No shell and no curl in the image: Node's own fetch does it.
const { env } = process;
const url = env.PAYMESH_HEALTH_URL;
if (!url) process.exit(0); // a deployable with no HTTP endpoint relies on its gRPC health service
try {
  const answer = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  process.exit(answer.ok ? 0 : 1);
} catch {
  process.exit(1);
}
