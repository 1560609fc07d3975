import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { authorizeAi } from "@/lib/metering/ai-holds";
import { consumeUsage } from "@/lib/metering/consume";
import { getUsageSnapshot } from "@/lib/metering/snapshot";
import { seedDemo } from "@/lib/demo/seed";
import { call } from "../support/api";
import { GET as usage } from "@/app/api/v1/usage/route";
import { demoApiKeys } from "@/lib/demo/seed";
import { ledgerMismatches, testStore } from "../support/store";

const NOW = new Date("2026-11-26T12:00:00Z");

describe("demo data", () => {
  it("seeds the orgs the README promises, with counters equal to the ledger", async () => {
    const store = await testStore();
    await seedDemo(store.sql, NOW);
    const db = store.prisma;
    const sql = store.sql;
    const acme = await getUsageSnapshot(db, "org_acme", NOW);
    expect(acme.org).toMatchObject({ name: "Acme", plan: "pro" });
    expect(acme.period).toEqual({ start: "2026-10-31T00:00:00.000Z", end: "2026-11-30T00:00:00.000Z" });
    const percent = Object.fromEntries(acme.meters.map((m) => [m.metric, m.percent]));
    expect(percent.storage_bytes).toBeGreaterThanOrEqual(80);
    expect(percent.storage_bytes).toBeLessThan(90);
    expect(percent.emails_sent).toBeGreaterThanOrEqual(90);
    expect(percent.emails_sent).toBeLessThan(100);
    expect(percent.enrichments).toBe(100);
    expect(percent.contacts).toBeGreaterThan(100);
    expect(percent.contacts).toBeLessThanOrEqual(110);
    expect(acme.ai.percent).toBe(70);
    expect(acme.ai.creditBalanceMicros).toBe(25_000_000);
    expect(acme.ai.byFeature.every((f) => f.spentMicros > 0 && f.tier)).toBe(true);
    expect(new Set(acme.members.map((m) => m.role))).toEqual(new Set(["super_admin", "admin", "manager", "user"]));
    const linus = acme.members.find((m) => m.userId === "user_linus")!;
    expect(linus.ai.usedMicros / linus.ai.allocationMicros!).toBeGreaterThan(0.9);
    expect(acme.members.find((m) => m.userId === "user_margaret")!.ai.allocationMicros).toBeNull();
    expect(acme.meters.find((m) => m.metric === "emails_sent")!.history.filter((n) => n > 0)).toHaveLength(6);
    for (const org of ["org_acme", "org_northwind", "org_freebie", "org_summit", "org_beta_labs"]) {
      expect(await ledgerMismatches(org)).toEqual([]);
    }

    const northwind = await getUsageSnapshot(db, "org_northwind", NOW);
    expect(northwind.org).toMatchObject({ plan: "business", aiPaused: true });
    const paused = await authorizeAi(sql, { orgId: "org_northwind", userId: "user_nina", feature: "chat", model: "gpt-4.1", inputTokens: 1, maxOutputTokens: 1 }, NOW)
      .catch((e: ApiError) => e);
    expect((paused as ApiError).status).toBe(402);
    expect((await getUsageSnapshot(db, "org_freebie", NOW)).org.plan).toBe("free");
    expect((await getUsageSnapshot(db, "org_summit", NOW)).org.plan).toBe("ultra");
    expect((await getUsageSnapshot(db, "org_beta_labs", NOW)).org.previewFlag).toBe(true);

    // The hard-capped enrichments meter at 100% denies the next one.
    const denied = await consumeUsage(sql, { orgId: "org_acme", metric: "enrichments", quantity: 1, idempotencyKey: "demo" }, { now: NOW }).catch((e: ApiError) => e);
    expect((denied as ApiError).code).toBe("limit_exceeded");
  });

  it("answers the API with the keys from .env.example", async () => {
    const keys = demoApiKeys({} as NodeJS.ProcessEnv);
    const res = await call(usage, keys.org_acme, undefined, { method: "GET" });
    expect(res.status).toBe(200);
    expect(res.json.org.name).toBe("Acme");
  });
});
