import type { SqlExecutor } from "@/lib/db/sql-executor";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { postCredit, type GrantSource } from "./credits";
import type { Tx } from "./types";

/**
 * Credit grants and their expiry. Each grant (a purchase, a top-up, a
 * promotional grant) carries its own optional expiry. AI spend draws the
 * expiring grants first, the soonest to expire first, then the grants that
 * never expire, oldest first: credits that would be lost go first, and among
 * the rest the order is the order they were bought in.
 *
 * A grant leaves the balance at its expiry through an `expiry` ledger row
 * dated at that instant. Whoever reaches the org's credits first after the
 * expiry writes it, under the org's credit_accounts row lock: an AI authorize
 * or settle of the org, or the sweep below (run by each server's upkeep loop)
 * for orgs that make no AI calls. A grant expires once however many race.
 *
 * AI holds reserve credits against the balance as a whole, not a grant: a
 * grant that expires under an open hold takes all that is left of it, and the
 * hold's settle then draws only on the credits still there (the pool records
 * the rest, as it records any cost of work already done past the cap). So no
 * credit is both drawn and expired, and the balance stays the ledger's sum.
 */

export interface GrantInput {
  orgId: string;
  source: GrantSource;
  amountMicros: number;
  /** Unique per org: a second grant with the same reference grants nothing. */
  reference: string;
  /** Null or absent: never expires. Must be after `now`. */
  expiresAt?: Date | null;
  now?: Date;
}

/** Grants credits in the caller's transaction; false when the reference was already used. */
export function grantCredits(tx: Tx, { orgId, source, amountMicros, reference, expiresAt, now }: GrantInput): Promise<boolean> {
  const kind = source === "adjustment" ? "adjustment" : "grant";
  return postCredit(tx, orgId, kind, amountMicros, reference, { source, expiresAt: expiresAt ?? null, now });
}

export interface SweepOptions {
  /** Orgs expired per pass; the next pass goes on. */
  maxOrgs?: number;
}

/**
 * One sweep: finds orgs with a grant past its expiry without a lock, then
 * expires each org's grants in a call of its own (one transaction per org,
 * none across orgs). Returns how many orgs it looked at and what expired.
 */
export async function expireDueCredits(sql: SqlExecutor, now = new Date(), { maxOrgs = 200 }: SweepOptions = {}) {
  const due = await sql.query<{ org_id: string }>(
    `SELECT DISTINCT org_id FROM credit_grants WHERE remaining_micros > 0 AND expires_at <= $1 LIMIT $2`,
    [now, maxOrgs],
    { name: "ledgerline_credit_expiry_due" },
  );
  let expiredMicros = 0;
  for (const { org_id: orgId } of due) {
    const [row] = await sql.query<{ expired: string }>(
      `SELECT ledgerline_expire_credits($1, $2)::text AS expired`,
      [orgId, now],
      { name: "ledgerline_expire_credits", orgId },
    );
    expiredMicros += Number(row.expired);
  }
  return { orgs: due.length, expiredMicros };
}

type GrantReader = Pick<PrismaClient, "creditGrant">;

/** What is left of a grant, for the viewers who may see dollars. */
export interface LiveGrant {
  id: string;
  source: GrantSource;
  amountMicros: number;
  remainingMicros: number;
  grantedAt: Date;
  expiresAt: Date | null;
}

/** The org's grants with something left and not past their expiry at `now`, in the order AI spend draws them. */
export async function liveCreditGrants(db: GrantReader, orgId: string, now = new Date()): Promise<LiveGrant[]> {
  const rows = await db.creditGrant.findMany({
    where: { orgId, remainingMicros: { gt: 0 }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: [{ expiresAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => ({
    id: String(row.id),
    source: row.source as GrantSource,
    amountMicros: Number(row.amountMicros),
    remainingMicros: Number(row.remainingMicros),
    grantedAt: row.createdAt,
    expiresAt: row.expiresAt,
  }));
}

/**
 * The credits that expire next, for the Usage page's "$5.00 expires Dec 31":
 * what is left of the org's soonest-expiring live grant (summed with any other
 * expiring at the same instant), or null when no live grant expires. Micro-
 * dollars: the caller shows it only to viewers who may see dollars (canSeeDollars).
 */
export async function soonestExpiringCredits(db: GrantReader, orgId: string, now = new Date()): Promise<{ amountMicros: number; expiresAt: Date } | null> {
  const next = await db.creditGrant.findFirst({
    where: { orgId, remainingMicros: { gt: 0 }, expiresAt: { gt: now } },
    orderBy: [{ expiresAt: "asc" }],
    select: { expiresAt: true },
  });
  if (!next?.expiresAt) return null;
  const sum = await db.creditGrant.aggregate({
    where: { orgId, remainingMicros: { gt: 0 }, expiresAt: next.expiresAt },
    _sum: { remainingMicros: true },
  });
  return { amountMicros: Number(sum._sum.remainingMicros ?? 0), expiresAt: next.expiresAt };
}
