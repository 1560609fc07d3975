import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { subscriptionObject, type SubscriptionOptions } from "./stripe-objects";

/**
 * A small Stripe-compatible HTTP server on loopback, for the calls the app
 * makes (customers, Checkout and Billing Portal sessions, subscriptions,
 * payment intents). It records every request and answers plausible JSON, so
 * tests check what the app asked Stripe for without ever reaching Stripe.
 * Payment intents keep Stripe's idempotency: a key seen before answers its
 * first answer again (a decline included) and creates nothing.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The form body, flattened the way Stripe encodes it: {"line_items[0][price]": "price_pro_month"}. */
  form: Record<string, string>;
  idempotencyKey: string | null;
  authorization: string | null;
}

type Subscription = ReturnType<typeof subscriptionObject>;

export interface FakePaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  currency: string;
  customer: string | null;
  payment_method: string | null;
  off_session: boolean;
  confirm: boolean;
  status: string;
  metadata: Record<string, string>;
  last_payment_error: { code: string; message: string } | null;
}

export interface Decline {
  /** Stripe's error code: card_declined, authentication_required, ... */
  code: string;
  message: string;
}

export interface FakeStripe {
  /** Base URL for STRIPE_API_BASE. */
  url: string;
  requests: RecordedRequest[];
  /** Seeds a subscription that GET and POST /v1/subscriptions/:id then serve. */
  addSubscription(options: SubscriptionOptions): Subscription;
  subscription(id: string): Subscription | undefined;
  /** A customer that GET /v1/customers/:id then serves, with its default payment method (null: none). */
  addCustomer(options?: { defaultPaymentMethod?: string | null }): { id: string; defaultPaymentMethod: string | null };
  /** Every payment intent created, oldest first (an idempotent replay creates none). */
  paymentIntents(): FakePaymentIntent[];
  /** Payment intents on this payment method (or every one, "*") are declined: 402 card_error, status requires_payment_method. */
  declinePayments(paymentMethod: string, decline: Decline): void;
  /** The next `count` payment intent requests are carried out, but the connection is cut before the answer (a crash after Stripe acted). */
  hangUpPaymentIntents(count: number): void;
  /** Forgets the declines and hang-ups asked for (each test starts with payments that go through). */
  resetPayments(): void;
  close(): Promise<void>;
}

/**
 * Runs a fake Stripe for the whole test file: the app is pointed at it
 * (STRIPE_API_BASE, APP_URL) before the first test and back after the last,
 * and each test starts with no recorded requests, declines or hang-ups.
 */
export function useFakeStripe(): Omit<FakeStripe, "close" | "resetPayments"> {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
    process.env.STRIPE_API_BASE = fake.url;
    process.env.APP_URL = "http://localhost:3000";
  });
  afterAll(async () => {
    delete process.env.STRIPE_API_BASE;
    delete process.env.APP_URL;
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.splice(0);
    fake.resetPayments();
  });
  return {
    get url() {
      return fake.url;
    },
    get requests() {
      return fake.requests;
    },
    addSubscription: (options) => fake.addSubscription(options),
    subscription: (id) => fake.subscription(id),
    addCustomer: (options) => fake.addCustomer(options),
    paymentIntents: () => fake.paymentIntents(),
    declinePayments: (paymentMethod, decline) => fake.declinePayments(paymentMethod, decline),
    hangUpPaymentIntents: (count) => fake.hangUpPaymentIntents(count),
  };
}

const uid = () => randomUUID().replaceAll("-", "").slice(0, 24);

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const subscriptions = new Map<string, Subscription>();
  const customersByKey = new Map<string, Record<string, unknown>>();
  const customers = new Map<string, Record<string, unknown>>();
  const intents: FakePaymentIntent[] = [];
  const intentsByKey = new Map<string, { form: string; answer: [number, unknown] }>();
  const declines = new Map<string, Decline>();
  let hangUps = 0;
  const customerObject = (id: string, form: Record<string, string>, defaultPaymentMethod: string | null) => ({
    id,
    object: "customer",
    name: form.name ?? null,
    metadata: nested(form, "metadata"),
    invoice_settings: { default_payment_method: defaultPaymentMethod },
  });

  const createPaymentIntent = (form: Record<string, string>): [number, unknown] => {
    const paymentMethod = form.payment_method ?? null;
    const decline = (paymentMethod && declines.get(paymentMethod)) ?? declines.get("*");
    const intent: FakePaymentIntent = {
      id: `pi_${uid()}`,
      object: "payment_intent",
      amount: Number(form.amount),
      currency: form.currency,
      customer: form.customer ?? null,
      payment_method: paymentMethod,
      off_session: form.off_session === "true",
      confirm: form.confirm === "true",
      status: decline ? "requires_payment_method" : form.confirm === "true" ? "succeeded" : "requires_confirmation",
      metadata: nested(form, "metadata"),
      last_payment_error: decline ? { code: decline.code, message: decline.message } : null,
    };
    intents.push(intent);
    if (!decline) return [200, intent];
    return [402, { error: { type: "card_error", code: decline.code, decline_code: decline.code, message: decline.message, payment_intent: intent } }];
  };

  const routes: { method: string; path: RegExp; answer: (form: Record<string, string>, match: RegExpMatchArray, key: string | null) => [number, unknown] }[] = [
    {
      method: "POST",
      path: /^\/v1\/customers$/,
      answer: (form, _match, key) => {
        const existing = key ? customersByKey.get(key) : undefined;
        if (existing) return [200, existing];
        const customer = customerObject(`cus_${uid()}`, form, null);
        if (key) customersByKey.set(key, customer);
        customers.set(customer.id, customer);
        return [200, customer];
      },
    },
    {
      method: "GET",
      path: /^\/v1\/customers\/([\w-]+)$/,
      answer: (_form, match) => {
        const customer = customers.get(match[1]);
        return customer ? [200, customer] : noSuch("customer", match[1]);
      },
    },
    {
      method: "POST",
      path: /^\/v1\/payment_intents$/,
      answer: (form, _match, key) => {
        if (!key) return createPaymentIntent(form);
        // Stripe's idempotency: the same key answers the first answer again; other parameters are an error.
        const signature = JSON.stringify(Object.entries(form).sort());
        const seen = intentsByKey.get(key);
        if (seen) {
          return seen.form === signature
            ? seen.answer
            : [400, { error: { type: "idempotency_error", message: "Keys for idempotent requests can only be used with the same parameters they were first used with." } }];
        }
        const answer = createPaymentIntent(form);
        intentsByKey.set(key, { form: signature, answer });
        return answer;
      },
    },
    {
      method: "POST",
      path: /^\/v1\/billing_portal\/sessions$/,
      answer: (form) => {
        const id = `bps_${uid()}`;
        return [200, { id, object: "billing_portal.session", customer: form.customer, return_url: form.return_url, url: `https://billing.stripe.test/p/session/${id}` }];
      },
    },
    {
      method: "POST",
      path: /^\/v1\/checkout\/sessions$/,
      answer: (form) => {
        const id = `cs_test_${uid()}`;
        return [200, {
          id,
          object: "checkout.session",
          mode: form.mode,
          customer: form.customer ?? null,
          client_reference_id: form.client_reference_id ?? null,
          metadata: nested(form, "metadata"),
          payment_status: "unpaid",
          status: "open",
          success_url: form.success_url,
          cancel_url: form.cancel_url,
          url: `https://checkout.stripe.test/c/pay/${id}`,
        }];
      },
    },
    {
      method: "GET",
      path: /^\/v1\/subscriptions\/([\w-]+)$/,
      answer: (_form, match) => {
        const subscription = subscriptions.get(match[1]);
        return subscription ? [200, subscription] : noSuch("subscription", match[1]);
      },
    },
    {
      method: "POST",
      path: /^\/v1\/subscriptions\/([\w-]+)$/,
      answer: (form, match) => {
        const subscription = subscriptions.get(match[1]);
        if (!subscription) return noSuch("subscription", match[1]);
        if (form["items[0][price]"]) subscription.items.data[0].price.id = form["items[0][price]"];
        if (form.cancel_at_period_end) subscription.cancel_at_period_end = form.cancel_at_period_end === "true";
        return [200, subscription];
      },
    },
  ];

  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://fake-stripe");
      const form = Object.fromEntries(new URLSearchParams(request.method === "GET" ? url.search : body));
      const key = header(request, "idempotency-key");
      requests.push({ method: request.method ?? "GET", path: url.pathname, form, idempotencyKey: key, authorization: header(request, "authorization") });
      const route = routes.find((r) => r.method === request.method && r.path.test(url.pathname));
      const [status, json] = route ? route.answer(form, url.pathname.match(route.path)!, key) : noSuch("route", url.pathname);
      if (route?.path.source.includes("payment_intents") && hangUps > 0) {
        hangUps -= 1;
        request.socket.destroy();
        return;
      }
      response.writeHead(status, { "content-type": "application/json", "request-id": `req_${uid()}` });
      response.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addSubscription(options) {
      const subscription = subscriptionObject(options);
      subscriptions.set(subscription.id, subscription);
      return subscription;
    },
    subscription: (id) => subscriptions.get(id),
    addCustomer({ defaultPaymentMethod = `pm_${uid()}` } = {}) {
      const id = `cus_${uid()}`;
      customers.set(id, customerObject(id, {}, defaultPaymentMethod));
      return { id, defaultPaymentMethod };
    },
    paymentIntents: () => [...intents],
    declinePayments: (paymentMethod, decline) => void declines.set(paymentMethod, decline),
    hangUpPaymentIntents: (count) => void (hangUps = count),
    resetPayments() {
      declines.clear();
      hangUps = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function header(request: http.IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === "string" ? value : null;
}

/** metadata[orgId]=x -> { orgId: "x" } */
function nested(form: Record<string, string>, prefix: string): Record<string, string> {
  const entries = Object.entries(form)
    .filter(([key]) => key.startsWith(`${prefix}[`))
    .map(([key, value]) => [key.slice(prefix.length + 1, -1), value]);
  return Object.fromEntries(entries);
}

function noSuch(kind: string, id: string): [number, unknown] {
  return [404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'` } }];
}
