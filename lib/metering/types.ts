import type { PrismaClient } from "@/lib/generated/prisma/client";

/** What store functions run their SQL on: the client or an open transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/** Transactions wait their turn on hot rows rather than failing after Prisma's 2 s default. */
export const TX_OPTIONS = { maxWait: 20_000, timeout: 20_000 } as const;

export interface CounterKey {
  orgId: string;
  /** '' is the org total; a member id is that member's share. */
  userId: string;
  metric: string;
  periodStart: Date;
}

export const ORG_TOTAL = "";
