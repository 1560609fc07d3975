import type { Tx } from "./types";

/**
 * Prepaid AI credits. Every grant, draw-down and adjustment is a credit_ledger
 * row; credit_accounts.balance_micros is kept equal to their sum in the same
 * transaction, and held_micros reserves credits for open AI holds.
 */

export type CreditKind = "grant" | "draw_down" | "adjustment";

/** Appends a ledger row and moves the balance; a reference already used is a no-op (returns false). */
export async function postCredit(tx: Tx, orgId: string, kind: CreditKind, amountMicros: number, reference: string) {
  const inserted = await tx.$queryRaw<unknown[]>`
    INSERT INTO credit_ledger (org_id, kind, amount_micros, reference)
    VALUES (${orgId}, ${kind}, ${amountMicros}::bigint, ${reference})
    ON CONFLICT (org_id, reference) DO NOTHING RETURNING 1`;
  if (!inserted.length) return false;
  await tx.$executeRaw`
    INSERT INTO credit_accounts AS a (org_id, balance_micros) VALUES (${orgId}, ${amountMicros}::bigint)
    ON CONFLICT (org_id) DO UPDATE SET balance_micros = a.balance_micros + EXCLUDED.balance_micros`;
  return true;
}

/** Reserves credits for a hold if enough are free; false when they are not. */
export async function holdCredits(tx: Tx, orgId: string, micros: number) {
  if (micros === 0) return true;
  const rows = await tx.$queryRaw<unknown[]>`
    UPDATE credit_accounts SET held_micros = held_micros + ${micros}::bigint
    WHERE org_id = ${orgId} AND balance_micros - held_micros >= ${micros}::bigint
    RETURNING 1`;
  return rows.length > 0;
}

export async function releaseCredits(tx: Tx, orgId: string, micros: number) {
  if (micros === 0) return;
  await tx.$executeRaw`
    UPDATE credit_accounts SET held_micros = GREATEST(held_micros - ${micros}::bigint, 0) WHERE org_id = ${orgId}`;
}

/** Free credits (balance less holds), locking the account row for the rest of the transaction. */
export async function lockFreeCredits(tx: Tx, orgId: string) {
  const rows = await tx.$queryRaw<{ free: bigint }[]>`
    SELECT balance_micros - held_micros AS free FROM credit_accounts WHERE org_id = ${orgId} FOR UPDATE`;
  return rows.length ? Number(rows[0].free) : 0;
}
