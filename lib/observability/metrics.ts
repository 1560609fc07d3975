import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { openedStore } from "@/lib/db/process-store";
import { processSingleton } from "@/lib/process/singleton";

/**
 * The process's Prometheus metrics, served at GET /metrics (lib/observability/
 * metrics-endpoint.ts). Labels take values from closed sets only (route names,
 * metric ids, outcomes), never an org, a user or a key, so no client can grow them.
 */
function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "ledgerline_" });
  return {
    registry,
    decisions: new Counter({
      name: "ledgerline_decisions_total",
      help: "Enforcement answers by route, metric and outcome (admitted, denied by a limit or paused AI, error).",
      labelNames: ["route", "metric", "outcome"] as const,
      registers: [registry],
    }),
    latency: new Histogram({
      name: "ledgerline_request_duration_seconds",
      help: "Time to answer an enforcement API request, by route.",
      labelNames: ["route"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: "ledgerline_coalesced_batch_size",
      help: "Requests decided together in one statement, by kind (consume, ai_authorize, ai_settle, ai_release).",
      labelNames: ["kind"] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000],
      registers: [registry],
    }),
    pool: new Gauge({
      name: "ledgerline_db_pool_connections",
      help: "The Postgres pool: connections open, in use, idle, and requests waiting for one.",
      labelNames: ["state"] as const,
      registers: [registry],
      collect() {
        const stats = openedStore()?.poolStats?.();
        if (!stats) return;
        this.set({ state: "open" }, stats.total);
        this.set({ state: "in_use" }, stats.total - stats.idle);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    }),
    webhooks: new Counter({
      name: "ledgerline_stripe_webhooks_total",
      help: "Stripe webhook answers by outcome: received, or the error code answered.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    alertDeliveries: new Counter({
      name: "ledgerline_alert_deliveries_total",
      help: "Alert delivery attempts by channel (webhook, email) and outcome (succeeded, failed).",
      labelNames: ["channel", "outcome"] as const,
      registers: [registry],
    }),
  };
}

export const metrics = () => processSingleton("prometheus-metrics", createMetrics);

export function observeCoalescedBatch(kind: string, size: number) {
  metrics().batchSize.observe({ kind }, size);
}
