import { ApiError } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/respond";
import { db } from "@/lib/db";
import { handleStripeEvent } from "@/lib/stripe/handle-event";
import { verifyStripeEvent } from "@/lib/stripe/verify-event";

/** Stripe events are a few kilobytes; anything far larger is not from Stripe. */
const MAX_EVENT_BYTES = 1024 * 1024;

/**
 * Stripe's webhook. The signature is checked on the raw bytes before anything
 * else; a bad, missing or stale one is a 400 and nothing is processed. Every
 * verified event, replays included, is acknowledged with 200 once recorded; an
 * error answers 5xx so that Stripe delivers the event again.
 */
export async function POST(request: Request): Promise<Response> {
  try {
    const declared = Number(request.headers.get("content-length") ?? 0);
    if (declared > MAX_EVENT_BYTES) throw tooLarge();
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > MAX_EVENT_BYTES) throw tooLarge();
    const event = verifyStripeEvent(body, request.headers.get("stripe-signature"));
    await handleStripeEvent(db(), event);
    return Response.json({ received: true });
  } catch (error) {
    return errorResponse(error);
  }
}

const tooLarge = () => new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_EVENT_BYTES} bytes.`);
