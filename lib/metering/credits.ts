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
