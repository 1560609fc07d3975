/**
 * When a failed delivery is tried again: exponential backoff from 30 seconds,
 * doubling each time (30 s, 1 min, 2, 4, 8, 16, 32 min), eight attempts in all
 * over about an hour, after which the delivery is given up and stays failed in
 * the log.
 */
export const MAX_ATTEMPTS = 8;
export const FIRST_RETRY_MS = 30_000;

/** Delay before attempt `attempt + 1`, or null when `attempt` was the last. */
export function retryDelayMs(attempt: number): number | null {
  if (attempt >= MAX_ATTEMPTS) return null;
  return FIRST_RETRY_MS * 2 ** (attempt - 1);
}
