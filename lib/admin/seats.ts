import { ApiError } from "@/lib/api/errors";
import { PLANS, type Limit, type PlanId } from "@/lib/limits/plans";
import type { Tx } from "@/lib/metering/types";

/**
 * Seat caps gate who may join, never what members do: nothing here is on the
 * metering path, so AI, email and every metered action ignore seats entirely.
 * A seat is taken by a member of that seat type or by an open invitation for
 * one (not accepted, revoked or expired).
 */

export const SEAT_TYPES = ["power", "collaborator"] as const;
export type SeatType = (typeof SEAT_TYPES)[number];

export const SEAT_LABELS: Record<SeatType, string> = { power: "Power", collaborator: "Collaborator" };

export interface SeatCount {
  seatType: SeatType;
  members: number;
  pending: number;
  limit: Limit;
}

/**
 * Serializes seat-taking within an org for the rest of the transaction, so two
 * invitations sent at once cannot both take the last seat (never count-then-create).
 */
export async function lockSeats(tx: Tx, orgId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ledgerline:seats:${orgId}`}, 0))`;
}

export async function countSeats(tx: Tx, orgId: string, plan: PlanId, now: Date): Promise<SeatCount[]> {
  const rows = await tx.$queryRaw<{ seat_type: SeatType; members: bigint; pending: bigint }[]>`
    SELECT t.seat_type,
      (SELECT count(*) FROM memberships m WHERE m.org_id = ${orgId} AND m.seat_type::text = t.seat_type) AS members,
      (SELECT count(*) FROM invitations i WHERE i.org_id = ${orgId} AND i.seat_type::text = t.seat_type
         AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ${now}) AS pending
    FROM (VALUES ('power'), ('collaborator')) AS t(seat_type)`;
  return rows.map((row) => ({ seatType: row.seat_type, members: Number(row.members), pending: Number(row.pending), limit: PLANS[plan].seats[row.seat_type] }));
}

/** Refuses to take a seat of this type when members and open invitations already fill the plan's cap. */
export async function requireFreeSeat(tx: Tx, org: { id: string; plan: PlanId }, seatType: SeatType, now: Date) {
  const count = (await countSeats(tx, org.id, org.plan, now)).find((c) => c.seatType === seatType)!;
  if (count.limit === null || count.members + count.pending < count.limit) return;
  const label = SEAT_LABELS[seatType];
  const held = count.pending ? `${count.members} ${plural(count.members, "member")} and ${count.pending} pending ${plural(count.pending, "invitation")}` : `${count.members} ${plural(count.members, "member")}`;
  throw new ApiError(
    "seat_limit_reached",
    `${count.limit === 1 ? `The only ${label} seat` : `All ${count.limit} ${label} seats`} on the ${PLANS[org.plan].name} plan ${count.limit === 1 ? "is" : "are"} taken (${held}). ` +
      `Upgrade the plan in Admin > Billing, or revoke a pending invitation, to add another ${label} member.`,
    { seatType, limit: count.limit, members: count.members, pending: count.pending },
  );
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
