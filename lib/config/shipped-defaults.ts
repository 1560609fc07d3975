/**
 * The values `.env.example` ships with, defined once: the quick start runs on
 * them, and a production server refuses to start while any of them is in
 * use (production-safety.ts). A unit test checks that `.env.example` ships
 * exactly these, so the two cannot drift.
 */
export const SHIPPED_DEFAULTS = {
  AUTH_SECRET: "development-only-secret-change-me-in-production",
  STRIPE_WEBHOOK_SECRET: "whsec_development_placeholder",
  DEMO_API_KEY_ACME: "ll_demo_acme_7Yq3kP9wXv2LmN4s",
  DEMO_API_KEY_NORTHWIND: "ll_demo_northwind_R5tB8cJ1hQ6z",
  DEMO_API_KEY_FREEBIE: "ll_demo_freebie_K2nW7dF4pS9x",
  DEMO_API_KEY_SUMMIT: "ll_demo_summit_H8vM3gT6yL1q",
  DEMO_API_KEY_BETA_LABS: "ll_demo_betalabs_D4rZ9kC2wN7j",
} as const;
