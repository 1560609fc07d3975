import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { subscriptionObject, type SubscriptionOptions } from "./stripe-objects";

/**
 * A small Stripe-compatible HTTP server on loopback, for the calls the app
 * makes (customers, Checkout and Billing Portal sessions, subscriptions). It
 * records every request and answers plausible JSON, so tests check what the
 * app asked Stripe for without ever reaching Stripe.
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

export interface FakeStripe {
  /** Base URL for STRIPE_API_BASE. */
  url: string;
  requests: RecordedRequest[];
  /** Seeds a subscription that GET and POST /v1/subscriptions/:id then serve. */
  addSubscription(options: SubscriptionOptions): Subscription;
  subscription(id: string): Subscription | undefined;
  close(): Promise<void>;
}

/**
 * Runs a fake Stripe for the whole test file: the app is pointed at it
 * (STRIPE_API_BASE, APP_URL) before the first test and back after the last,
 * and each test starts with no recorded requests.
 */
export function useFakeStripe(): Omit<FakeStripe, "close"> {
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
  beforeEach(() => void fake.requests.splice(0));
  return {
    get url() {
      return fake.url;
    },
    get requests() {
      return fake.requests;
    },
    addSubscription: (options) => fake.addSubscription(options),
    subscription: (id) => fake.subscription(id),
  };
}

const uid = () => randomUUID().replaceAll("-", "").slice(0, 24);

export async function startFakeStripe(): Promise<FakeStripe> {
  const requests: RecordedRequest[] = [];
  const subscriptions = new Map<string, Subscription>();
  const customersByKey = new Map<string, Record<string, unknown>>();

  const routes: { method: string; path: RegExp; answer: (form: Record<string, string>, match: RegExpMatchArray, key: string | null) => [number, unknown] }[] = [
    {
      method: "POST",
      path: /^\/v1\/customers$/,
      answer: (form, _match, key) => {
        const existing = key ? customersByKey.get(key) : undefined;
        if (existing) return [200, existing];
        const customer = { id: `cus_${uid()}`, object: "customer", name: form.name ?? null, metadata: nested(form, "metadata") };
        if (key) customersByKey.set(key, customer);
        return [200, customer];
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
