import Stripe from "stripe";
import { ZodError } from "zod";
import { ApiError } from "@/lib/api/errors";

/**
 * What a billing form shows after its action: nothing yet, a confirmation, or
 * why nothing happened. An action that succeeds with a Stripe page redirects
 * there instead, so it never returns a state.
 */
export type BillingActionState = { tone: "success" | "error"; message: string } | null;

export const NOT_CONNECTED_MESSAGE = "Billing is not connected in this environment, so nothing was sent to Stripe.";

/**
 * Why a billing call failed, in words for the admin who pressed the button.
 * The request went to Stripe at most; the org itself is never changed by
 * these calls, so every message can say that nothing changed here.
 */
export function billingFailureMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof ZodError) return `Billing is misconfigured in this environment: ${error.issues[0]?.message ?? "invalid Stripe settings"}.`;
  if (error instanceof Stripe.errors.StripeAuthenticationError) return "Stripe refused this environment's API key. Nothing was changed.";
  if (error instanceof Stripe.errors.StripeConnectionError) return "Stripe could not be reached. Nothing was changed; try again in a moment.";
  if (error instanceof Stripe.errors.StripeError) return `Stripe could not do this: ${error.message}`;
  return "Something went wrong while talking to Stripe. Nothing was changed; try again in a moment.";
}
