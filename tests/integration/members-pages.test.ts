import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getMembersView } from "@/lib/admin/members-view";
import { MEMBERS_PAGE_SIZE } from "@/lib/pagination";
import { createOrg } from "../support/store";

const NOW = new Date("2026-03-20T12:00:00Z");

describe("Admin > Members for a large org", () => {
  it("shows 50 members a page in the order they joined, and names every inviter, on this page or not", async () => {
    const members = Array.from({ length: 2 * MEMBERS_PAGE_SIZE + 20 }, (_, i) => ({
      id: `user_members_${String(i).padStart(3, "0")}_${randomUUID()}`, // joined in this order; ties in the join time sort by id
      role: i === 0 ? ("admin" as const) : undefined,
    }));
    const { orgId, db } = await createOrg({ members });
    const invitation = (email: string, invitedById: string) =>
      db.invitation.create({
        data: { id: randomUUID(), orgId, email, role: "user", seatType: "collaborator", tokenHash: randomUUID(), invitedById, expiresAt: new Date("2026-03-27T12:00:00Z") },
      });
    await invitation("by-the-last@example.test", members.at(-1)!.id);
    await invitation("by-a-leaver@example.test", "user_who_left");
    const view = (page?: number) => getMembersView(db, orgId, { userId: members[0].id, role: "admin" }, NOW, page);

    const first = await view();
    expect(first.members.map((m) => m.userId)).toEqual(members.slice(0, MEMBERS_PAGE_SIZE).map((m) => m.id));
    expect(first.pages).toEqual({ page: 1, pageCount: 3, total: 120, first: 1, last: 50 });
    // The inviter joined last, on page 3, and is named on page 1 all the same.
    expect(Object.fromEntries(first.invitations.map((i) => [i.email, i.invitedBy]))).toEqual({
      "by-the-last@example.test": members.at(-1)!.id,
      "by-a-leaver@example.test": "A former member",
    });

    const third = await view(3);
    expect(third.pages).toEqual({ page: 3, pageCount: 3, total: 120, first: 101, last: 120 });
    expect(third.members.map((m) => m.userId)).toEqual(members.slice(100).map((m) => m.id));
    expect((await view(99)).pages.page).toBe(3); // past the end: the last page
    expect((await view(Number.NaN)).pages.page).toBe(1);
  });
});
