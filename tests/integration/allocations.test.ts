import { describe, expect, it } from "vitest";
import { setAllocations } from "@/lib/admin/allocations";
import { authorizeAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg } from "../support/store";

const USD = 1_000_000;
let n = 0;
const key = () => `allocation-${n++}`;

async function team() {
  const { orgId, db, sql, members } = await createOrg({ plan: "pro", members: [{ role: "admin" }, { role: "user" }] });
  return { orgId, db, sql, admin: { userId: members[0], orgId, role: "admin" as const }, user: members[1] };
}

describe("per-user allocations", () => {
  it("sets, lowers, raises and removes, each audited with before and after", async () => {
    const { db, orgId, admin, user } = await team();
    await setAllocations(db, admin, { userId: user, aiAllocationMicros: 10 * USD, enrichmentAllocation: 100 });
    await setAllocations(db, admin, { userId: user, aiAllocationMicros: 10 * USD, enrichmentAllocation: 100 }); // no change, no entry
    await setAllocations(db, admin, { userId: user, aiAllocationMicros: null, enrichmentAllocation: 100 });
    const membership = await db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId: user } } });
    expect([membership.aiAllocationMicros, membership.enrichmentAllocation]).toEqual([null, 100n]);
    const trail = await db.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } });
    expect(trail.map((e) => [e.actor, e.action, e.before, e.after])).toEqual([
      [`user:${admin.userId}`, "allocation_changed", { member: user, aiAllocationMicros: null, enrichmentAllocation: null }, { member: user, aiAllocationMicros: 10 * USD, enrichmentAllocation: 100 }],
      [`user:${admin.userId}`, "allocation_changed", { member: user, aiAllocationMicros: 10 * USD, enrichmentAllocation: 100 }, { member: user, aiAllocationMicros: null, enrichmentAllocation: 100 }],
    ]);
  });

  it("refuses more than the org's cap, names the field, and changes nothing", async () => {
    const { db, orgId, admin, user } = await team(); // Pro: $100 AI, 1,000 enrichments
    await expect(setAllocations(db, admin, { userId: user, aiAllocationMicros: 100 * USD + 10_000, enrichmentAllocation: null })).rejects.toMatchObject({
      code: "invalid_request",
      message: "An AI allocation cannot be more than the organization's AI pool of $100.00.",
      details: { field: "aiDollars" },
    });
    await expect(setAllocations(db, admin, { userId: user, aiAllocationMicros: null, enrichmentAllocation: 1_001 })).rejects.toMatchObject({
      message: "An enrichment allocation cannot be more than the organization's 1,000 enrichments.",
      details: { field: "enrichments" },
    });
    await setAllocations(db, admin, { userId: user, aiAllocationMicros: 100 * USD, enrichmentAllocation: 1_000 }); // exactly the cap is fine
    expect(await db.auditEntry.count({ where: { orgId } })).toBe(1);
  });

  it("refuses a member of another org", async () => {
    const { db, admin } = await team();
    const other = await createOrg({ members: [{ role: "user" }] });
    await expect(setAllocations(db, admin, { userId: other.members[0], aiAllocationMicros: USD, enrichmentAllocation: null })).rejects.toMatchObject({ code: "not_found" });
  });

  it("takes effect on the very next call: lowered is 429 at once, raised passes at once", async () => {
    const { db, sql, orgId, admin, user } = await team();
    const enrich = () => consumeUsage(sql, { orgId, metric: "enrichments", quantity: 10, userId: user, idempotencyKey: key() });
    const ai = () => authorizeAi(sql, { orgId, userId: user, feature: "chat", model: "gpt-4.1", inputTokens: 500_000, maxOutputTokens: 0 }); // $1.00
    await enrich(); // shares the pool; the org's terms are now cached in this process
    await ai();

    await setAllocations(db, admin, { userId: user, aiAllocationMicros: 1 * USD, enrichmentAllocation: 10 });
    await expect(enrich()).rejects.toMatchObject({ code: "user_allocation_exceeded", status: 429 });
    await expect(ai()).rejects.toMatchObject({
      code: "user_allocation_exceeded",
      status: 429,
      message: expect.stringMatching(/^You have used your personal AI budget allocation\. It resets on \d{4}-\d\d-\d\d \(UTC\)\. Ask an admin/),
    });

    await setAllocations(db, admin, { userId: user, aiAllocationMicros: 5 * USD, enrichmentAllocation: 50 });
    await expect(enrich()).resolves.toMatchObject({ allowed: true });
    await expect(ai()).resolves.toMatchObject({ holdMicros: USD });
  });
});
