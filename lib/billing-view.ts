import type { PrismaClient } from "@/lib/generated/prisma/client";
import { canManagePlan, canSeeDollars, type Role } from "@/lib/auth/roles";
import { formatMicros } from "@/lib/format";
import { PLAN_IDS, PLANS, type Limit, type PlanId } from "@/lib/limits/plans";
import { planHighlights } from "@/lib/plan-highlights";

/**
 * What the billing pages show, read in one go and stripped by the same rule
 * as the Usage page: prices and balances only for viewers who may see dollars.
 */

export type PaymentTone = "ok" | "neutral" | "warning" | "danger";

export interface PaymentState {
  tone: PaymentTone;
  label: string;
  detail: string;
}

const STATUS_LABELS: Record<string, string> = {
  active: "Active",
  trialing: "Trialing",
  past_due: "Past due",
  unpaid: "Unpaid",
  canceled: "Canceled",
  incomplete: "Incomplete",
  incomplete_expired: "Expired",
  paused: "Paused",
};

export function paymentStateFor(plan: PlanId, status: string, aiPaused: boolean): PaymentState {
  if (plan === "free") return { tone: "neutral", label: "No payment needed", detail: "The Free plan has no subscription to pay." };
  if (aiPaused) {
    return { tone: "danger", label: "Payment failed", detail: "Payment retries are exhausted and AI access is paused. Update the payment method to restore it." };
  }
  if (status === "past_due") return { tone: "warning", label: "Payment past due", detail: "The last invoice failed and is being retried." };
  if (status === "unpaid") return { tone: "danger", label: "Payment failed", detail: "The last invoice could not be collected." };
  if (status === "active" || status === "trialing") return { tone: "ok", label: "In good standing", detail: "The latest invoice is paid." };
  return { tone: "neutral", label: STATUS_LABELS[status] ?? status, detail: "The subscription is not active." };
}

export interface PlanOption {
  id: PlanId;
  name: string;
  price: { amount: string; per: string } | null;
  highlights: string[];
}

export interface BillingView {
  orgName: string;
  plan: PlanOption;
  intervalLabel: string;
  statusLabel: string;
  payment: PaymentState;
  /** "$25.00" for dollar viewers, "Available" for others, null without credits. */
  credits: string | null;
  seats: { label: string; used: number; limit: string }[];
  canManage: boolean;
}

const seatLimit = (limit: Limit) => (limit === null ? "Unlimited" : String(limit));

export function planOption(id: PlanId, showDollars: boolean, interval: "month" | "year" = "month"): PlanOption {
  const plan = PLANS[id];
  const annual = interval === "year";
  return {
    id,
    name: plan.name,
    price: showDollars ? { amount: formatMicros(annual ? plan.annualPriceMicros : plan.monthlyPriceMicros), per: annual ? "/year" : "/month" } : null,
    highlights: planHighlights(id),
  };
}

export function planCatalog(showDollars: boolean): PlanOption[] {
  return PLAN_IDS.map((id) => planOption(id, showDollars));
}

export async function getBillingView(db: PrismaClient, orgId: string, role: Role): Promise<BillingView> {
  const [org, credits, seatCounts] = await Promise.all([
    db.org.findUniqueOrThrow({ where: { id: orgId } }),
    db.creditAccount.findUnique({ where: { orgId } }),
    db.membership.groupBy({ by: ["seatType"], where: { orgId }, _count: true }),
  ]);
  const showDollars = canSeeDollars(role, org.previewFlag);
  const balance = Number(credits?.balanceMicros ?? 0);
  const seatsUsed = (type: string) => seatCounts.find((s) => s.seatType === type)?._count ?? 0;
  const seatLimits = PLANS[org.plan].seats;
  return {
    orgName: org.name,
    plan: planOption(org.plan, showDollars, org.billingInterval),
    intervalLabel: org.plan === "free" ? "No billing" : org.billingInterval === "year" ? "Annual" : "Monthly",
    statusLabel: org.plan === "free" ? "Free" : (STATUS_LABELS[org.subscriptionStatus] ?? org.subscriptionStatus),
    payment: paymentStateFor(org.plan, org.subscriptionStatus, org.aiPaused),
    credits: balance > 0 ? (showDollars ? formatMicros(balance) : "Available") : null,
    seats: [
      { label: "Power", used: seatsUsed("power"), limit: seatLimit(seatLimits.power) },
      { label: "Collaborator", used: seatsUsed("collaborator"), limit: seatLimit(seatLimits.collaborator) },
    ],
    canManage: canManagePlan(role),
  };
}
