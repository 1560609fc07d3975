import { ROLE_LABELS, type Role } from "@/lib/auth/roles";
import { formatMicros, formatPercent } from "@/lib/format";
import { percentUsed } from "@/lib/limits/cap-policy";
import type { Limit } from "@/lib/limits/plans";
import type { MemberScope, MemberUsage, UsageSnapshot } from "@/lib/metering/snapshot";
import { MEMBERS_PAGE_SIZE, pagesView, type PagesView } from "@/lib/pagination";
import { meterTone } from "@/lib/meter-tone";
import { cycleLabel, type BarView } from "@/lib/usage-view";

/**
 * Admin > Usage & Limits, worded: each member's AI budget and enrichments this
 * cycle against their allocation (or the shared pool), and what the edit form
 * starts from. Admins see dollars, so AI amounts are in dollars here.
 */

export interface AllocationCellView {
  used: string;
  /** "$10.00" or "100"; null when the member shares the pool. */
  allocation: string | null;
  /** Against the allocation, or against the pool for members who share it. */
  bar: BarView | null;
  percentLabel: string;
  /** The edit form's starting value: "10.00", "100", or blank for the pool. */
  input: string;
  blocked: number;
}

export interface AllocationRowView {
  userId: string;
  name: string;
  email: string;
  role: string;
  ai: AllocationCellView;
  enrichments: AllocationCellView;
}

export interface AllocationsView {
  orgId: string;
  periodLabel: string;
  aiPool: string;
  enrichmentPool: string;
  /** This page's members, in the order they joined. */
  rows: AllocationRowView[];
  pages: PagesView;
}


const exact = (n: number) => n.toLocaleString("en-US");
const dollarsInput = (micros: number) => (micros / 1_000_000).toFixed(2);

function cell(used: number, allocation: number | null, pool: Limit, blocked: number, format: (n: number) => string, input: (n: number) => string): AllocationCellView {
  const against = allocation ?? pool;
  const percent = against === null ? null : percentUsed(used, against);
  return {
    used: format(used),
    allocation: allocation === null ? null : format(allocation),
    bar: percent === null ? null : { percent, label: formatPercent(percent), tone: meterTone(percent) },
    percentLabel: percent === null ? "No cap" : allocation === null ? `${formatPercent(percent)} of the pool` : `${formatPercent(percent)} of allocation`,
    input: allocation === null ? "" : input(allocation),
    blocked,
  };
}

function row(member: MemberUsage, snapshot: UsageSnapshot): AllocationRowView {
  const enrichmentPool = snapshot.meters.find((m) => m.metric === "enrichments")!.limit;
  return {
    userId: member.userId,
    name: member.name,
    email: member.email,
    role: ROLE_LABELS[member.role as Role],
    ai: cell(member.ai.usedMicros, member.ai.allocationMicros, snapshot.ai.limitMicros, member.ai.blocked, formatMicros, dollarsInput),
    enrichments: cell(member.enrichments.used, member.enrichments.allocation, enrichmentPool, member.enrichments.blocked, exact, String),
  };
}

/** The members a snapshot for this page lists (`page` from 1; out of range is the nearest page). */
export const allocationsPage = (page = 1): MemberScope => ({ page, pageSize: MEMBERS_PAGE_SIZE });

/** One page of the members, from a snapshot read with `allocationsPage(page)`. */
export function toAllocationsView(snapshot: UsageSnapshot, page = 1): AllocationsView {
  const enrichmentPool = snapshot.meters.find((m) => m.metric === "enrichments")!.limit;
  return {
    orgId: snapshot.org.id,
    periodLabel: cycleLabel(snapshot.period),
    aiPool: snapshot.ai.limitMicros === null ? "Unlimited" : formatMicros(snapshot.ai.limitMicros),
    enrichmentPool: enrichmentPool === null ? "Unlimited" : exact(enrichmentPool),
    rows: snapshot.members.map((m) => row(m, snapshot)),
    pages: pagesView(page, snapshot.memberCount, snapshot.members.length),
  };
}
