import { describe, expect, it } from "vitest";
import { authorizeAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { createOrg } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");
const USD = 1_000_000;
let n = 0;
const key = () => `blocked-${n++}`;
const ask = (orgId: string, userId: string, maxOutputTokens: number) =>
  ({ orgId, userId, feature: "chat", model: "gpt-4.1", inputTokens: 0, maxOutputTokens }) as const;

describe("blocked counts on the usage snapshot", () => {
  it("counts 429s per metric this cycle, at the org's caps and at members' allocations", async () => {
    // Free: $5 AI pool, 50 enrichments. gpt-4.1 output: $8 per million tokens.
    const { orgId, db, sql, members } = await createOrg({ plan: "free", members: [{ aiAllocationMicros: 1 * USD, enrichmentAllocation: 5 }, {}] });
    const [capped, sharing] = members;

    await expect(authorizeAi(sql, ask(orgId, capped, 250_000), NOW)).rejects.toMatchObject({ code: "user_allocation_exceeded" }); // $2 > $1
    await expect(authorizeAi(sql, ask(orgId, sharing, 1_000_000), NOW)).rejects.toMatchObject({ code: "ai_budget_exhausted" }); // $8 > $5
    await consumeUsage(sql, { orgId, metric: "enrichments", quantity: 5, userId: capped, idempotencyKey: key() }, { now: NOW });
    await expect(consumeUsage(sql, { orgId, metric: "enrichments", quantity: 1, userId: capped, idempotencyKey: key() }, { now: NOW })).rejects.toMatchObject({
      code: "user_allocation_exceeded",
    });
    await expect(consumeUsage(sql, { orgId, metric: "emails_sent", quantity: 501, idempotencyKey: key() }, { now: NOW })).rejects.toMatchObject({
      code: "limit_exceeded",
    });

    const snapshot = await getUsageSnapshot(db, orgId, NOW);
    expect(snapshot.ai.blocked).toBe(1);
    expect(snapshot.meters.find((m) => m.metric === "emails_sent")?.blocked).toBe(1);
    expect(snapshot.meters.find((m) => m.metric === "enrichments")?.blocked).toBe(0);
    const mine = snapshot.members.find((m) => m.userId === capped)!;
    expect([mine.ai.blocked, mine.enrichments.blocked]).toEqual([1, 1]);

    // A new cycle starts from zero.
    const next = await getUsageSnapshot(db, orgId, new Date("2026-04-20T12:00:00Z"));
    expect(next.ai.blocked + next.members.reduce((sum, m) => sum + m.ai.blocked + m.enrichments.blocked, 0)).toBe(0);
  });
});
