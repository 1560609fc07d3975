import { describe, expect, it } from "vitest";
import { SEEDED_MODEL_IDS } from "../support/seeded-models";
import { toUsageView } from "@/lib/usage-view";
import { member, usageSnapshot } from "../support/usage-snapshot";

const USD = 1_000_000;
const MONEY = /\$\s?\d/;

function leaks(value: unknown): string[] {
  const json = JSON.stringify(value);
  return [
    ...(MONEY.test(json) ? ["dollar amount"] : []),
    ...(/micros/i.test(json) ? ["micro-dollar field"] : []),
    ...SEEDED_MODEL_IDS.filter((id) => json.includes(id)),
  ];
}

describe("toUsageView: what reaches the browser", () => {
  const snapshot = usageSnapshot({ creditMicros: 25 * USD, members: [member("u1", { ai: { usedMicros: 9_500_000, allocationMicros: 10 * USD, blocked: 0 } })] });

  it("gives plain users and managers percentages only: no dollars but the plan's list price, no micros, no model names", () => {
    for (const role of ["user", "manager"] as const) {
      const { plan, ...view } = toUsageView(snapshot, { userId: "u1", role });
      expect(view.showDollars).toBe(false);
      expect(view.ai.dollars).toBeNull();
      expect(plan.price).toEqual({ amount: "$49.00", per: "/month" });
      expect(leaks({ ...plan, price: null })).toEqual([]);
      expect(leaks(view)).toEqual([]);
      expect(view.ai.bar?.label).toBe("70%");
      expect(view.ai.credits?.label).toBe("25% of a monthly pool");
    }
  });

  it("gives admins and super admins dollars alongside the percentages", () => {
    for (const role of ["admin", "super_admin"] as const) {
      const view = toUsageView(snapshot, { userId: "u1", role });
      expect(view.ai.dollars).toMatchObject({ used: "$70.00", limit: "$100.00", credits: "$25.00" });
      expect(view.ai.dollars?.byFeature.agent).toBe("$21.00");
      expect(view.plan.price).toEqual({ amount: "$49.00", per: "/month" });
    }
  });

  it("gives everyone dollars in an org with the preview flag", () => {
    const view = toUsageView(usageSnapshot({ previewFlag: true }), { userId: "u1", role: "user" });
    expect(view.ai.dollars?.used).toBe("$70.00");
  });

  it("shows generic tier labels and each category's share of the spend", () => {
    const view = toUsageView(snapshot, { userId: "u1", role: "user" });
    expect(view.ai.features.map((f) => [f.label, f.tier, f.shareLabel])).toEqual([
      ["Email", "Standard", "25%"],
      ["Chips", "Light", "10%"],
      ["Summary", "Fast", "15%"],
      ["Agent", "Advanced Reasoning", "30%"],
      ["Coaching", "Standard", "8%"],
      ["Chat", "Fast", "12%"],
    ]);
    expect(view.ai.resetsOn).toBe("Dec 15");
  });

  it("words the paused banner for admins and for others", () => {
    expect(toUsageView(usageSnapshot({ aiPaused: true }), { userId: "u1", role: "admin" }).ai.paused).toEqual({ viewerIsAdmin: true });
    expect(toUsageView(usageSnapshot({ aiPaused: true }), { userId: "u1", role: "user" }).ai.paused).toEqual({ viewerIsAdmin: false });
    expect(toUsageView(usageSnapshot(), { userId: "u1", role: "admin" }).ai.paused).toBeNull();
  });
});

describe("toUsageView: plan card", () => {
  const view = (plan: "free" | "pro" | "business" | "ultra", role: "user" | "manager" | "admin", status = "active") =>
    toUsageView(usageSnapshot({ plan, status }), { userId: "u1", role }).plan;

  it("routes Upgrade by plan and Manage Plan by role", () => {
    expect(view("free", "admin").upgradeHref).toBe("/signup/plan");
    expect(view("pro", "admin").upgradeHref).toBe("/settings/billing");
    expect(view("ultra", "admin").upgradeHref).toBeNull();
    expect(view("business", "admin", "unpaid").upgradeHref).toBeNull();
    expect(view("pro", "user").manageHref).toBeNull();
    expect(view("pro", "manager").manageHref).toBe("/admin/billing");
  });

  it("offers those who cannot change the plan a way to ask an admin, where Upgrade applies", () => {
    for (const role of ["user", "manager"] as const) {
      expect(view("pro", role).upgradeHref).toBeNull();
      expect(view("pro", role).askToUpgrade).toEqual({ orgId: expect.any(String) });
      expect(view("free", role).askToUpgrade).not.toBeNull();
      expect(view("ultra", role).askToUpgrade).toBeNull();
      expect(view("business", role, "unpaid").askToUpgrade).toBeNull();
    }
    expect(view("pro", "admin").askToUpgrade).toBeNull();
  });
});

describe("toUsageView: meters", () => {
  const snapshot = usageSnapshot({
    used: { contacts: 26_500, companies: 4_200, storage_bytes: 21.3e9, emails_sent: 9_200, enrichments: 1_000, ai_tokens: 14e6 },
    members: [member("a", { seatType: "power" }), member("b"), member("c")],
  });
  const view = toUsageView(snapshot, { userId: "a", role: "user" });
  const meter = (id: string) => view.meterGroups.flatMap((g) => g.meters).find((m) => m.metric === id)!;

  it("groups meters as the help page lists them", () => {
    expect(view.meterGroups.map((g) => [g.title, g.meters.map((m) => m.label)])).toEqual([
      ["Core Limits", ["Contacts", "Companies", "Storage"]],
      ["Monthly Activity", ["Emails Sent", "AI Tokens", "Enrichments", "Workflow Executions"]],
      ["Data Operations", ["Import Rows", "Export Rows", "Lead Captures", "API Calls"]],
    ]);
    expect(view.meterGroups[0].resetsOn).toBeNull();
    expect(view.meterGroups[1].resetsOn).toBe("Dec 15");
  });

  it("formats used / limit and colours by threshold", () => {
    expect([meter("contacts").used, meter("contacts").limit, meter("contacts").bar?.tone]).toEqual(["26.5K", "25K", "full"]);
    expect([meter("storage_bytes").used, meter("storage_bytes").limit, meter("storage_bytes").bar?.tone]).toEqual(["21.3 GB", "25 GB", "warning"]);
    expect(meter("emails_sent").bar?.tone).toBe("high");
    expect(meter("companies").bar?.tone).toBe("normal");
  });

  it("notes soft caps, observed metrics and reached hard caps", () => {
    expect(meter("contacts").notes).toContain("Soft cap: may run to 110% (27.5K) before it is enforced.");
    expect(meter("ai_tokens").bar).toBeNull();
    expect(meter("ai_tokens").limit).toBe("Not capped");
    expect(meter("ai_tokens").notes[0]).toMatch(/^Observability only/);
    expect(meter("enrichments").notes).toContain("Limit reached until it resets Dec 15.");
    expect(meter("emails_sent").notes).toContain("Counts every recipient of each email.");
  });

  it("reads Unlimited where the plan has no cap", () => {
    const ultra = toUsageView(usageSnapshot({ plan: "ultra", used: { contacts: 640_000 } }), { userId: "a", role: "user" });
    const contacts = ultra.meterGroups[0].meters[0];
    expect([contacts.used, contacts.limit, contacts.bar]).toEqual(["640K", "Unlimited", null]);
  });

  it("counts seats per type against the plan", () => {
    expect(view.seats).toEqual({ power: { used: 1, limit: "5" }, collaborator: { used: 2, limit: "10" } });
  });
});

describe("toUsageView: my usage", () => {
  const mine = (ai: { usedMicros: number; allocationMicros: number | null }, enrichments = { used: 0, allocation: null as number | null }, used = {}) =>
    toUsageView(usageSnapshot({ used, members: [member("me", { ai: { ...ai, blocked: 0 }, enrichments: { ...enrichments, blocked: 0 } })] }), { userId: "me", role: "user" }).myUsage!;

  it("measures against a personal allocation, in percent for money", () => {
    const [ai, enrichments] = mine({ usedMicros: 9_500_000, allocationMicros: 10 * USD }, { used: 96, allocation: 100 });
    expect(ai).toMatchObject({ label: "AI budget", basis: "allocation", detail: "95% of your allocation", status: "nearly" });
    expect(enrichments).toMatchObject({ basis: "allocation", detail: "96 of 100 enrichments", status: "nearly" });
  });

  it("says when the allocation is used up", () => {
    const [ai] = mine({ usedMicros: 10 * USD, allocationMicros: 10 * USD });
    expect(ai.status).toBe("exhausted");
    expect(ai.bar.tone).toBe("full");
  });

  it("measures against the org pool when there is no allocation", () => {
    const [ai, enrichments] = mine({ usedMicros: 25 * USD, allocationMicros: null }, { used: 300, allocation: null }, { enrichments: 1_000 });
    expect(ai).toMatchObject({ basis: "pool", poolPercent: 70, detail: "You 25% · whole organization 70%", status: "ok" });
    expect(enrichments).toMatchObject({ basis: "pool", poolPercent: 100, status: "pool_exhausted" });
  });

  it("says the org pool blocks a member whose own allocation has room", () => {
    const [, enrichments] = mine({ usedMicros: 0, allocationMicros: null }, { used: 96, allocation: 100 }, { enrichments: 1_000 });
    expect(enrichments).toMatchObject({ basis: "allocation", detail: "96 of 100 enrichments", status: "pool_exhausted" });
    const [, roomy] = mine({ usedMicros: 0, allocationMicros: null }, { used: 96, allocation: 100 }, { enrichments: 999 });
    expect(roomy.status).toBe("nearly");
  });

  it("is absent for someone outside the snapshot's members", () => {
    expect(toUsageView(usageSnapshot(), { userId: "stranger", role: "user" }).myUsage).toBeNull();
  });
});

describe("toUsageView: history", () => {
  it("charts emails, AI tokens, contacts and storage over six months", () => {
    const view = toUsageView(usageSnapshot({ used: { emails_sent: 9_200, contacts: 26_500 } }), { userId: "u", role: "user" });
    expect(view.history.enough).toBe(true);
    expect(view.history.charts.map((c) => c.label)).toEqual(["Emails Sent", "AI Tokens", "Contacts", "Storage"]);
    expect(view.history.charts[0].points.map((p) => p.month)).toEqual(["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]);
  });

  it("waits for three cycles with data", () => {
    const young = usageSnapshot({ history: { emails_sent: [0, 0, 0, 0, 120, 300], contacts: [0, 0, 0, 0, 40, 80] } });
    expect(toUsageView(young, { userId: "u", role: "user" }).history.enough).toBe(false);
  });
});
