import { z } from "zod";
import { formatMicros } from "@/lib/format";
import { PLAN_IDS } from "@/lib/limits/plans";
import { BILLING_INTERVALS, CREDIT_PURCHASE } from "@/lib/limits/stripe-prices";
import { ADMIN_BILLING_PATH, SETTINGS_BILLING_PATH } from "@/lib/plan-upgrade";

/**
 * What the billing pages' forms post, parsed from FormData. The org is not
 * here: the form names it only so that the action can refuse a form rendered
 * for another org, and the action always acts on the session's org.
 */

/** The page Stripe sends the admin back to. */
const returnTo = z.enum([SETTINGS_BILLING_PATH, ADMIN_BILLING_PATH]).default(SETTINGS_BILLING_PATH);

/** "25", "25.5", "$1,250.00": whole dollars and at most two decimals, as micro-dollars. */
const dollars = z
  .string()
  .trim()
  .transform((text) => text.replace(/^\$/, "").replaceAll(",", ""))
  .pipe(z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "Enter an amount in dollars, such as 50 or 49.99."))
  .transform((text) => {
    const [whole, cents = ""] = text.split(".");
    return Number(whole) * 1_000_000 + Number(cents.padEnd(2, "0")) * CREDIT_PURCHASE.stepMicros;
  })
  .pipe(
    z
      .number()
      .min(CREDIT_PURCHASE.minMicros, boundsMessage())
      .max(CREDIT_PURCHASE.maxMicros, boundsMessage()),
  );

export const portalForm = z.object({ returnTo });
export const planChangeForm = z.object({ plan: z.enum(PLAN_IDS), interval: z.enum(BILLING_INTERVALS).default("month"), returnTo });
export const creditPurchaseForm = z.object({ amount: dollars, returnTo });

function boundsMessage() {
  return `Credits are bought from ${formatMicros(CREDIT_PURCHASE.minMicros)} to ${formatMicros(CREDIT_PURCHASE.maxMicros)}.`;
}

/** FormData fields as a plain object; fields the schema does not name are ignored by it. */
export function formFields(form: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === "string") fields[name] = value;
  return fields;
}
