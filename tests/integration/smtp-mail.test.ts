import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inviteMember } from "@/lib/admin/invitations";
import { dispatchAlerts } from "@/lib/alerts/dispatch";
import { appMailer } from "@/lib/mail/app-mailer";
import { messageIdFor } from "@/lib/mail/smtp-mailer";
import { consumeUsage } from "@/lib/metering/consume";
import { createOrg, testStore } from "../support/store";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver";

// The app's mailer with SMTP_URL set, against a real SMTP server on loopback.
const NOW = new Date("2026-03-20T12:00:00Z");
const APP_URL = "https://ledgerline.example.com";
const receivers: SmtpReceiver[] = [];
// The links in the mails are made from APP_URL.
beforeEach(() => void vi.stubEnv("APP_URL", APP_URL));
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function smtp(refuse?: (n: number) => boolean) {
  const receiver = await startSmtpReceiver(refuse);
  receivers.push(receiver);
  return { receiver, env: { SMTP_URL: receiver.url, APP_URL, MAIL_FROM: "Ledgerline <no-reply@ledgerline.example.com>" } };
}

async function sentRow(orgId: string, idempotencyKey: string) {
  const { prisma } = await testStore();
  return prisma.mailOutboxMessage.findFirstOrThrow({ where: { orgId, idempotencyKey } });
}

describe("mail over SMTP", () => {
  it("delivers an invitation to the invitee, with the link to accept it", async () => {
    const { receiver, env } = await smtp();
    const { db, orgId, members } = await createOrg({ plan: "free", members: [{ role: "admin" }] });
    const sent = await inviteMember(db, { userId: members[0], orgId, role: "admin" }, { email: "new.person@example.test", role: "user", seatType: "collaborator" }, appMailer(db, env), NOW);
    expect(sent.emailed).toBe(true);
    expect(receiver.recipients).toEqual([["new.person@example.test"]]);
    const [mail] = receiver.messages;
    expect(mail.from?.text).toBe('"Ledgerline" <no-reply@ledgerline.example.com>');
    expect(mail.subject).toContain("invited you to Test org on Ledgerline");
    expect(mail.text).toMatch(new RegExp(`Accept the invitation: ${APP_URL}/invite/[A-Za-z0-9_-]+`));
    const row = await db.mailOutboxMessage.findFirstOrThrow({ where: { orgId } });
    expect(row.sentAt).not.toBeNull();
    expect(mail.messageId).toBe(row.messageId);
  });

  it("delivers usage alerts to the org's admins", async () => {
    const { receiver, env } = await smtp();
    const o = await createOrg({ plan: "free", members: [{ role: "super_admin" }, { role: "admin" }, { role: "user" }] });
    await consumeUsage(o.sql, { orgId: o.orgId, metric: "emails_sent", quantity: 400, idempotencyKey: "smtp-alert" }, { now: NOW });
    const { prisma } = await testStore();
    await dispatchAlerts({ db: prisma, mailer: appMailer(prisma, env) }, NOW);
    // The dispatcher serves every org in the shared test database: judge only this org's mail.
    const ours = (address: string) => o.members.some((member) => address === `${member}@example.test`);
    expect(receiver.recipients.flat().filter(ours).sort()).toEqual([`${o.members[0]}@example.test`, `${o.members[1]}@example.test`].sort());
    for (const mail of receiver.messages.filter((_, i) => receiver.recipients[i].some(ours))) {
      expect(mail.subject).toBe("[Test org] Emails Sent reached 80%");
      expect(mail.text).toContain("400 of 500.");
      expect(mail.text).toContain("/settings/usage");
    }
  });

  it("sends a message once however often its delivery is retried, and again only after a refusal", async () => {
    let refusals = 1;
    const { receiver, env } = await smtp(() => refusals-- > 0);
    const { db, orgId } = await createOrg({ plan: "free" });
    const message = { orgId, to: "someone@example.test", subject: "Once", text: "Only once.", idempotencyKey: "once:1" };
    const mailer = appMailer(db, env);

    await expect(mailer.send(message)).rejects.toThrow(/Try again later/);
    expect(receiver.messages).toHaveLength(0);
    expect((await sentRow(orgId, "once:1")).sentAt).toBeNull();

    await mailer.send(message);
    await mailer.send(message);
    await Promise.all([mailer.send(message), mailer.send(message)]);
    expect(receiver.messages).toHaveLength(1);
    expect(receiver.messages[0].messageId).toBe(messageIdFor(message, env.MAIL_FROM));
    expect(await db.mailOutboxMessage.count({ where: { orgId } })).toBe(1);
    expect((await sentRow(orgId, "once:1")).sentAt).not.toBeNull();
  });

  it("lets only one of two racing first attempts send; the other fails, to be retried", async () => {
    const { receiver, env } = await smtp();
    const { db, orgId } = await createOrg({ plan: "free" });
    const message = { orgId, to: "someone@example.test", subject: "Race", text: "Raced.", idempotencyKey: "race:1" };
    const outcomes = await Promise.allSettled([appMailer(db, env).send(message), appMailer(db, env).send(message)]);
    expect(receiver.messages).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "fulfilled").length).toBeGreaterThanOrEqual(1);
    await appMailer(db, env).send(message);
    expect(receiver.messages).toHaveLength(1);
  });
});
