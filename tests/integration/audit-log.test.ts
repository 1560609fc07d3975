import { describe, expect, it } from "vitest";
import { setAllocations } from "@/lib/admin/allocations";
import { recordAudit } from "@/lib/audit/record-audit";
import { readAuditLog } from "@/lib/audit/audit-log";
import { createOrg, testStore } from "../support/store";

describe("audit log", () => {
  it("is append-only: the store refuses to change an entry", async () => {
    const { orgId, db } = await createOrg();
    await recordAudit(db, { orgId, actor: "stripe:evt_1", action: "ai_paused", before: { aiPaused: false }, after: { aiPaused: true } });
    const { sql } = await testStore();
    await expect(sql.query(`UPDATE audit_entries SET action = 'rewritten' WHERE org_id = $1`, [orgId])).rejects.toThrow(/append-only/);
  });

  it("reads newest first with actors named and money in dollars, a page at a time", async () => {
    const { orgId, db, members } = await createOrg({ members: [{ role: "admin" }, { role: "user" }] });
    const [admin, user] = await Promise.all(members.map((id) => db.user.update({ where: { id }, data: { name: id === members[0] ? "Ada Admin" : "Uma User" } })));
    await recordAudit(db, { orgId, actor: "stripe:evt_9", action: "plan_changed", before: { plan: "free" }, after: { plan: "pro" } });
    await setAllocations(db, { userId: admin.id, orgId, role: "admin" }, { userId: user.id, aiAllocationMicros: 12_500_000, enrichmentAllocation: null });

    const { entries, olderThan } = await readAuditLog(db, orgId);
    expect(olderThan).toBeNull();
    expect(entries.map((e) => [e.actor, e.action])).toEqual([
      ["Ada Admin", "Changed a member's allocations"],
      ["Stripe (evt_9)", "Plan changed"],
    ]);
    expect(entries[0].changes).toEqual([
      { field: "Member", before: "Uma User", after: "Uma User" },
      { field: "AI allocation", before: "Shares the pool", after: "$12.50" },
      { field: "Enrichment allocation", before: "Shares the pool", after: "Shares the pool" },
    ]);

    for (let i = 0; i < 55; i++) await recordAudit(db, { orgId, actor: `user:${admin.id}`, action: "api_key_created", after: { name: `k${i}` } });
    const first = await readAuditLog(db, orgId);
    expect(first.entries).toHaveLength(50);
    const second = await readAuditLog(db, orgId, BigInt(first.olderThan!));
    expect(second.entries).toHaveLength(7);
    expect(second.olderThan).toBeNull();
  });
});
