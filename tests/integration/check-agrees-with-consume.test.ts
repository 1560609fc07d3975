import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PlanId } from "@/lib/limits/plans";
import type { MetricId } from "@/lib/limits/metrics";
import { checkUsage, consumeUsage } from "@/lib/metering/consume";
import { loadTerms } from "@/lib/metering/org-terms";
import { termsFor } from "@/lib/metering/org-context";
import { createOrg, onServer } from "../support/store";

/**
 * `check` is a dry run of the decision `consume` makes: on the same state they
 * must always agree, whatever the plan, overrides, allocation, quantity (zero
 * and negative included) and counters, including counters already past their
 * ceiling (after a downgrade). Checked on the real store, which decides consume.
 */
const NOW = new Date("2026-06-10T12:00:00Z");
// Hard, soft, cumulative soft, and the allocatable one.
const METRICS_TRIED: MetricId[] = ["emails_sent", "lead_captures", "contacts", "enrichments"];

const scenario = fc.record({
  plan: fc.constantFrom<PlanId>("free", "pro", "business"),
  metric: fc.constantFrom(...METRICS_TRIED),
  override: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
  allocation: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
  asMember: fc.boolean(),
  orgUsed: fc.integer({ min: 0, max: 80 }),
  memberUsed: fc.integer({ min: 0, max: 40 }),
  quantity: fc.oneof(fc.constant(0), fc.integer({ min: -10, max: 70 })),
});

describe.skipIf(!onServer)("check and consume (needs DATABASE_URL)", () => {
  it("agree on every state: check's answer is consume's", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { orgId, members, sql } = await createOrg({
          plan: s.plan,
          anchor: new Date("2026-01-15T00:00:00Z"),
          overrides: s.override === undefined ? {} : { [s.metric]: s.override },
          members: [{ enrichmentAllocation: s.allocation }],
        });
        const userId = s.asMember ? members[0] : undefined;
        const terms = (await loadTerms(sql, orgId))!;
        const { periodStart } = termsFor(terms.context, s.metric, NOW);
        // The counters as a downgrade or earlier usage may have left them: possibly past the ceiling.
        const counters = [["", s.orgUsed], ...(userId ? [[userId, Math.min(s.memberUsed, s.orgUsed)]] : [])] as [string, number][];
        for (const [user, used] of counters) {
          await sql.query(`INSERT INTO usage_counters (org_id, user_id, metric, period_start, used) VALUES ($1, $2, $3, $4, $5)`, [orgId, user, s.metric, periodStart, used]);
        }
        const request = { orgId, metric: s.metric, quantity: s.quantity, userId };
        const checked = await checkUsage(sql, request, NOW).then((d) => d.allowed, (e: { code?: string }) => e.code ?? "error");
        const consumed = await consumeUsage(sql, { ...request, idempotencyKey: randomUUID() }, { now: NOW }).then(() => true, (e: { code?: string }) => {
          if (e.code === "limit_exceeded" || e.code === "user_allocation_exceeded") return false;
          return e.code ?? "error";
        });
        expect({ scenario: s, checked }).toEqual({ scenario: s, checked: consumed });
      }),
      { numRuns: 150 },
    );
  });
});
