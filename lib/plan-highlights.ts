import { formatBytes, formatCount } from "@/lib/format";
import { PLANS, type Limit, type PlanId } from "@/lib/limits/plans";

const limitText = (limit: Limit, format: (n: number) => string) => (limit === null ? "Unlimited" : format(limit));

/** The few limits that tell plans apart, in words: "25K contacts", "Unlimited emails a month". */
export function planHighlights(id: PlanId): string[] {
  const { limits, seats } = PLANS[id];
  return [
    `${limitText(limits.contacts, formatCount)} contacts`,
    `${limitText(limits.emails_sent, formatCount)} emails a month`,
    `${limitText(limits.enrichments, formatCount)} enrichments a month`,
    `${limitText(limits.storage_bytes, formatBytes)} storage`,
    seats.power === 1 ? "1 Power seat" : `${limitText(seats.power, String)} Power seats`,
  ];
}
