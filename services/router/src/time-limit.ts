/**
 * Settles as `work` does, or rejects with `message` once `ms` have passed. The work itself is not
 * stopped: this bounds how long a caller waits on something (a broker's confirm) that cannot be
 * cancelled, and whose late outcome is harmless.
 */
export async function withTimeLimit<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
