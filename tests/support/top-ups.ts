import { authorizeAi, settleAi } from "@/lib/metering/ai-holds";
import { saveAutoTopUpSettings, type AutoTopUpSettings } from "@/lib/metering/auto-top-up";
import { grantCredits } from "@/lib/metering/credit-grants";
import { autoTopUpMetadataFor } from "@/lib/stripe/top-up-payment";
import { createOrg, testStore } from "./store";
import { paymentIntentObject, stripeEvent } from "./stripe-objects";
import { deliver, linkToStripe } from "./stripe-webhook";

/** Scenes for auto top-up: an org whose AI is paid from credits alone, with the settings an admin saved. */

export const USD = 1_000_000;
/** claude-opus-4-1 output is $75 per million tokens: one token costs 75 micro-dollars. */
const MICROS_PER_TOKEN = 75;

export interface TopUpScene {
  orgId: string;
  superAdmin: string;
  admin: string;
  manager: string;
  user: string;
  customer: string;
}

/**
 * An org with a member of each role, a zero AI pool (every AI dollar comes from credits), `credits`
 * granted at `now`, linked to the Stripe customer `customer` (a made-up one unless given), and auto
 * top-up saved by its admin as `settings` (none when null).
 */
export async function topUpScene(options: { credits: number; settings: AutoTopUpSettings | null; now: Date; customer?: string }): Promise<TopUpScene> {
  const { orgId, members, db } = await createOrg({
    overrides: { ai_budget: 0 },
    members: [{ role: "super_admin" }, { role: "admin" }, { role: "manager" }, { role: "user" }],
  });
  const [superAdmin, admin, manager, user] = members;
  if (options.credits) await grant(orgId, options.credits, "test:opening", options.now);
  const { customer } = await linkToStripe(orgId, { customer: options.customer });
  if (options.settings) await saveAutoTopUpSettings(db, { orgId, userId: admin }, options.settings, options.now);
  return { orgId, superAdmin, admin, manager, user, customer };
}

/** A purchase the admin made by hand: credits that never expire. */
export async function grant(orgId: string, amountMicros: number, reference: string, now: Date) {
  const { prisma } = await testStore();
  await prisma.$transaction((tx) => grantCredits(tx, { orgId, source: "purchase", amountMicros, reference, now }));
}

/** One AI call by `userId` that costs exactly `micros` (a multiple of 75), authorized and settled at `now`. */
export async function spend(orgId: string, userId: string, micros: number, now: Date) {
  const { sql } = await testStore();
  const tokens = micros / MICROS_PER_TOKEN;
  if (!Number.isInteger(tokens)) throw new Error(`${micros} is not a whole number of opus output tokens`);
  const { authorizationId } = await authorizeAi(sql, { orgId, userId, feature: "chat", model: "claude-opus-4-1", inputTokens: 0, maxOutputTokens: tokens }, now);
  return settleAi(sql, { orgId, authorizationId, inputTokens: 0, outputTokens: tokens }, undefined, now);
}

export async function balance(orgId: string): Promise<number> {
  const { prisma } = await testStore();
  return Number((await prisma.creditAccount.findUnique({ where: { orgId } }))?.balanceMicros ?? 0);
}

export async function topUpsOf(orgId: string) {
  const { prisma } = await testStore();
  const rows = await prisma.creditTopUp.findMany({ where: { orgId }, orderBy: { id: "asc" } });
  return rows.map((row) => ({ ...row, id: String(row.id), amountMicros: Number(row.amountMicros) }));
}

/** Stripe's payment_intent.* event for a top-up of the scene, as Stripe would send it. */
export function topUpEvent(scene: TopUpScene, topUp: { id: string; amountMicros: number }, type: "payment_intent.succeeded" | "payment_intent.payment_failed", options: { paymentIntentId?: string; lastPaymentError?: string } = {}) {
  const intent = paymentIntentObject({
    id: options.paymentIntentId,
    customer: scene.customer,
    amountCents: topUp.amountMicros / 10_000,
    metadata: autoTopUpMetadataFor(scene.orgId, topUp.id),
    status: type === "payment_intent.succeeded" ? "succeeded" : "requires_payment_method",
    lastPaymentError: options.lastPaymentError,
  });
  return stripeEvent(type, intent, { created: new Date() });
}

/** Stripe confirms the payment of a top-up: the webhook credits it. */
export async function succeed(scene: TopUpScene, topUp: { id: string; amountMicros: number }) {
  const response = await deliver(topUpEvent(scene, topUp, "payment_intent.succeeded"));
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
}
