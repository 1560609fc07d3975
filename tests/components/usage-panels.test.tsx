import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AiUsagePanel } from "@/components/usage/ai-usage-panel";
import { BlockedRequests } from "@/components/usage/blocked-requests";
import { MyUsage } from "@/components/usage/my-usage";
import { OrgMeters } from "@/components/usage/org-meters";
import { PlanCard } from "@/components/usage/plan-card";
import { UsageHistory } from "@/components/usage/usage-history";
import { toUsageView, type Viewer } from "@/lib/usage-view";
import { member, usageSnapshot, type SnapshotOptions } from "../support/usage-snapshot";

const USD = 1_000_000;
const view = (options: SnapshotOptions, viewer: Viewer = { userId: "me", role: "user" }) =>
  toUsageView(usageSnapshot({ members: [member("me")], ...options }), viewer);

describe("AI usage panel", () => {
  it("renders percentages and no switch for a plain user", () => {
    const html = renderToString(<AiUsagePanel ai={view({ creditMicros: 25 * USD }).ai} personId="me" initiallyDollars={false} />);
    expect(html).toContain("70% of monthly AI pool");
    expect(html).toContain("Advanced Reasoning");
    expect(html).not.toContain('role="switch"');
    expect(html).not.toMatch(/\$\d/);
  });

  it("renders the Show $ switch, off, for an admin", () => {
    const html = renderToString(<AiUsagePanel ai={view({}, { userId: "me", role: "admin" }).ai} personId="me" initiallyDollars={false} />);
    expect(html).toMatch(/role="switch"[^>]*aria-checked="false"/);
    expect(html).toContain("Show $");
    expect(html).toContain("70% of monthly AI pool");
  });

  it("opens on dollars for an admin who left it there, and never offers them to a plain user", () => {
    const admin = renderToString(<AiUsagePanel ai={view({}, { userId: "me", role: "admin" }).ai} personId="me" initiallyDollars />);
    expect(admin).toMatch(/role="switch"[^>]*aria-checked="true"/);
    expect(admin).toContain("$70.00 of $100.00");
    const user = renderToString(<AiUsagePanel ai={view({}, { userId: "me", role: "user" }).ai} personId="me" initiallyDollars />);
    expect(user).not.toMatch(/\$\d/);
  });

  it("puts the red paused banner at the top with a link to Settings > Billing", () => {
    const html = renderToString(<AiUsagePanel ai={view({ aiPaused: true }, { userId: "me", role: "admin" }).ai} personId="me" initiallyDollars={false} />);
    expect(html.indexOf("paused-banner")).toBeLessThan(html.indexOf("AI usage this cycle"));
    expect(html).toContain('href="/settings/billing"');
    expect(html).toContain("Update the payment method in");
  });
});

describe("plan card", () => {
  it("shows Upgrade and Manage Plan by plan and role", () => {
    const free = renderToString(<PlanCard plan={view({ plan: "free" }, { userId: "me", role: "admin" }).plan} />);
    expect(free).toContain('href="/signup/plan"');
    expect(free).toContain('href="/admin/billing"');
    const ultra = renderToString(<PlanCard plan={view({ plan: "ultra" }).plan} />);
    expect(ultra).not.toContain("Upgrade");
    expect(ultra).not.toContain("Manage Plan");
  });
});

describe("organization meters", () => {
  it("renders accessible bars with their tone, and the seats line", () => {
    const { meterGroups, seats } = view({ used: { contacts: 26_500, storage_bytes: 21.3e9 } });
    const html = renderToString(<OrgMeters groups={meterGroups} seats={seats} />);
    expect(html).toMatch(/role="progressbar" aria-label="Contacts used"[^>]*aria-valuenow="100" aria-valuetext="106% used" data-tone="full"/);
    expect(html).toMatch(/aria-label="Storage used"[^>]*aria-valuenow="85"[^>]*data-tone="warning"/);
    expect(html).toContain("Settings &gt; Billing");
    expect(html).toContain("gate new invitations only");
  });
});

describe("my usage", () => {
  it("captions a member who shares the pool", () => {
    const html = renderToString(<MyUsage meters={view({}).myUsage} allocationsHref={null} />);
    expect(html.match(/You share the organization pool/g)).toHaveLength(2);
  });

  it("explains the 429 when the allocation is used up", () => {
    const snapshot = usageSnapshot({ members: [member("me", { ai: { usedMicros: 10 * USD, allocationMicros: 10 * USD, blocked: 0 } })] });
    const user = toUsageView(snapshot, { userId: "me", role: "user" });
    const html = renderToString(<MyUsage meters={user.myUsage} allocationsHref={user.allocationsHref} />);
    expect(html).toContain("AI features return a 429 error until an admin raises it at");
    expect(html).toContain("Admin &gt; Usage &amp; Limits &gt; Per-user allocations");
    expect(html).not.toContain("/admin/usage-limits");

    const admin = toUsageView(snapshot, { userId: "me", role: "admin" });
    const linked = renderToString(<MyUsage meters={admin.myUsage} allocationsHref={admin.allocationsHref} />);
    expect(linked).toMatch(/<a [^>]*href="\/admin\/usage-limits"[^>]*>Admin &gt; Usage &amp; Limits &gt; Per-user allocations<\/a>/);
  });

  it("keeps AI in capitals in the nearly-used-up note, and lowers an ordinary word", () => {
    const snapshot = usageSnapshot({
      members: [member("me", { ai: { usedMicros: 9 * USD, allocationMicros: 10 * USD, blocked: 0 }, enrichments: { used: 95, allocation: 100, blocked: 0 } })],
    });
    const user = toUsageView(snapshot, { userId: "me", role: "user" });
    const html = renderToString(<MyUsage meters={user.myUsage} allocationsHref={user.allocationsHref} />);
    expect(html).toContain("Nearly used up. At 100%, AI features return a 429 error");
    expect(html).toContain("Nearly used up. At 100%, enrichments return a 429 error");
  });
});

describe("blocked requests", () => {
  it("counts 429s on the meters for everyone and lists who hit walls for admins only", () => {
    const snapshot = usageSnapshot({
      blocked: { emails_sent: 12, ai_budget: 1 },
      members: [member("me", { name: "Linus", ai: { usedMicros: 10 * USD, allocationMicros: 10 * USD, blocked: 3 } })],
    });
    const user = toUsageView(snapshot, { userId: "me", role: "user" });
    expect(user.blocked).toBeNull();
    const meters = renderToString(<OrgMeters groups={user.meterGroups} seats={user.seats} />);
    expect(meters).toMatch(/data-testid="blocked-emails_sent"[^>]*>12 requests blocked this cycle/);
    expect(renderToString(<AiUsagePanel ai={user.ai} personId="me" initiallyDollars={false} />)).toContain("1 request blocked this cycle");

    const admin = toUsageView(snapshot, { userId: "me", role: "admin" });
    expect(admin.blocked?.map((row) => [row.who, row.what, row.count])).toEqual([
      ["Whole organization", "Emails Sent", 12],
      ["Linus", "AI allocation", 3],
      ["Whole organization", "AI budget", 1],
    ]);
    const html = renderToString(<BlockedRequests rows={admin.blocked!} />);
    expect(html).toContain("Per-user allocations");
    expect(html).toContain("Linus");
  });
});

describe("usage history", () => {
  it("says so when there is not enough history", () => {
    const young = view({ history: { emails_sent: [0, 0, 0, 0, 0, 10] } }).history;
    expect(renderToString(<UsageHistory history={young} />)).toContain("Not enough history yet");
  });

  it("lists the four charts when there is", () => {
    const html = renderToString(<UsageHistory history={view({ used: { emails_sent: 9_200 } }).history} />);
    for (const label of ["Emails Sent", "AI Tokens", "Contacts", "Storage"]) expect(html).toContain(label);
  });
});
