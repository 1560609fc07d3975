import { processSingleton } from "@/lib/process/singleton";

/**
 * Settle opens an automatic top-up in the store; the sender that charges it
 * lives with Stripe (lib/stripe/top-up-loop.ts). This is how the one tells the
 * other at once, without the enforcement path importing Stripe: the sender
 * loop listens, and without it (tests, scripts) nothing happens and the
 * sender's next pass finds the top-up anyway. One listener per process,
 * whichever bundle settles (lib/process/singleton.ts).
 */
const kick = processSingleton("ledgerlineTopUpKick", () => ({ listener: null as ((orgId: string) => void) | null }));

/** Called after a settle whose draw opened a top-up for `orgId`. */
export function topUpOpened(orgId: string): void {
  kick.listener?.(orgId);
}

/** The sender's listener; null stops listening. */
export function onTopUpOpened(listener: ((orgId: string) => void) | null): void {
  kick.listener = listener;
}
