import { logger } from "@/lib/observability/log";
import { processSingleton } from "./singleton";

export interface BackgroundLoop {
  /** One loop per name and process. */
  name: string;
  /** Logged at the first failing pass of an outage, and when a pass succeeds again. */
  log: { failed: string; recovered: string };
  /** Between the end of one pass and the start of the next; 0 leaves the work to another process. */
  intervalMs: number;
  pass: () => Promise<unknown>;
}

/**
 * Runs `pass` in this server process every `intervalMs`, one pass at a time:
 * the next is scheduled when one ends, on a timer that never holds the process
 * open. A failing pass (the store is down) is logged once per outage and tried
 * again on the next tick; it never takes the server down. One loop per name
 * and process, however many bundles start it (lib/process/singleton.ts).
 * False when it did not start: off, or already running.
 */
export function startBackgroundLoop({ name, log, intervalMs, pass }: BackgroundLoop): boolean {
  const loop = processSingleton(`loop:${name}`, () => ({ started: false }));
  if (!intervalMs || loop.started) return false;
  loop.started = true;
  let failing = false;
  const tick = async () => {
    try {
      await pass();
      if (failing) console.info(log.recovered);
      failing = false;
    } catch (error) {
      if (!failing) logger().error({ err: error }, log.failed);
      failing = true;
    }
    setTimeout(tick, intervalMs).unref();
  };
  setTimeout(tick, intervalMs).unref();
  return true;
}
