/**
 * Runs once when a Next.js server starts: the alert dispatcher loop, in the
 * Node.js runtime of a running server only (not while `next build` prerenders).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startAlertDispatcher } = await import("@/lib/alerts/dispatcher-loop");
  startAlertDispatcher();
}
