import { PLAN_IDS } from "@/lib/limits/plans";
import { BILLING_INTERVALS } from "@/lib/limits/stripe-prices";
import { listPrice } from "@/lib/plan-price";
import { SEEDED_MODEL_IDS } from "../../tests/support/seeded-models";

/**
 * What must never reach a plain user's browser. Money is matched with its
 * cents ("$12.34"), the only way the app writes it: a bare "$1" is a reference
 * inside the RSC payload, not a price. The plans' list prices are public and
 * shown to every member, so they are not leaks; no demo org's own figure
 * equals one of them, so allowing them hides nothing the tests look for.
 */
const MONEY = /\$\s?\d{1,3}(,\d{3})*\.\d{2}/g;
const LIST_PRICES = new Set(PLAN_IDS.flatMap((id) => BILLING_INTERVALS.map((interval) => listPrice(id, interval).amount)));
const MODEL_NAMES = new RegExp([...SEEDED_MODEL_IDS.map((id) => id.replace(/\./g, "\\.")), "claude", "gpt-\\d"].join("|"), "i");

export function leaksIn(text: string): string[] {
  const found: string[] = [];
  const money = [...text.matchAll(MONEY)].find(([amount]) => !LIST_PRICES.has(amount.replace(/\s/g, "")));
  if (money) found.push(`dollar amount ${money[0]}`);
  const model = text.match(MODEL_NAMES);
  if (model) found.push(`model name ${model[0]}`);
  if (/micros/i.test(text)) found.push("a micro-dollar field");
  return found;
}
