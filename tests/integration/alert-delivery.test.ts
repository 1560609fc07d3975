import { afterEach, describe, expect, it } from "vitest";
import { dispatchAlerts } from "@/lib/alerts/dispatch";
import { FIRST_RETRY_MS, MAX_ATTEMPTS, retryDelayMs } from "@/lib/alerts/retry-schedule";
import { saveWebhookEndpoint } from "@/lib/alerts/webhook-endpoint";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/alerts/webhook-signature";
import { storeLocation } from "@/lib/db/connection";
import { openStore } from "@/lib/db/open";
import { outboxMailer } from "@/lib/mail/outbox-mailer";
import { consumeUsage } from "@/lib/metering/consume";
import { listNotifications } from "@/lib/notifications/notification-list";
import { createOrg, onServer, testStore } from "../support/store";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

const NOW = new Date("2026-03-20T12:00:00Z");
const at = (ms: number) => new Date(NOW.getTime() + ms);
let n = 0;
const key = () => `delivery-${n++}`;

const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(answer?: (n: number) => number) {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

/** A Free org (500 emails) with one person in each role, the user holding a 10-enrichment allocation. */
async function org(webhookUrl?: string) {
  const made = await createOrg({
    plan: "free",
    members: [{ role: "super_admin" }, { role: "admin" }, { role: "manager" }, { role: "user", enrichmentAllocation: 10 }],
  });
  const [superAdmin, admin, manager, user] = made.members;
  if (webhookUrl) await saveWebhookEndpoint(made.db, { userId: admin, orgId: made.orgId, role: "admin" }, { url: webhookUrl });
  return { ...made, superAdmin, admin, manager, user };
}

async function dispatch(now: Date) {
  const { prisma } = await testStore();
  return dispatchAlerts({ db: prisma, mailer: outboxMailer(prisma) }, now);
}

async function deliveries(orgId: string, channel = "webhook") {
  const { prisma } = await testStore();
  return prisma.alertDelivery.findMany({ where: { orgId, channel }, orderBy: { id: "asc" } });
}

describe("alert delivery", () => {
  it("gives each alert one delivery set: notifications, email to admins in the outbox, a signed webhook", async () => {
    const hook = await receiver();
    const o = await org(hook.url);
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: key() }, { now: NOW }); // org meter 80%
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "enrichments", quantity: 9, userId: o.user, idempotencyKey: key() }, { now: NOW }); // allocation 80%, 90%
    await dispatch(NOW);

    const alerts = await o.db.usageAlert.findMany({ where: { orgId: o.orgId }, orderBy: { id: "asc" }, include: { notifications: true } });
    expect(alerts.map((a) => [a.userId ? "member" : "org", a.threshold, a.dispatchedAt?.getTime()])).toEqual([
      ["org", 80, NOW.getTime()],
      ["member", 80, NOW.getTime()],
      ["member", 90, NOW.getTime()],
    ]);
    const readers = (i: number) => alerts[i].notifications.map((x) => x.userId).sort();
    expect(readers(0)).toEqual([o.superAdmin, o.admin, o.manager].sort()); // managers see the org's meters
    expect(readers(1)).toEqual([o.superAdmin, o.admin, o.user].sort()); // the member sees their own allocation

    const mail = await o.db.mailOutboxMessage.findMany({ where: { orgId: o.orgId }, orderBy: { id: "asc" } });
    expect(mail).toHaveLength(6);
    expect(new Set(mail.map((m) => m.toEmail))).toEqual(new Set([`${o.superAdmin}@example.test`, `${o.admin}@example.test`]));
    expect(mail.map((m) => m.subject)).toContain(`[Test org] ${o.user}'s Enrichments allocation reached 90%`);
    expect(mail.find((m) => m.subject.includes("Emails Sent"))?.textBody).toContain("400 of 500.");

    const { secret } = await o.db.webhookEndpoint.findUniqueOrThrow({ where: { orgId: o.orgId } });
    expect(hook.posts).toHaveLength(3);
    for (const post of hook.posts) {
      expect(verifySignature(String(post.headers[SIGNATURE_HEADER.toLowerCase()]), post.body, secret, { now: NOW })).toBe(true);
      expect(verifySignature(String(post.headers[SIGNATURE_HEADER.toLowerCase()]), post.body, "llsig_wrong", { now: NOW })).toBe(false);
    }
    const events = hook.posts.map((p) => JSON.parse(p.body));
    expect(events.map((e) => e.id).sort()).toEqual(alerts.map((a) => `alert_${a.id}`).sort());
    expect(events.find((e) => e.data.scope === "org")).toMatchObject({
      type: "usage_alert.raised",
      data: { orgId: o.orgId, metric: "emails_sent", threshold: 80, used: 400, limit: 500, unit: "count", cause: "usage", resetsAt: "2026-04-15T00:00:00.000Z" },
    });

    // Once only: a second pass finds nothing new.
    expect(await dispatch(NOW)).toMatchObject({ fannedOut: 0 });
    expect(hook.posts).toHaveLength(3);
    expect(await o.db.mailOutboxMessage.count({ where: { orgId: o.orgId } })).toBe(6);
  });

  it("retries a failing webhook with exponential backoff and logs every attempt", async () => {
    const hook = await receiver((i) => [500, 503, 200][i] ?? 200);
    const o = await org(hook.url);
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: key() }, { now: NOW });

    await dispatch(NOW);
    await dispatch(at(FIRST_RETRY_MS - 1_000)); // not due yet
    expect(hook.posts).toHaveLength(1);
    await dispatch(at(30_000));
    await dispatch(at(30_000 + 60_000));

    const log = await deliveries(o.orgId);
    expect(log.map((d) => [d.attempt, d.state, d.responseStatus, d.scheduledAt.getTime() - NOW.getTime()])).toEqual([
      [1, "failed", 500, 0],
      [2, "failed", 503, 30_000],
      [3, "succeeded", 200, 90_000],
    ]);
    expect(new Set(hook.posts.map((p) => JSON.parse(p.body).id)).size).toBe(1); // the same event, for receivers to drop repeats
  });

  it("gives up after the last attempt of the schedule", async () => {
    const hook = await receiver(() => 500);
    const o = await org(hook.url);
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: key() }, { now: NOW });
    let elapsed = 0;
    await dispatch(NOW);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      elapsed += retryDelayMs(attempt)!;
      await dispatch(at(elapsed));
    }
    await dispatch(at(elapsed + 24 * 3_600_000));
    const log = await deliveries(o.orgId);
    expect(log.map((d) => d.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log.every((d) => d.state === "failed")).toBe(true);
    expect(hook.posts).toHaveLength(MAX_ATTEMPTS);
    expect(elapsed).toBe(63.5 * 60_000); // 30 s + 1 + 2 + 4 + 8 + 16 + 32 min
  });

  it("stops retrying once the webhook URL is changed or removed", async () => {
    const hook = await receiver(() => 500);
    const o = await org(hook.url);
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: key() }, { now: NOW });
    await dispatch(NOW);
    await saveWebhookEndpoint(o.db, { userId: o.admin, orgId: o.orgId, role: "admin" }, { url: "https://hooks.example.test/elsewhere" });
    await dispatch(at(FIRST_RETRY_MS));
    await dispatch(at(10 * FIRST_RETRY_MS));
    const log = await deliveries(o.orgId);
    expect(log.map((d) => [d.attempt, d.state, d.error])).toEqual([
      [1, "failed", null],
      [2, "failed", "The webhook URL was changed or removed, so this delivery stops here."],
    ]);
    expect(hook.posts).toHaveLength(1);
  });

  it("counts an attempt whose dispatcher stopped mid-way as failed, and retries it", async () => {
    const hook = await receiver();
    const o = await org(hook.url);
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: key() }, { now: NOW });
    await dispatch(new Date(0)); // fans out with nothing due yet
    await o.db.alertDelivery.updateMany({ where: { orgId: o.orgId, channel: "webhook" }, data: { state: "sending", startedAt: NOW, leaseUntil: at(60_000) } });
    await dispatch(at(61_000));
    await dispatch(at(61_000 + FIRST_RETRY_MS));
    const log = await deliveries(o.orgId);
    expect(log.map((d) => [d.attempt, d.state])).toEqual([
      [1, "failed"],
      [2, "succeeded"],
    ]);
    expect(log[0].error).toBe("No outcome recorded: the dispatcher stopped during this attempt.");
  });

  it("resolves alerts at reset: once per raised threshold when the billing period ends, never for cumulative metrics", async () => {
    const o = await org();
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 460, idempotencyKey: key() }, { now: NOW }); // 80, 90
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "contacts", quantity: 850, idempotencyKey: key() }, { now: NOW }); // cumulative 80
    await dispatch(NOW);
    await dispatch(new Date("2026-04-14T23:59:59Z")); // the period has not ended
    expect(await o.db.usageAlert.count({ where: { orgId: o.orgId, state: "resolved" } })).toBe(0);

    const nextCycle = new Date("2026-04-15T00:00:01Z");
    await Promise.all([dispatch(nextCycle), dispatch(nextCycle)]);
    await dispatch(new Date("2026-05-20T00:00:00Z"));
    const resolved = await o.db.usageAlert.findMany({ where: { orgId: o.orgId, state: "resolved" }, orderBy: { threshold: "asc" } });
    expect(resolved.map((a) => [a.metric, a.threshold, a.cause, Number(a.used), Number(a.limitValue), a.periodStart.toISOString()])).toEqual([
      ["emails_sent", 80, "period_reset", 460, 500, "2026-03-15T00:00:00.000Z"],
      ["emails_sent", 90, "period_reset", 460, 500, "2026-03-15T00:00:00.000Z"],
    ]);
    const [latest] = await listNotifications(o.db, { userId: o.admin, orgId: o.orgId, role: "admin" });
    expect(latest).toMatchObject({ title: "Emails Sent: new billing cycle", tone: "resolved", unread: true });
  });

  it("decides what is still raised by time, not by id (ids from several Citus nodes do not sort in write order)", async () => {
    const o = await org();
    const periodStart = new Date("2026-03-15T00:00:00Z");
    const alert = (id: bigint, state: string, createdAt: Date) => ({
      orgId: o.orgId, id, metric: "emails_sent", periodStart, threshold: 80, state, used: 400n, limitValue: 500n, createdAt, dispatchedAt: createdAt,
    });
    // Raised, then resolved at reset by an earlier sweep; the resolved row got the smaller id.
    await o.db.usageAlert.createMany({ data: [alert(9_000_000_000_002n, "raised", NOW), alert(9_000_000_000_001n, "resolved", at(86_400_000 * 30))] });
    await dispatch(new Date("2026-04-20T00:00:00Z"));
    expect(await o.db.usageAlert.count({ where: { orgId: o.orgId, state: "resolved" } })).toBe(1);
  });
});

describe("notifications", () => {
  it("word AI alerts in dollars for admins and in percent for the member", async () => {
    const { orgId, db, members } = await createOrg({ plan: "free", members: [{ role: "admin" }, { role: "user", aiAllocationMicros: 1_000_000 }] });
    const [admin, user] = members;
    await db.usageAlert.create({ data: { orgId, userId: user, metric: "ai_budget", periodStart: new Date("2026-03-15T00:00:00Z"), threshold: 90, state: "raised", used: 900_000n, limitValue: 1_000_000n } });
    await dispatch(NOW);
    const [forAdmin] = await listNotifications(db, { userId: admin, orgId, role: "admin" });
    const [forUser] = await listNotifications(db, { userId: user, orgId, role: "user" });
    expect(forAdmin).toMatchObject({ title: `${user}'s AI budget allocation reached 90%`, detail: "$0.90 of $1.00." });
    expect(forUser).toMatchObject({ title: "Your AI budget allocation reached 90%", detail: "90% used." });
    expect(JSON.stringify(forUser)).not.toMatch(/\$/);
  });
});

describe.skipIf(!onServer)("alert delivery under concurrency (real Postgres)", () => {
  it("two dispatchers at once give each alert exactly one delivery set", async () => {
    const hook = await receiver();
    const orgs = await Promise.all(Array.from({ length: 10 }, () => org(hook.url)));
    await Promise.all(orgs.map((o) => consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 500, idempotencyKey: key() }, { now: NOW }))); // 80, 90, 100 each
    const second = openStore(storeLocation(), { poolSize: 10 });
    try {
      const { prisma } = await testStore();
      await Promise.all([
        dispatchAlerts({ db: prisma, mailer: outboxMailer(prisma) }, NOW),
        dispatchAlerts({ db: second.prisma, mailer: outboxMailer(second.prisma) }, NOW),
        dispatchAlerts({ db: second.prisma, mailer: outboxMailer(second.prisma) }, NOW),
      ]);
    } finally {
      await second.close();
    }
    const orgIds = orgs.map((o) => o.orgId);
    const { prisma } = await testStore();
    const alerts = await prisma.usageAlert.findMany({ where: { orgId: { in: orgIds } } });
    expect(alerts).toHaveLength(30);
    expect(await prisma.notification.count({ where: { orgId: { in: orgIds } } })).toBe(30 * 3); // super admin, admin, manager
    expect(await prisma.alertDelivery.count({ where: { orgId: { in: orgIds }, channel: "email" } })).toBe(30 * 2);
    expect(await prisma.alertDelivery.count({ where: { orgId: { in: orgIds }, channel: "webhook" } })).toBe(30);
    expect(await prisma.mailOutboxMessage.count({ where: { orgId: { in: orgIds } } })).toBe(30 * 2);
    const posted = hook.posts.map((p) => JSON.parse(p.body).id).sort();
    expect(posted).toEqual(alerts.map((a) => `alert_${a.id}`).sort());
  });
});
