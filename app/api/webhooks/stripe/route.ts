import { readBodyWithin } from "@/lib/api/endpoint";
import { ApiError } from "@/lib/api/errors";
import { errorReply } from "@/lib/api/respond";
import { db } from "@/lib/db";
import { metrics } from "@/lib/observability/metrics";
import { webhookSecret } from "@/lib/stripe/config";
import { handleStripeEvent } from "@/lib/stripe/handle-event";
import { verifyStripeEvent } from "@/lib/stripe/verify-event";

/** Stripe events are a few kilobytes; anything far larger is not from Stripe. */
const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Stripe's webhook. Without a signing secret it answers 503
 * webhook_not_configured before reading anything. The signature is checked on
 * the raw bytes, read up to the size limit and no further; a bad, missing or
 * stale one is a 400 and nothing is processed. Every verified event, replays
 * included, is acknowledged with 200 once recorded; an error answers 5xx so
 * that Stripe delivers the event again.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const secret = webhookSecret();
    const body = await readBodyWithin(request, MAX_EVENT_BYTES, tooLarge);
    const event = verifyStripeEvent(body, request.headers.get("stripe-signature"), secret);
    await handleStripeEvent(db(), event);
    metrics().webhooks.inc({ outcome: "received" });
    return Response.json({ received: true });
  } catch (error) {
    const { status, body, headers } = errorReply(error);
    metrics().webhooks.inc({ outcome: (body as { error: { code: string } }).error.code });
    return Response.json(body, { status, headers });
  }
}

const tooLarge = () => new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_EVENT_BYTES} bytes.`);
