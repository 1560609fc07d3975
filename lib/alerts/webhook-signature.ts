import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Alert webhooks are signed like Stripe's: the header
 * `Ledgerline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * with the org's signing secret. Receivers recompute v1 over the raw body and
 * reject a timestamp older than a few minutes, which stops replays.
 */
export const SIGNATURE_HEADER = "Ledgerline-Signature";

const hmac = (secret: string, timestamp: number, body: string) => createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

export function signatureHeader(secret: string, body: string, at: Date): string {
  const timestamp = Math.floor(at.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** What a receiver does: true when the header signs this body with this secret, recently enough. */
export function verifySignature(header: string, body: string, secret: string, { now = new Date(), toleranceSeconds = 300 } = {}): boolean {
  const parts = new Map(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const timestamp = Number(parts.get("t"));
  const given = Buffer.from(parts.get("v1") ?? "", "hex");
  if (!Number.isInteger(timestamp) || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
