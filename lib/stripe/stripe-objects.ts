import { z } from "zod";

/**
 * The parts of Stripe's objects the webhook handlers read, parsed with zod so
 * that a payload of an unexpected shape fails loudly (500, and Stripe retries)
 * instead of being half-applied. Unknown fields are ignored.
 */

/** A reference that Stripe sends as an id, or as the object when expanded. */
const idOf = z.union([z.string(), z.object({ id: z.string() }).transform((object) => object.id)]);

const metadata = z.record(z.string(), z.string()).nullish().transform((value) => value ?? {});

export const stripeSubscription = z
  .object({
    id: z.string(),
    customer: idOf,
    status: z.string(),
    /** Seconds since the epoch: the instant future billing dates align to. */
    billing_cycle_anchor: z.number().int(),
    metadata,
    items: z.object({ data: z.array(z.object({ id: z.string(), price: z.object({ id: z.string() }) })) }),
  })
  .transform((s) => ({
    id: s.id,
    customerId: s.customer,
    status: s.status,
    billingCycleAnchor: new Date(s.billing_cycle_anchor * 1000),
    metadata: s.metadata,
    priceIds: s.items.data.map((item) => item.price.id),
  }));

export type StripeSubscription = z.infer<typeof stripeSubscription>;

/** `previous_attributes` of a customer.subscription.updated event: set only for what changed. */
export const previousSubscriptionAttributes = z
  .object({ status: z.string().optional() })
  .nullish()
  .transform((value) => ({ status: value?.status ?? null }));

export const stripeInvoice = z
  .object({
    id: z.string(),
    customer: idOf.nullable(),
    /** Null once Stripe has stopped retrying the payment. */
    next_payment_attempt: z.number().int().nullable(),
    parent: z.object({ subscription_details: z.object({ subscription: idOf }).nullish() }).nullish(),
    /** Where API versions before 2025-03-31 put the subscription. */
    subscription: idOf.nullish(),
  })
  .transform((invoice) => ({
    id: invoice.id,
    customerId: invoice.customer,
    retriesExhausted: invoice.next_payment_attempt === null,
    subscriptionId: invoice.parent?.subscription_details?.subscription ?? invoice.subscription ?? null,
  }));

export const stripeCheckoutSession = z
  .object({
    id: z.string(),
    payment_status: z.string(),
    metadata,
  })
  .transform((session) => ({
    id: session.id,
    paid: session.payment_status === "paid",
    metadata: session.metadata,
  }));

export const stripePaymentIntent = z
  .object({
    id: z.string(),
    customer: idOf.nullish(),
    status: z.string(),
    /** Cents. */
    amount: z.number().int(),
    currency: z.string(),
    metadata,
    last_payment_error: z.object({ message: z.string().nullish(), code: z.string().nullish() }).nullish(),
  })
  .transform((intent) => ({
    id: intent.id,
    customerId: intent.customer ?? null,
    metadata: intent.metadata,
    lastPaymentError: intent.last_payment_error?.message ?? null,
  }));
