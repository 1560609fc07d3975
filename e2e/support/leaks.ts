import { SEEDED_MODEL_IDS } from "../../tests/support/seeded-models";

/**
 * What must never reach a plain user's browser. Money is matched with its
 * cents ("$12.34"), the only way the app writes it: a bare "$1" is a reference
 * inside the RSC payload, not a price.
 */
export const MONEY = /\$\s?\d{1,3}(,\d{3})*\.\d{2}/;
const MODEL_NAMES = new RegExp([...SEEDED_MODEL_IDS.map((id) => id.replace(/\./g, "\\.")), "claude", "gpt-\\d"].join("|"), "i");

export function leaksIn(text: string): string[] {
  const found: string[] = [];
  const money = text.match(MONEY);
  if (money) found.push(`dollar amount ${money[0]}`);
  const model = text.match(MODEL_NAMES);
  if (model) found.push(`model name ${model[0]}`);
  if (/micros/i.test(text)) found.push("a micro-dollar field");
  return found;
}
