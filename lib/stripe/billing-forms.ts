import { z } from "zod";
import { formatMicros } from "@/lib/format";
import { PLAN_IDS } from "@/lib/limits/plans";
import { AUTO_TOP_UP, BILLING_INTERVALS, CREDIT_PURCHASE } from "@/lib/limits/stripe-prices";
import { ADMIN_BILLING_PATH, SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";

/**
 * What the billing pages' forms post, parsed from FormData. The org is not
 * here: the form names it only so that the action can refuse a form rendered
 * for another org, and the action always acts on the session's org.
 */

/** The page Stripe sends the admin back to. */
const returnTo = z.enum([SETTINGS_BILLING_PATH, ADMIN_BILLING_PATH]).default(SETTINGS_BILLING_PATH);

/**
 * "25", "25.5", "$1,250.00": whole dollars and at most two decimals, as
 * micro-dollars (by string arithmetic, never through a float), within bounds.
 */
function dollars(bounds: { minMicros: number; maxMicros: number }, boundsMessage: string) {
  return z
    .string("Enter an amount in dollars, such as 50 or 49.99.")
    .trim()
    .transform((text) => text.replace(/^\$/, "").replaceAll(",", ""))
    .pipe(z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "Enter an amount in dollars, such as 50 or 49.99."))
    .transform((text) => {
      const [whole, cents = ""] = text.split(".");
      return Number(whole) * 1_000_000 + Number(cents.padEnd(2, "0")) * CREDIT_PURCHASE.stepMicros;
    })
    .pipe(z.number().min(bounds.minMicros, boundsMessage).max(bounds.maxMicros, boundsMessage));
}

const between = (bounds: { minMicros: number; maxMicros: number }) => `from ${formatMicros(bounds.minMicros)} to ${formatMicros(bounds.maxMicros)}`;

export const portalForm = z.object({ returnTo });
export const planChangeForm = z.object({ plan: z.enum(PLAN_IDS), interval: z.enum(BILLING_INTERVALS).default("month"), returnTo });
export const creditPurchaseForm = z.object({ amount: dollars(CREDIT_PURCHASE, `Credits are bought ${between(CREDIT_PURCHASE)}.`), returnTo });

/**
 * Auto top-up: "when credits fall below `threshold`, buy `amount`, at most
 * `monthlyCap` a month", and whether it is on (a checkbox: "on" or absent).
 * The cap must allow at least one top-up. Each field's message names it.
 */
export const autoTopUpForm = z
  .object({
    enabled: z.literal("on", "Auto top-up is either on or off.").optional().transform((value) => value === "on"),
    threshold: dollars(AUTO_TOP_UP.threshold, `The threshold is ${between(AUTO_TOP_UP.threshold)}.`),
    amount: dollars(AUTO_TOP_UP.amount, `A top-up buys ${between(AUTO_TOP_UP.amount)}.`),
    monthlyCap: dollars(AUTO_TOP_UP.monthlyCap, `The monthly cap is ${between(AUTO_TOP_UP.monthlyCap)}.`),
  })
  .refine((form) => form.monthlyCap >= form.amount, { path: ["monthlyCap"], message: "The monthly cap must allow at least one top-up: make it at least the amount to buy." })
  .transform((form) => ({ enabled: form.enabled, thresholdMicros: form.threshold, amountMicros: form.amount, monthlyCapMicros: form.monthlyCap }));

/** FormData fields as a plain object; fields the schema does not name are ignored by it. */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}
