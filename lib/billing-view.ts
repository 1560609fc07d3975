import { storedOrg } from "@/lib/db/stored-values";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { canManagePlan, canSeeDollars, isAdmin, type Role } from "@/lib/auth/roles";
import { billingPeriodFor } from "@/lib/billing-cycle";
import { formatMicros, formatShortDate } from "@/lib/format";
import { PLAN_IDS, PLANS, type Limit, type PlanId } from "@/lib/limits/plans";
import { AUTO_TOP_UP, BILLING_INTERVALS, type BillingInterval } from "@/lib/limits/stripe-prices";
import { readAutoTopUp, recentTopUps, type TopUpStatus } from "@/lib/metering/auto-top-up";
import { liveCreditGrants } from "@/lib/metering/credit-grants";
import { planHighlights } from "@/lib/plan-highlights";
import { listPrice, type ListPrice } from "@/lib/plan-price";

/**
 * What the billing pages show, read in one go and stripped by the same rule
 * as the Usage page: balances and ledger amounts only for viewers who may see
 * dollars. The ledger is left out altogether for the others: without its
 * amounts it says nothing. Plan prices are the public list prices, shown to
 * every member.
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
    return { tone: "danger", label: "Payment failed", detail: "Payment retries are exhausted and AI access is paused until an invoice is paid. Emails, enrichments and everything else keep working." };
  }
  if (status === "past_due") {
    return { tone: "warning", label: "Payment past due", detail: "The last invoice failed and Stripe is retrying it. If every retry fails, AI access is paused." };
  }
  if (status === "unpaid") return { tone: "danger", label: "Payment failed", detail: "The last invoice could not be collected." };
  if (status === "active" || status === "trialing") return { tone: "ok", label: "In good standing", detail: "The latest invoice is paid." };
  return { tone: "neutral", label: STATUS_LABELS[status] ?? status, detail: "The subscription is not active." };
}

export interface PlanOption {
  id: PlanId;
  name: string;
  price: ListPrice;
  highlights: string[];
}

export interface CreditEntryView {
  id: string;
  kind: string;
  date: string;
  /** Signed: "+$25.00" for a grant, "-$0.42" for a draw-down. */
  amount: string;
  reference: string;
}

/** A grant with something left, in the order AI spend draws on them. */
export interface CreditGrantView {
  id: string;
  /** "Purchase", "Top-up", "Promotional" or "Adjustment". */
  source: string;
  granted: string;
  remaining: string;
  /** "Dec 31, 2026", or null for credits that never expire. */
  expires: string | null;
}

/** One automatic top-up, for dollar viewers. */
export interface TopUpView {
  id: string;
  date: string;
  /** "Credited", "Failed", ... */
  status: string;
  tone: "ok" | "neutral" | "danger";
  amount: string;
  /** Why it failed or was refused. */
  detail: string | null;
}

/**
 * Auto top-up as the viewer may see it: whether it is on for everyone; the
 * rule in dollars for dollar viewers; the form's values (dollars as typed,
 * "10.00") for admins; the recent top-ups for dollar viewers.
 */
export interface AutoTopUpView {
  enabled: boolean;
  rule: string | null;
  form: { enabled: boolean; threshold: string; amount: string; monthlyCap: string } | null;
  recent: TopUpView[] | null;
}

export interface BillingView {
  orgId: string;
  orgName: string;
  plan: PlanOption;
  interval: BillingInterval;
  intervalLabel: string;
  statusLabel: string;
  /** When the usage counters next reset: the billing anchor's next occurrence. */
  nextReset: string;
  payment: PaymentState;
  /** A live Stripe subscription: a plan change updates it instead of going through Checkout. */
  hasSubscription: boolean;
  /** "$25.00" for dollar viewers, "Available" for others, null without credits. */
  credits: string | null;
  /** The newest credit ledger rows, for dollar viewers only. */
  creditLedger: { entries: CreditEntryView[]; total: number } | null;
  /** The live grants, soonest-expiring first, for dollar viewers only. */
  creditGrants: CreditGrantView[] | null;
  autoTopUp: AutoTopUpView;
  seats: { label: string; used: number; limit: string; over: boolean }[];
  /** May open Admin > Billing (managers and up). */
  canManage: boolean;
  /** May use the billing actions: admins only. */
  canAct: boolean;
}

/** How many ledger rows the pages list; the balance is always the sum of all of them. */
export const CREDIT_LEDGER_ROWS = 20;

const CREDIT_KIND_LABELS: Record<string, string> = { grant: "Grant", draw_down: "Draw-down", adjustment: "Adjustment", expiry: "Expiry" };
const GRANT_SOURCE_LABELS: Record<string, string> = { purchase: "Purchase", top_up: "Top-up", promotional: "Promotional", adjustment: "Adjustment" };
const ledgerDate = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
/** Subscription states Stripe will bill no more. */
const ENDED_STATUSES = new Set(["canceled", "incomplete_expired"]);

const seatLimit = (limit: Limit) => (limit === null ? "Unlimited" : String(limit));
const signedMicros = (micros: number) => (micros > 0 ? `+${formatMicros(micros)}` : formatMicros(micros));

export function planOption(id: PlanId, interval: BillingInterval = "month"): PlanOption {
  return { id, name: PLANS[id].name, price: listPrice(id, interval), highlights: planHighlights(id) };
}

export interface IntervalChoice {
  interval: BillingInterval;
  label: string;
}

/** The intervals a paid plan can be billed at, with their prices; Free bills nothing. */
export function intervalChoices(id: PlanId): IntervalChoice[] {
  if (id === "free") return [];
  return BILLING_INTERVALS.map((interval) => {
    const price = listPrice(id, interval);
    return { interval, label: `${interval === "year" ? "Annual" : "Monthly"} · ${price.amount}${price.per}` };
  });
}

export function planCatalog(): PlanOption[] {
  return PLAN_IDS.map((id) => planOption(id));
}

export async function getBillingView(db: PrismaClient, orgId: string, role: Role, now = new Date()): Promise<BillingView> {
  const [org, credits, seatCounts] = await Promise.all([
    db.org.findUniqueOrThrow({ where: { id: orgId } }).then(storedOrg),
    db.creditAccount.findUnique({ where: { orgId } }),
    db.membership.groupBy({ by: ["seatType"], where: { orgId }, _count: true }),
  ]);
  const showDollars = canSeeDollars(role, org.previewFlag);
  const balance = Number(credits?.balanceMicros ?? 0);
  const seatsUsed = (type: string) => seatCounts.find((s) => s.seatType === type)?._count ?? 0;
  const seatLimits = PLANS[org.plan].seats;
  const seat = (label: string, used: number, limit: Limit) => ({ label, used, limit: seatLimit(limit), over: limit !== null && used > limit });
  return {
    orgId: org.id,
    orgName: org.name,
    plan: planOption(org.plan, org.billingInterval),
    interval: org.billingInterval,
    intervalLabel: org.plan === "free" ? "No billing" : org.billingInterval === "year" ? "Annual" : "Monthly",
    statusLabel: org.plan === "free" ? "Free" : (STATUS_LABELS[org.subscriptionStatus] ?? org.subscriptionStatus),
    nextReset: formatShortDate(billingPeriodFor(org.billingAnchor, now).end),
    payment: paymentStateFor(org.plan, org.subscriptionStatus, org.aiPaused),
    hasSubscription: org.stripeSubscriptionId !== null && !ENDED_STATUSES.has(org.subscriptionStatus),
    credits: balance > 0 ? (showDollars ? formatMicros(balance) : "Available") : null,
    creditLedger: showDollars ? await creditLedger(db, orgId) : null,
    creditGrants: showDollars ? await creditGrants(db, orgId, now) : null,
    autoTopUp: await autoTopUp(db, orgId, { showDollars, admin: isAdmin(role) }),
    seats: [seat("Power", seatsUsed("power"), seatLimits.power), seat("Collaborator", seatsUsed("collaborator"), seatLimits.collaborator)],
    canManage: canManagePlan(role),
    canAct: isAdmin(role),
  };
}

async function creditLedger(db: PrismaClient, orgId: string): Promise<BillingView["creditLedger"]> {
  const [rows, total] = await Promise.all([
    db.creditLedger.findMany({ where: { orgId }, orderBy: { id: "desc" }, take: CREDIT_LEDGER_ROWS }),
    db.creditLedger.count({ where: { orgId } }),
  ]);
  const entries = rows.map((row) => ({
    id: String(row.id),
    kind: CREDIT_KIND_LABELS[row.kind] ?? row.kind,
    date: ledgerDate.format(row.createdAt),
    amount: signedMicros(Number(row.amountMicros)),
    reference: row.reference,
  }));
  return { entries, total };
}

async function creditGrants(db: PrismaClient, orgId: string, now: Date): Promise<CreditGrantView[]> {
  return (await liveCreditGrants(db, orgId, now)).map((grant) => ({
    id: grant.id,
    source: GRANT_SOURCE_LABELS[grant.source] ?? grant.source,
    granted: formatMicros(grant.amountMicros),
    remaining: formatMicros(grant.remainingMicros),
    expires: grant.expiresAt ? ledgerDate.format(grant.expiresAt) : null,
  }));
}

const TOP_UP_STATUS: Record<TopUpStatus, { label: string; tone: TopUpView["tone"] }> = {
  pending: { label: "Waiting to be charged", tone: "neutral" },
  sent: { label: "Charging", tone: "neutral" },
  succeeded: { label: "Credited", tone: "ok" },
  failed: { label: "Failed", tone: "danger" },
  refused: { label: "Refused", tone: "danger" },
};

/** Whole cents as a form shows them: 12_500_000 -> "12.50" (integer arithmetic, no float). */
export function dollarsText(micros: number): string {
  const cents = Math.round(micros / 10_000);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

async function autoTopUp(db: PrismaClient, orgId: string, viewer: { showDollars: boolean; admin: boolean }): Promise<AutoTopUpView> {
  const [settings, recent] = await Promise.all([readAutoTopUp(db, orgId), viewer.showDollars ? recentTopUps(db, orgId) : null]);
  const shown = settings ?? { enabled: false, ...AUTO_TOP_UP.defaults };
  return {
    enabled: settings?.enabled ?? false,
    rule: viewer.showDollars && settings
      ? `When credits fall below ${formatMicros(settings.thresholdMicros)}, buy ${formatMicros(settings.amountMicros)}, at most ${formatMicros(settings.monthlyCapMicros)} a month.`
      : null,
    form: viewer.admin
      ? { enabled: shown.enabled, threshold: dollarsText(shown.thresholdMicros), amount: dollarsText(shown.amountMicros), monthlyCap: dollarsText(shown.monthlyCapMicros) }
      : null,
    recent: recent?.map((topUp) => ({
      id: topUp.id,
      date: ledgerDate.format(topUp.createdAt),
      status: TOP_UP_STATUS[topUp.status].label,
      tone: TOP_UP_STATUS[topUp.status].tone,
      amount: formatMicros(topUp.amountMicros),
      detail: topUp.status === "refused" ? "This month's top-ups would have passed the monthly cap." : topUp.failure,
    })) ?? null,
  };
}

/** What confirming a change to `target` will do, worded for the viewer. */
export function planChangeDescription(billing: BillingView, target: PlanId): string {
  if (!billing.canAct) return "Only an admin can confirm a plan change.";
  if (target === "free") {
    return billing.hasSubscription
      ? "Confirming ends the subscription at the close of the paid period; the organization then moves to Free."
      : "There is no Stripe subscription to end.";
  }
  return billing.hasSubscription
    ? "Confirming updates the subscription now; Stripe invoices the prorated difference at once."
    : "Confirming opens Stripe Checkout to start the subscription.";
}
