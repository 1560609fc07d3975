import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { emailProvider, emailSignInEnabled, signInAdapter } from "@/lib/auth/email-sign-in";
import { startSmtpReceiver, type SmtpReceiver } from "../support/smtp-receiver";
import { createOrg, testStore } from "../support/store";

// The pieces Auth.js's emailed-link sign-in runs on: the provider's mail, over a real SMTP server on
// loopback, and the store of links. The whole flow in a browser is e2e/email-sign-in.spec.ts.
const receivers: SmtpReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function adapter() {
  const { prisma } = await testStore();
  return signInAdapter(() => prisma);
}

type SendRequest = (params: { identifier: string; url: string }) => Promise<void>;

describe("sign-in by emailed link", () => {
  it("is on when SMTP_URL is set, unless AUTH_EMAIL_SIGN_IN=false", () => {
    expect(emailSignInEnabled({})).toBe(false);
    expect(emailSignInEnabled({ SMTP_URL: "smtp://127.0.0.1:2525" })).toBe(true);
    expect(emailSignInEnabled({ SMTP_URL: "smtp://127.0.0.1:2525", AUTH_EMAIL_SIGN_IN: "false" })).toBe(false);
  });

  it("mails the link to the address, and at most five links in 15 minutes to one address", async () => {
    const receiver = await startSmtpReceiver();
    receivers.push(receiver);
    const provider = emailProvider({ SMTP_URL: receiver.url, MAIL_FROM: "Ledgerline <no-reply@ledgerline.example.com>" });
    const send = (provider.options as unknown as { sendVerificationRequest: SendRequest }).sendVerificationRequest;
    const address = `someone-${randomUUID().slice(0, 8)}@example.test`;
    const link = "https://ledgerline.example.com/api/auth/callback/nodemailer?token=abc&email=x";
    await send({ identifier: address, url: link });
    expect(receiver.recipients).toEqual([[address]]);
    expect(receiver.messages[0].subject).toBe("Your Ledgerline sign-in link");
    expect(receiver.messages[0].text).toContain(`Sign in to Ledgerline: ${link}`);

    for (let i = 0; i < 4; i++) await send({ identifier: address.toUpperCase(), url: link });
    await expect(send({ identifier: address, url: link })).rejects.toThrow(/Too many sign-in links/);
    expect(receiver.messages).toHaveLength(5);
  });

  it("keeps links until used, and lets one link sign in once, even used twice at once", async () => {
    const store = await adapter();
    const identifier = `link-${randomUUID().slice(0, 8)}@example.test`;
    const token = randomUUID();
    await store.createVerificationToken!({ identifier, token, expires: new Date(Date.now() + 60_000) });
    const uses = await Promise.all([store.useVerificationToken!({ identifier, token }), store.useVerificationToken!({ identifier, token })]);
    expect(uses.filter(Boolean)).toHaveLength(1);
    expect(uses.find(Boolean)).toMatchObject({ identifier, token });
    expect(await store.useVerificationToken!({ identifier, token })).toBeNull();
    expect(await store.useVerificationToken!({ identifier: "other@example.test", token })).toBeNull();
  });

  it("knows people by email and makes no user at sign-in (an invitee's is made when they accept)", async () => {
    const store = await adapter();
    const { members } = await createOrg({ members: [{}] });
    const member = await store.getUserByEmail!(`${members[0]}@EXAMPLE.test`);
    expect(member).toMatchObject({ id: members[0], email: `${members[0]}@example.test` });
    const invitee = `invitee-${randomUUID().slice(0, 8)}@example.test`;
    expect(await store.getUserByEmail!(invitee)).toBeNull();
    expect(await store.createUser!({ id: "x", email: invitee, emailVerified: new Date() })).toMatchObject({ id: invitee, email: invitee });
    const { prisma } = await testStore();
    expect(await prisma.user.count({ where: { email: invitee } })).toBe(0);
  });
});
