import { randomUUID } from "node:crypto";
import Stripe from "stripe";
import { POST } from "@/app/api/webhooks/stripe/route";
import type { TestEvent } from "./stripe-objects";
import { testStore } from "./store";

/** Delivers events to the webhook route the way Stripe does, and reads back what they did. */

export interface Delivery {
  secret?: string;
  /** Seconds; defaults to now. */
  timestamp?: number;
  /** Sent instead of a computed signature header (null: no header at all). */
  header?: string | null;
  /** Sent instead of the signed body, to prove a tampered body is refused. */
  body?: string;
}

/** Posts an event to the webhook route the way Stripe does: raw JSON body, signed header. */
export async function deliver(event: TestEvent, delivery: Delivery = {}): Promise<Response> {
  await testStore();
  const payload = JSON.stringify(event);
  const header = delivery.header !== undefined
    ? delivery.header
    : Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: delivery.secret ?? process.env.STRIPE_WEBHOOK_SECRET!,
        timestamp: delivery.timestamp ?? Math.floor(Date.now() / 1000),
      });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (header !== null) headers["stripe-signature"] = header;
  return POST(new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers, body: delivery.body ?? payload }));
}

/** Gives a test org a Stripe customer (and subscription), as Checkout would have. */
export async function linkToStripe(orgId: string, link: { customer?: string; subscription?: string } = {}) {
  const store = await testStore();
  const customer = link.customer ?? `cus_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
  await store.prisma.org.update({
    where: { id: orgId },
    data: { stripeCustomerId: customer, stripeSubscriptionId: link.subscription ?? null },
  });
  return { customer, subscription: link.subscription ?? null };
}

/** The org's audit trail, oldest first. */
export async function auditTrail(orgId: string) {
  const store = await testStore();
  return store.prisma.auditEntry.findMany({ where: { orgId }, orderBy: { id: "asc" } });
}

/** Where an event was recorded: under its org, or (orgId null) among the events about no org we know. */
export async function recordedEvents(id: string): Promise<{ id: string; type: string; orgId: string | null }[]> {
  const store = await testStore();
  const matched = await store.prisma.stripeEvent.findMany({ where: { id }, select: { id: true, type: true, orgId: true } });
  const unmatched = await store.prisma.stripeUnmatchedEvent.findMany({ where: { id }, select: { id: true, type: true } });
  return [...matched, ...unmatched.map((event) => ({ ...event, orgId: null }))];
}
