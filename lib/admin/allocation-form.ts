import { z } from "zod";

/**
 * The allocation form's fields as an admin types them: AI in dollars (up to
 * cents), enrichments in units, blank for "shares the org pool". Dollars become
 * integer micro-dollars by string arithmetic, never through a float.
 */

const MICROS_PER_CENT = 10_000;

/** "$1,250.5" -> "1250.5": the symbols people type are not the number. */
const typed = z.string().trim().transform((text) => text.replace(/[$,\s]/g, ""));

function amount(pattern: RegExp, example: string) {
  return typed
    .refine((text) => !text.startsWith("-"), "An allocation cannot be negative.")
    .refine((text) => text === "" || pattern.test(text), example);
}

export function dollarsToMicros(text: string): number | null {
  if (text === "") return null;
  const [whole, fraction = ""] = text.split(".");
  return (Number(whole) * 100 + Number(fraction.padEnd(2, "0"))) * MICROS_PER_CENT;
}

export const allocationForm = z.object({
  orgId: z.string().min(1).max(200),
  userId: z.string().min(1).max(200),
  aiDollars: amount(/^\d{1,9}(\.\d{1,2})?$/, "Enter the AI allocation in dollars, e.g. 25 or 12.50.").transform(dollarsToMicros),
  enrichments: amount(/^\d{1,12}$/, "Enter the enrichment allocation as a whole number, e.g. 100.").transform((text) => (text === "" ? null : Number(text))),
});
