import { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { appUrl } from "@/lib/app-url";

/**
 * Stripe settings from the environment, validated when first needed so that a
 * misconfigured deployment fails on its first billing call with a clear
 * message rather than with a Stripe error. Read on every call: tests point
 * STRIPE_API_BASE at a loopback server after start-up.
 */

const apiEnv = z.object({
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_/, "STRIPE_SECRET_KEY must be a Stripe secret or restricted key (sk_... or rk_...)"),
  /** Where the Stripe API lives, e.g. http://127.0.0.1:12111 for a local stand-in; unset means api.stripe.com. */
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
});

const webhookEnv = z.object({
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_...)"),
});

export interface StripeApiConfig {
  secretKey: string;
  apiBase: URL | null;
  appUrl: URL;
}

export function stripeApiConfig(env: NodeJS.ProcessEnv = process.env): StripeApiConfig {
  const parsed = apiEnv.parse(env);
  return {
    secretKey: parsed.STRIPE_SECRET_KEY,
    apiBase: parsed.STRIPE_API_BASE ? new URL(parsed.STRIPE_API_BASE) : null,
    appUrl: appUrl(env),
  };
}

/** The key .env.example ships with: a stand-in that only a local STRIPE_API_BASE server accepts. */
const PLACEHOLDER_SECRET_KEY = "sk_test_placeholder";

/**
 * Whether this environment is meant to reach Stripe: a secret key is set, and
 * it is not the demo's placeholder aimed at api.stripe.com (which would refuse
 * it). The placeholder with STRIPE_API_BASE set is how tests reach their
 * stand-in. A key of the wrong shape still counts as meant: its first call
 * then fails with stripeApiConfig's message naming it.
 */
export function stripeConnected(env: Record<string, string | undefined> = process.env): boolean {
  const key = env.STRIPE_SECRET_KEY?.trim();
  if (!key) return false;
  return key !== PLACEHOLDER_SECRET_KEY || Boolean(env.STRIPE_API_BASE);
}

/**
 * The webhook signing secret. Unset or malformed, the webhook answers 503
 * `webhook_not_configured` (Stripe retries, and the operator is told what to
 * set) rather than failing on an error no one reads.
 */
export function webhookSecret(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = webhookEnv.safeParse(env);
  if (parsed.success) return parsed.data.STRIPE_WEBHOOK_SECRET;
  throw new ApiError(
    "webhook_not_configured",
    env.STRIPE_WEBHOOK_SECRET
      ? "STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_...): set it to this endpoint's signing secret from the Stripe dashboard, or the one `stripe listen` prints."
      : "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET to this endpoint's signing secret from the Stripe dashboard, or the one `stripe listen` prints.",
  );
}
