/**
 * Runs once when a Next.js server starts, in the Node.js runtime of a running
 * server only (not while `next build` prerenders): a production server
 * (`npm start`, or `next start`) refuses the shipped development values, then
 * the alert dispatcher, store upkeep and auto top-up sender loops start.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.NODE_ENV === "production") {
    const { refuseUnsafeProduction } = await import("@/lib/config/production-safety");
    refuseUnsafeProduction();
  }
  const { startAlertDispatcher } = await import("@/lib/alerts/dispatcher-loop");
  startAlertDispatcher();
  const [{ startStoreUpkeep }, { store }] = await Promise.all([import("@/lib/metering/store-upkeep"), import("@/lib/db/process-store")]);
  startStoreUpkeep(() => store().sql);
  const { startTopUpSender } = await import("@/lib/stripe/top-up-loop");
  startTopUpSender();
}
