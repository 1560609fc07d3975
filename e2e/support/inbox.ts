import { expect, type APIRequestContext } from "@playwright/test";

export const MAIL_SINK = `http://127.0.0.1:${process.env.E2E_MAIL_PORT ?? 3126}`;

interface Received {
  to: string[];
  subject: string;
  text: string;
}

/** The first link in the newest mail to `address` whose subject matches, waiting for it to arrive. */
export async function linkInInbox(request: APIRequestContext, address: string, subject: RegExp): Promise<string> {
  let link = "";
  await expect(async () => {
    const mail = ((await (await request.get(`${MAIL_SINK}/messages`)).json()) as Received[])
      .filter((m) => m.to.includes(address.toLowerCase()) && subject.test(m.subject))
      .at(-1);
    link = mail?.text.match(/https?:\/\/\S+/)?.[0] ?? "";
    expect(link).not.toBe("");
  }).toPass({ timeout: 15_000 });
  return link;
}
