import { describe, expect, it } from "vitest";
import { allocationsPage, toAllocationsView } from "@/lib/admin/allocations-view";
import { MEMBERS_PAGE_SIZE } from "@/lib/pagination";
import { consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { createOrg } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");

describe("Admin > Usage & Limits for a large org", () => {
  it("shows 50 members a page in the order they joined, each with this cycle's usage against their allocation", async () => {
    const members = Array.from({ length: 2 * MEMBERS_PAGE_SIZE + 20 }, (_, i) => ({
      id: `user_page_${String(i).padStart(3, "0")}_${crypto.randomUUID()}`, // joined in this order; ties in the join time sort by id
      enrichmentAllocation: i % 10 === 0 ? 40 : undefined,
    }));
    const { orgId, sql, db } = await createOrg({ members });
    const last = members.at(-1)!.id;
    // Last cycle's enrichments must not count in this one.
    await consumeUsage(sql, { orgId, userId: last, metric: "enrichments", quantity: 7, idempotencyKey: "last-cycle" }, { now: new Date("2026-02-20T12:00:00Z") });
    await consumeUsage(sql, { orgId, userId: last, metric: "enrichments", quantity: 3, idempotencyKey: "this-cycle" }, { now: NOW });

    const snapshot = await getUsageSnapshot(db, orgId, NOW);
    expect(snapshot.members.map((m) => m.userId)).toEqual(members.map((m) => m.id));
    const view = async (page: number) => toAllocationsView(await getUsageSnapshot(db, orgId, NOW, allocationsPage(page)), page);

    const third = await view(3);
    expect(third.pages).toEqual({ page: 3, pageCount: 3, total: 120, first: 101, last: 120 });
    expect(third.rows.map((r) => r.userId)).toEqual(members.slice(100).map((m) => m.id));
    const lastRow = third.rows.at(-1)!;
    expect(lastRow.enrichments.used).toBe("3");
    expect(third.rows[0].enrichments.allocation).toBe("40"); // member 100 has one

    expect((await view(1)).rows.map((r) => r.userId)).toEqual(members.slice(0, MEMBERS_PAGE_SIZE).map((m) => m.id));
    const pastTheEnd = await view(99);
    expect(pastTheEnd.pages.page).toBe(3); // the last page, and its members
    expect(pastTheEnd.rows.map((r) => r.userId)).toEqual(members.slice(100).map((m) => m.id));
    expect((await view(Number.NaN)).pages.page).toBe(1);
  });
});
