"use server";

import { redirect } from "next/navigation";
import type { z } from "zod";
import { ApiError } from "@/lib/api/errors";
import { formOutcome, parseForm, type FormState } from "@/lib/auth/form-action";
import { db } from "@/lib/db";
import { formatMicros } from "@/lib/format";
import { PLANS, type PlanId } from "@/lib/limits/plans";
import { saveAutoTopUpSettings, type SavedAutoTopUp } from "@/lib/metering/auto-top-up";
import { SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";
import { createCreditCheckout, createPlanCheckout, createPortalSession, type PlanChange } from "./billing-actions";
import { requireBillingAdmin } from "./billing-admin";
import { autoTopUpForm, creditPurchaseForm, formFields, planChangeForm, portalForm } from "./billing-forms";
import { billingFailureMessage, NOT_CONNECTED_MESSAGE, type BillingActionState } from "./billing-outcome";
import { stripeConnected } from "./config";
import { logger } from "@/lib/observability/log";

/**
 * The billing pages' server actions. Each checks the session and the admin
 * role itself (a page that hides its forms is no guard), parses its form with
 * zod, asks Stripe through billing-actions.ts and sends the browser to the
 * Stripe page it got back. Anything else comes back as a message for the form.
 */

export async function openBillingPortal(_previous: BillingActionState, form: FormData): Promise<BillingActionState> {
  const { orgId } = await requireBillingAdmin(form);
  const input = portalForm.safeParse(formFields(form));
  if (!input.success) return invalid(input.error);
  const outcome = await askStripe(() => createPortalSession(orgId, input.data.returnTo));
  if ("failed" in outcome) return outcome.failed;
  redirect(outcome.value.url);
}

export async function confirmPlanChange(_previous: BillingActionState, form: FormData): Promise<BillingActionState> {
  const { orgId } = await requireBillingAdmin(form);
  const input = planChangeForm.safeParse(formFields(form));
  if (!input.success) return invalid(input.error);
  const { plan, interval, returnTo } = input.data;
  const outcome = await askStripe(() => createPlanCheckout(orgId, plan, interval, returnTo));
  if ("failed" in outcome) return outcome.failed;
  if (outcome.value.kind === "checkout") redirect(outcome.value.url);
  return { tone: "success", message: planChangeMessage(outcome.value, plan) };
}

export async function buyCredits(_previous: BillingActionState, form: FormData): Promise<BillingActionState> {
  const { orgId } = await requireBillingAdmin(form);
  const input = creditPurchaseForm.safeParse(formFields(form));
  if (!input.success) return invalid(input.error);
  const outcome = await askStripe(() => createCreditCheckout(orgId, input.data.amount, input.data.returnTo));
  if ("failed" in outcome) return outcome.failed;
  redirect(outcome.value.url);
}

/**
 * Auto top-up's settings. Nothing is asked of Stripe here: the settings are
 * the org's own, and the card on file is charged only when a settle crosses
 * the threshold (lib/stripe/top-up-sender.ts). A bad field comes back with
 * its own message and the values as typed; nothing is stored.
 */
export async function saveAutoTopUp(_previous: FormState, form: FormData): Promise<FormState> {
  const session = await requireBillingAdmin(form);
  const parsed = parseForm(autoTopUpForm, form);
  if ("state" in parsed) return parsed.state;
  return formOutcome(form, async () => {
    const saved = await saveAutoTopUpSettings(db(), { orgId: session.orgId, userId: session.user.id }, parsed.data);
    return { tone: "success", message: autoTopUpSavedMessage(saved) };
  }, [SETTINGS_BILLING_PATH]);
}

function autoTopUpSavedMessage({ settings, hasStripeCustomer }: SavedAutoTopUp): string {
  if (!settings.enabled) return "Saved. Auto top-up is off.";
  const rule = `Saved. When credits fall below ${formatMicros(settings.thresholdMicros)}, ${formatMicros(settings.amountMicros)} is bought, at most ${formatMicros(settings.monthlyCapMicros)} a month.`;
  return hasStripeCustomer ? rule : `${rule} No payment method is on file yet: add one with Update payment method, or top-ups will fail.`;
}

function invalid(error: z.ZodError): BillingActionState {
  return { tone: "error", message: error.issues[0]?.message ?? "The form is not valid." };
}

/** Runs a Stripe call when this environment has Stripe, turning its failures into a message. */
async function askStripe<T>(run: () => Promise<T>): Promise<{ value: T } | { failed: BillingActionState }> {
  if (!stripeConnected()) return { failed: { tone: "error", message: NOT_CONNECTED_MESSAGE } };
  try {
    return { value: await run() };
  } catch (error) {
    // Refusals of our own (ApiError) are the admin's to fix; anything else is ours to see in the logs.
    if (!(error instanceof ApiError)) logger().error({ err: error }, "billing action failed");
    return { failed: { tone: "error", message: billingFailureMessage(error) } };
  }
}

/** The org changes when Stripe's event arrives, never here: the message says what is on its way. */
function planChangeMessage(change: Exclude<PlanChange, { kind: "checkout" }>, plan: PlanId): string {
  switch (change.kind) {
    case "subscription_updated":
      return `Stripe is moving the subscription to ${PLANS[plan].name} and invoicing the difference now. This page shows the new plan once Stripe confirms it.`;
    case "cancel_scheduled":
      return "The subscription will end at the close of the paid period; the organization then moves to Free.";
    case "unchanged":
      return "Nothing to change: Stripe already has the organization on this plan.";
  }
}
