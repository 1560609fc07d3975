import "server-only";
import Stripe from "stripe";
import { stripeApiConfig } from "./config";

/**
 * The Stripe API client, configured from the environment. STRIPE_API_BASE
 * moves it off api.stripe.com (tests run it against a loopback stand-in, so
 * the app never calls Stripe from a test). One client per configuration.
 */

let cached: { key: string; client: Stripe } | undefined;

export function stripe(): Stripe {
  const { secretKey, apiBase } = stripeApiConfig();
  const key = `${secretKey}|${apiBase?.href ?? ""}`;
  if (cached?.key !== key) cached = { key, client: new Stripe(secretKey, { ...endpoint(apiBase), maxNetworkRetries: 2 }) };
  return cached.client;
}

function endpoint(apiBase: URL | null) {
  if (!apiBase) return {};
  const protocol = apiBase.protocol === "http:" ? "http" : "https";
  return { host: apiBase.hostname, port: apiBase.port || (protocol === "http" ? 80 : 443), protocol } as const;
}
