import { ALLOCATABLE_METRICS } from "@/lib/limits/metrics";
import { randomUUID } from "node:crypto";
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore, type OpenStore } from "@/lib/db/open";
import type { PlanId } from "@/lib/limits/plans";

/** The store under test: the per-run Postgres database, or an in-memory PGlite. */
let opening: Promise<OpenStore> | undefined;

/** Callers that ask at once all wait for the same store, migrated. */
export function testStore(): Promise<OpenStore> {
  opening ??= (async () => {
    const opened = openStore(storeLocation(), { poolSize: 40 });
    // The server database is migrated once by global-setup; a fresh PGlite needs it here.
    if (opened.singleConnection) await applyMigrations(opened.sql);
    // Server code under test (route handlers) reaches the store through lib/db: share this one.
    (globalThis as { ledgerlineStore?: OpenStore }).ledgerlineStore = opened;
    return opened;
  })();
  return opening;
}

/** Concurrency proofs need a real server: PGlite is one connection. */
export const onServer = Boolean(process.env.DATABASE_URL);

export interface OrgFactoryOptions {
  plan?: PlanId;
  anchor?: Date;
  overrides?: Record<string, number | null>;
  aiPaused?: boolean;
  creditMicros?: number;
  members?: {
    id?: string;
    role?: "super_admin" | "admin" | "manager" | "user";
    seatType?: "power" | "collaborator";
    aiAllocationMicros?: number;
    enrichmentAllocation?: number;
  }[];
}

/** Creates an org with members; ids are unique so tests never see each other's rows. */
export async function createOrg(options: OrgFactoryOptions = {}) {
  const store = await testStore();
  const orgId = `org_${randomUUID()}`;
  await store.prisma.org.create({
    data: {
      id: orgId,
      name: "Test org",
      plan: options.plan ?? "pro",
      billingAnchor: options.anchor ?? new Date("2026-01-15T00:00:00Z"),
      aiPaused: options.aiPaused ?? false,
      limitOverrides: options.overrides ?? {},
    },
  });
  const members: string[] = [];
  for (const member of options.members ?? []) {
    const userId = member.id ?? `user_${randomUUID()}`;
    await store.prisma.user.create({ data: { id: userId, email: `${userId}@example.test`, name: userId } });
    await store.prisma.membership.create({
      data: {
        orgId,
        userId,
        role: member.role ?? "user",
        seatType: member.seatType ?? "collaborator",
        aiAllocationMicros: member.aiAllocationMicros,
        enrichmentAllocation: member.enrichmentAllocation,
      },
    });
    members.push(userId);
  }
  if (options.creditMicros) {
    await store.prisma.$transaction(async (tx) => {
      const { postCredit } = await import("@/lib/metering/credits");
      await postCredit(tx, orgId, "grant", options.creditMicros!, "test:grant");
    });
  }
  return { orgId, members, db: store.prisma, sql: store.sql };
}

/** Counters must always equal the ledger's sums; returns the mismatches (none expected). */
export async function ledgerMismatches(orgId: string) {
  const store = await testStore();
  return store.sql.query<{ metric: string; user_id: string; used: string; ledger: string }>(
    `WITH ledger AS (
       SELECT '' AS user_id, metric, period_start, SUM(quantity - credit_micros) AS total FROM usage_ledger WHERE org_id = $1 GROUP BY metric, period_start
       UNION ALL
       SELECT user_id, metric, period_start, SUM(quantity) FROM usage_ledger
       WHERE org_id = $1 AND user_id IS NOT NULL AND metric = ANY($2::text[]) GROUP BY user_id, metric, period_start
     )
     SELECT c.metric, c.user_id, c.used::text, COALESCE(l.total, 0)::text AS ledger
     FROM usage_counters c LEFT JOIN ledger l USING (user_id, metric, period_start)
     WHERE c.org_id = $1 AND c.used <> COALESCE(l.total, 0)`,
    [orgId, ALLOCATABLE_METRICS],
  );
}
