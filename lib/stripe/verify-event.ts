import Stripe from "stripe";
import { ApiError } from "@/lib/api/errors";
import { webhookSecret } from "./config";

/**
 * Checks the Stripe-Signature header against the raw body and returns the
 * event. A missing or wrong signature, or a timestamp outside Stripe's default
 * tolerance (5 minutes, against replays of captured requests), is a 400
 * `invalid_signature` and nothing is processed.
 */
export function verifyStripeEvent(rawBody: Uint8Array, signature: string | null, secret = webhookSecret()): Stripe.Event {
  if (!signature) throw new ApiError("invalid_signature", "The Stripe-Signature header is missing.");
  try {
    return Stripe.webhooks.constructEvent(Buffer.from(rawBody), signature, secret);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new ApiError("invalid_signature", "The Stripe-Signature header does not match this body, or its timestamp is too old.");
    }
    throw error;
  }
}
