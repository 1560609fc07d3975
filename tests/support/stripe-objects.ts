import { randomUUID } from "node:crypto";

/** Builders for Stripe events and the objects they carry, shaped as the API version the stripe package pins. */

const uid = () => randomUUID().replaceAll("-", "").slice(0, 24);
const seconds = (at: Date | number) => (typeof at === "number" ? at : Math.floor(at.getTime() / 1000));

export interface TestEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
  [key: string]: unknown;
}

export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: { created: Date | number; previousAttributes?: Record<string, unknown> },
): TestEvent {
  return {
    id: `evt_${uid()}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: seconds(options.created),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: options.previousAttributes ? { object, previous_attributes: options.previousAttributes } : { object },
  };
}

export interface SubscriptionOptions {
  id: string;
  customer: string;
  status?: string;
  priceId?: string;
  anchor: Date;
  metadata?: Record<string, string>;
}

export function subscriptionObject(options: SubscriptionOptions) {
  return {
    id: options.id,
    object: "subscription",
    customer: options.customer,
    status: options.status ?? "active",
    billing_cycle_anchor: seconds(options.anchor),
    cancel_at_period_end: false,
    metadata: options.metadata ?? {},
    items: {
      object: "list",
      data: [{ id: `si_${options.id.slice(4)}`, object: "subscription_item", price: { id: options.priceId ?? "price_pro_month", object: "price" }, quantity: 1 }],
    },
  };
}

export function invoiceObject(options: { customer: string; subscription: string | null; nextPaymentAttempt: Date | null; status?: string }) {
  return {
    id: `in_${uid()}`,
    object: "invoice",
    customer: options.customer,
    status: options.status ?? "open",
    next_payment_attempt: options.nextPaymentAttempt ? seconds(options.nextPaymentAttempt) : null,
    parent: options.subscription
      ? { type: "subscription_details", quote_details: null, subscription_details: { subscription: options.subscription, metadata: {} } }
      : null,
  };
}

export function checkoutSessionObject(options: { id?: string; metadata: Record<string, string>; paymentStatus?: "paid" | "unpaid" }) {
  return {
    id: options.id ?? `cs_test_${uid()}`,
    object: "checkout.session",
    mode: options.metadata.purpose === "credit_purchase" ? "payment" : "subscription",
    customer: null,
    payment_status: options.paymentStatus ?? "paid",
    status: "complete",
    metadata: options.metadata,
  };
}

export const newSubscriptionId = () => `sub_${uid()}`;

export function paymentIntentObject(options: {
  id?: string;
  customer: string;
  amountCents: number;
  metadata: Record<string, string>;
  status?: string;
  lastPaymentError?: string;
}) {
  return {
    id: options.id ?? `pi_${uid()}`,
    object: "payment_intent",
    amount: options.amountCents,
    amount_received: options.status === "succeeded" || options.status === undefined ? options.amountCents : 0,
    currency: "usd",
    customer: options.customer,
    status: options.status ?? "succeeded",
    metadata: options.metadata,
    last_payment_error: options.lastPaymentError ? { code: "card_declined", message: options.lastPaymentError } : null,
  };
}
