import type { Tx } from "./types";

/**
 * Prepaid AI credits. Every grant, draw-down, adjustment and expiry is a
 * credit_ledger row; credit_accounts.balance_micros is kept equal to their sum
 * in the same transaction, and held_micros reserves credits for open AI holds.
 * A positive row opens a grant (credit_grants) with an optional expiry; the
 * balance is also the sum of what is left of the grants. The store's
 * functions own the rules (migration 20261203100000_credit_grants): a grant is
 * `ledgerline_credit_grant`, a draw takes from the grants in draw order
 * (`ledgerline_draw_credits`), an expiry is `ledgerline_expire_credits`.
 */

export type CreditKind = "grant" | "draw_down" | "adjustment";

/** Where a grant's credits came from: a Checkout purchase, an automatic top-up, a promotion, or a correction. */
export type GrantSource = "purchase" | "top_up" | "promotional" | "adjustment";

export interface CreditOptions {
  /** For a grant: defaults to purchase for `grant` rows, adjustment for `adjustment` rows. */
  source?: GrantSource;
  /** For a grant: when what is left of it leaves the balance; null or absent never. Must be after `now`. */
  expiresAt?: Date | null;
  now?: Date;
}

/**
 * The org's credit balance, with its account row locked until the transaction
 * ends (the lock every writer of an org's credits takes first), so a grant's
 * audit can say the balance before it; 0 before the org's first grant.
 */
export async function lockCreditBalance(tx: Tx, orgId: string): Promise<number> {
  const [account] = await tx.$queryRaw<{ balance_micros: bigint }[]>`
    SELECT balance_micros FROM credit_accounts WHERE org_id = ${orgId} FOR UPDATE`;
  return Number(account?.balance_micros ?? 0);
}

/**
 * Appends a ledger row and moves the balance; a reference already used is a
 * no-op (returns false). A positive amount opens a grant; a negative one is
 * drawn from the live grants in draw order, after any past their expiry have
 * expired, and fails (rolling the transaction back) if they cannot cover it.
 */
export async function postCredit(tx: Tx, orgId: string, kind: CreditKind, amountMicros: number, reference: string, options: CreditOptions = {}) {
  const now = options.now ?? new Date();
  if (amountMicros > 0) {
    const source = options.source ?? (kind === "adjustment" ? "adjustment" : "purchase");
    const [row] = await tx.$queryRaw<{ granted: boolean }[]>`
      SELECT ledgerline_credit_grant(${orgId}, ${kind}, ${source}, ${amountMicros}::bigint, ${reference}, ${options.expiresAt ?? null}::timestamptz, ${now}::timestamptz) AS granted`;
    return row.granted;
  }
  // The account row's lock comes first, as in every writer of an org's credits.
  await tx.$executeRaw`SELECT ledgerline_expire_credits(${orgId}, ${now}::timestamptz)`;
  const inserted = await tx.$queryRaw<unknown[]>`
    INSERT INTO credit_ledger (org_id, kind, amount_micros, reference, created_at)
    VALUES (${orgId}, ${kind}, ${amountMicros}::bigint, ${reference}, ${now}::timestamptz)
    ON CONFLICT (org_id, reference) DO NOTHING RETURNING 1`;
  if (!inserted.length) return false;
  await tx.$executeRaw`SELECT ledgerline_draw_credits(${orgId}, ${now}::timestamptz, ${-amountMicros}::bigint)`;
  await tx.$executeRaw`UPDATE credit_accounts SET balance_micros = balance_micros + ${amountMicros}::bigint WHERE org_id = ${orgId}`;
  return true;
}
