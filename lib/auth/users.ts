import type { Tx } from "@/lib/metering/types";

/**
 * The user an email address belongs to, whatever its case: the one lookup
 * behind sign-in, invitations and sessions. (On Citus, users is a reference
 * table: this is a read on the node that asks.)
 */
export function userByEmail(db: Tx, email: string) {
  return db.user.findFirst({ where: { email: { equals: email.trim(), mode: "insensitive" } }, select: { id: true, email: true, name: true } });
}
