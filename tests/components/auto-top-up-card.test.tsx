import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AutoTopUpCard } from "@/components/billing/auto-top-up-card";
import type { AutoTopUpView } from "@/lib/billing-view";

const ON: AutoTopUpView = {
  enabled: true,
  rule: "When credits fall below $10.00, buy $50.00, at most $200.00 a month.",
  form: { enabled: true, threshold: "10.00", amount: "50.00", monthlyCap: "200.00" },
  recent: [{ id: "1", date: "Mar 20, 2026", status: "Refused", tone: "danger", amount: "$50.00", detail: "This month's top-ups would have passed the monthly cap." }],
};

describe("the auto top-up card", () => {
  it("gives an admin the form with the saved values, the switch and the recent top-ups", () => {
    const html = renderToString(<AutoTopUpCard orgId="org_a" autoTopUp={ON} />);
    expect(html).toContain("<form");
    expect(html).toMatch(/name="threshold"[^>]*value="10.00"|value="10.00"[^>]*name="threshold"/);
    expect(html).toMatch(/type="checkbox"[^>]*name="enabled"[^>]*checked/);
    expect(html).toContain("Save auto top-up");
    expect(html).toContain("Refused");
  });

  it("gives everyone else the setting as text and no form; amounts only to dollar viewers", () => {
    const user = renderToString(<AutoTopUpCard orgId="org_a" autoTopUp={{ enabled: true, rule: null, form: null, recent: null }} />);
    expect(user).not.toContain("<form");
    expect(user).not.toContain("<input");
    expect(user).not.toMatch(/\$\d/);
    expect(user).not.toContain("org_a");
    expect(user).toContain("Auto top-up is on. Admins set when and how much it buys.");

    const preview = renderToString(<AutoTopUpCard orgId="org_a" autoTopUp={{ ...ON, form: null }} />);
    expect(preview).not.toContain("<form");
    expect(preview).toContain("Auto top-up is on. When credits fall below $10.00, buy $50.00, at most $200.00 a month.");

    expect(renderToString(<AutoTopUpCard orgId="org_a" autoTopUp={{ enabled: false, rule: null, form: null, recent: null }} />)).toContain("Auto top-up is off.");
  });
});
