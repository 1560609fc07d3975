import "server-only";
import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db";
import { PLAN_IDS, type PlanId } from "@/lib/limits/plans";
import { BILLING_INTERVALS, CREDIT_PURCHASE, stripePriceFor, type BillingInterval } from "@/lib/limits/stripe-prices";
import { stripe } from "./client";
import { stripeApiConfig } from "./config";
import { creditPurchaseMetadataFor } from "./credit-purchase";

/**
 * What the billing pages ask of Stripe, for an org whose admin the caller has
 * already checked. None of these change the org itself: Stripe is the source of
 * truth, and its webhook events apply the plan change or the credit grant once
 * it has happened (a page shows "pending" until then, it never waits for it).
 */

export type PlanChange =
  /** Send the admin to Stripe Checkout to subscribe. */
  | { kind: "checkout"; url: string }
  /** The existing subscription now has the new price; the difference is invoiced at once. */
  | { kind: "subscription_updated" }
  /** Free was chosen: the subscription ends at the end of the paid period. */
  | { kind: "cancel_scheduled" }
  | { kind: "unchanged" };

const orgId = z.string().min(1).max(200);
/** An absolute URL on the app's origin, or a path such as /admin/billing. */
const returnUrl = z.string().min(1).max(2_000).optional();

const portalInput = z.object({ orgId, returnUrl: returnUrl.unwrap() });
const planInput = z.object({ orgId, plan: z.enum(PLAN_IDS), interval: z.enum(BILLING_INTERVALS), returnUrl });
const creditInput = z.object({
  orgId,
  amountMicros: z
    .number()
    .int()
    .min(CREDIT_PURCHASE.minMicros)
    .max(CREDIT_PURCHASE.maxMicros)
    .refine((micros) => micros % CREDIT_PURCHASE.stepMicros === 0, "Credits are bought in whole cents."),
  returnUrl,
});

/** Subscription statuses after which Stripe will not bill the subscription again. */
const ENDED = new Set(["canceled", "incomplete_expired"]);

/** A Billing Portal session where the admin updates the payment method, sees invoices, or cancels. */
export async function createPortalSession(orgIdValue: string, returnUrlValue: string): Promise<{ url: string }> {
  const input = parse(portalInput, { orgId: orgIdValue, returnUrl: returnUrlValue });
  const back = appLink(input.returnUrl);
  const customer = await ensureCustomer(input.orgId);
  const session = await stripe().billingPortal.sessions.create({ customer, return_url: back.toString() });
  return { url: session.url };
}

/**
 * Moves the org to a plan: an org without a live subscription goes through
 * Checkout; one with a subscription has its price swapped (prorated and
 * invoiced now, so an upgrade is paid before it is used); Free cancels at the
 * end of the paid period.
 */
export async function createPlanCheckout(
  orgIdValue: string,
  plan: PlanId,
  interval: BillingInterval,
  returnUrlValue?: string,
): Promise<PlanChange> {
  const input = parse(planInput, { orgId: orgIdValue, plan, interval, returnUrl: returnUrlValue });
  const back = appLink(input.returnUrl);
  const customer = await ensureCustomer(input.orgId);
  const org = await db().org.findUniqueOrThrow({ where: { id: input.orgId }, select: { stripeSubscriptionId: true } });
  const subscription = org.stripeSubscriptionId ? await stripe().subscriptions.retrieve(org.stripeSubscriptionId) : null;

  if (subscription && !ENDED.has(subscription.status)) {
    if (input.plan === "free") {
      if (subscription.cancel_at_period_end) return { kind: "unchanged" };
      await stripe().subscriptions.update(subscription.id, { cancel_at_period_end: true });
      return { kind: "cancel_scheduled" };
    }
    const price = stripePriceFor(input.plan, input.interval);
    const [item] = subscription.items.data;
    if (item.price.id === price && !subscription.cancel_at_period_end) return { kind: "unchanged" };
    await stripe().subscriptions.update(subscription.id, {
      items: [{ id: item.id, price }],
      proration_behavior: "always_invoice",
      cancel_at_period_end: false,
    });
    return { kind: "subscription_updated" };
  }

  if (input.plan === "free") return { kind: "unchanged" };
  const session = await stripe().checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: input.orgId,
    line_items: [{ price: stripePriceFor(input.plan, input.interval), quantity: 1 }],
    // The subscription's events find the org by customer; the metadata is a second way.
    subscription_data: { metadata: { orgId: input.orgId } },
    metadata: { orgId: input.orgId, purpose: "plan" },
    success_url: withParam(back, "checkout", "success"),
    cancel_url: withParam(back, "checkout", "canceled"),
  });
  return { kind: "checkout", url: checkoutUrl(session.url) };
}

/** Checkout in payment mode for prepaid AI credits; the webhook grants them once Stripe has the money. */
export async function createCreditCheckout(orgIdValue: string, amountMicros: number, returnUrlValue?: string): Promise<{ url: string }> {
  const input = parse(creditInput, { orgId: orgIdValue, amountMicros, returnUrl: returnUrlValue });
  const back = appLink(input.returnUrl);
  const customer = await ensureCustomer(input.orgId);
  const metadata = creditPurchaseMetadataFor(input.orgId, input.amountMicros);
  const session = await stripe().checkout.sessions.create({
    mode: "payment",
    customer,
    client_reference_id: input.orgId,
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: "usd",
          unit_amount: input.amountMicros / CREDIT_PURCHASE.stepMicros,
          product_data: { name: "Ledgerline AI credits" },
        },
      },
    ],
    metadata,
    payment_intent_data: { metadata },
    success_url: withParam(back, "credits", "success"),
    cancel_url: withParam(back, "credits", "canceled"),
  });
  return { url: checkoutUrl(session.url) };
}

/**
 * The org's Stripe customer, created on first use. The idempotency key makes
 * concurrent first uses create one customer; the conditional update links it once.
 */
async function ensureCustomer(id: string): Promise<string> {
  const org = await db().org.findUnique({ where: { id }, select: { name: true, stripeCustomerId: true } });
  if (!org) throw new ApiError("not_found", "Organization not found.");
  if (org.stripeCustomerId) return org.stripeCustomerId;
  const customer = await stripe().customers.create({ name: org.name, metadata: { orgId: id } }, { idempotencyKey: `customer-for-${id}` });
  await db().org.updateMany({ where: { id, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const linked = await db().org.findUniqueOrThrow({ where: { id }, select: { stripeCustomerId: true } });
  return linked.stripeCustomerId!;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError("invalid_request", "The billing request is invalid.", { issues: result.error.issues });
  return result.data;
}

/** A return link on the app's own origin (never elsewhere: no open redirect through Stripe). */
function appLink(requested: string | undefined): URL {
  const { appUrl } = stripeApiConfig();
  const url = URL.parse(requested ?? "/settings/billing", appUrl);
  if (url?.origin !== appUrl.origin) throw new ApiError("invalid_request", `Return links must stay on ${appUrl.origin}.`);
  return url;
}

function withParam(base: URL, name: string, value: string): string {
  const url = new URL(base);
  url.searchParams.set(name, value);
  return url.toString();
}

function checkoutUrl(url: string | null): string {
  if (!url) throw new Error("Stripe returned a Checkout session without a URL.");
  return url;
}
