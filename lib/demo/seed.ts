import { CUMULATIVE_PERIOD_START, recentPeriods, type BillingPeriod } from "@/lib/billing-cycle";
import { generateApiKey, hashApiKey } from "@/lib/auth/api-keys";
import { SHIPPED_DEFAULTS } from "@/lib/config/shipped-defaults";
import { AI_FEATURES } from "@/lib/limits/ai-models";
import { ALLOCATABLE_METRICS, METRICS, type MetricId } from "@/lib/limits/metrics";
import type { SqlExecutor } from "@/lib/db/sql-executor";
import { DEMO_ORGS, type DemoOrg } from "./orgs";
import { DEMO_FEATURE_TIERS, DEMO_USAGE, PAST_CYCLE_FACTORS, type DemoUsage } from "./usage-plan";

/**
 * Seeds the demo orgs with seven months of daily history. Ledger rows are
 * written first; counters and daily rollups are then derived from them in SQL,
 * so the demo starts with counters equal to the ledger, as the store keeps them.
 * Re-running replaces the demo orgs and nothing else. `seedDemoOrgCopy` seeds
 * one of them again under new ids, for a caller that needs an org of its own.
 */

const DAY_MS = 86_400_000;
const TOKENS_PER_MICRO = 0.2;
const ORG_TABLES = [
  "usage_alerts", "usage_counters", "ai_spend", "usage_ledger", "usage_daily", "ai_authorizations",
  "credit_accounts", "credit_ledger", "credit_grants", "credit_top_ups", "auto_top_up_settings", "audit_entries", "stripe_events", "api_key_uses", "api_keys", "memberships",
];

/** The demo API keys: from the environment, else the ones .env.example ships (so the README's keys always work). */
export function demoApiKeys(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(DEMO_ORGS.map((org) => [org.id, env[org.apiKeyEnv] ?? SHIPPED_DEFAULTS[org.apiKeyEnv]]));
}

interface Row {
  userId: string | null;
  metric: MetricId;
  periodStart: Date;
  quantity: number;
  feature: string | null;
  tier: string | null;
  at: Date;
}

/** Spreads `total` over the days of a period up to `now`, one row a day. */
function spread(amount: number, period: BillingPeriod, now: Date, row: Omit<Row, "quantity" | "at">): Row[] {
  const total = Math.round(amount);
  const until = Math.min(period.end.getTime(), now.getTime());
  const days = Math.max(1, Math.ceil((until - period.start.getTime() - 60_000) / DAY_MS));
  const each = Math.floor(total / days);
  return Array.from({ length: days }, (_, k) => ({
    ...row,
    quantity: k === days - 1 ? total - each * (days - 1) : each,
    at: new Date(period.start.getTime() + k * DAY_MS + 60_000),
  })).filter((r) => r.quantity !== 0);
}

function usageRows(org: DemoOrg, usage: DemoUsage, now: Date): Row[] {
  const periods = recentPeriods(org.billingAnchor, now, PAST_CYCLE_FACTORS.length + 1);
  const factors = [...PAST_CYCLE_FACTORS, 1];
  const rows: Row[] = [];
  for (const target of usage.targets) {
    const shares = Object.entries(target.byMember ?? {});
    const orgOwn = target.current - shares.reduce((sum, [, n]) => sum + n, 0);
    for (const [userId, current] of [...shares, [null, orgOwn] as const]) {
      if (!current) continue;
      if (METRICS[target.metric].cumulative) {
        // Start seven months ago at 45% of today's level and grow daily to it.
        const start = Math.round(current * 0.45);
        const level = Math.round(current);
        const first = { userId, metric: target.metric, periodStart: CUMULATIVE_PERIOD_START, feature: null, tier: null };
        rows.push({ ...first, quantity: start, at: periods[0].start });
        rows.push(...spread(level - start, { start: periods[0].start, end: now }, now, first));
      } else {
        periods.forEach((period, i) =>
          rows.push(...spread(Math.round(current * factors[i]), period, now,
            { userId, metric: target.metric, periodStart: period.start, feature: null, tier: null })),
        );
      }
    }
  }
  for (const [userId, micros] of Object.entries(usage.aiMicros)) {
    periods.forEach((period, i) => {
      const total = Math.round(micros * factors[i]);
      let left = total;
      AI_FEATURES.forEach((feature, f) => {
        const { share, tier } = DEMO_FEATURE_TIERS[feature];
        const amount = f === AI_FEATURES.length - 1 ? left : Math.round(total * share);
        left -= amount;
        const base = { userId, periodStart: period.start, feature, tier };
        rows.push(...spread(amount, period, now, { ...base, metric: "ai_budget" }));
        rows.push(...spread(Math.round(amount * TOKENS_PER_MICRO), period, now, { ...base, metric: "ai_tokens" }));
      });
    });
  }
  return rows;
}

async function insertLedger(db: SqlExecutor, orgId: string, rows: Row[]) {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = rows.slice(i, i + 5_000);
    await db.query(
      `INSERT INTO usage_ledger (org_id, user_id, metric, period_start, quantity, feature, tier, idempotency_key, created_at)
       SELECT $1, u, m, p, q, f, t, 'seed:' || n, a
       FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::text[], $7::text[], $8::timestamptz[], $9::int[])
         AS x(u, m, p, q, f, t, a, n)`,
      [
        orgId,
        chunk.map((r) => r.userId), chunk.map((r) => r.metric), chunk.map((r) => r.periodStart.toISOString()),
        chunk.map((r) => String(r.quantity)), chunk.map((r) => r.feature), chunk.map((r) => r.tier),
        chunk.map((r) => r.at.toISOString()), chunk.map((_, k) => i + k),
      ],
    );
  }
}

/** Counters and daily rollups, derived from the ledger exactly as the store would have kept them. */
async function deriveRollups(db: SqlExecutor, orgId: string) {
  await db.query(
    `INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
     SELECT org_id, '', metric, period_start, SUM(quantity - credit_micros) FROM usage_ledger WHERE org_id = $1
     GROUP BY org_id, metric, period_start`,
    [orgId],
  );
  await db.query(
    `INSERT INTO usage_counters (org_id, user_id, metric, period_start, used)
     SELECT org_id, user_id, metric, period_start, SUM(quantity) FROM usage_ledger
     WHERE org_id = $1 AND user_id IS NOT NULL AND metric = ANY($2::text[])
     GROUP BY org_id, user_id, metric, period_start`,
    [orgId, ALLOCATABLE_METRICS],
  );
  await db.query(
    `INSERT INTO ai_spend (org_id, period_start, feature, tier, spent_micros)
     SELECT org_id, period_start, feature, tier, SUM(quantity) FROM usage_ledger WHERE org_id = $1 AND metric = 'ai_budget'
     GROUP BY org_id, period_start, feature, tier`,
    [orgId],
  );
  await db.query(
    `INSERT INTO usage_daily (org_id, metric, day, quantity)
     SELECT org_id, metric, (created_at AT TIME ZONE 'UTC')::date, SUM(quantity) FROM usage_ledger WHERE org_id = $1
     GROUP BY org_id, metric, (created_at AT TIME ZONE 'UTC')::date`,
    [orgId],
  );
}

/** This cycle's refused requests, on the org's counters (they are not in the ledger: nothing was admitted). */
async function seedBlocked(db: SqlExecutor, org: DemoOrg, usage: DemoUsage, now: Date) {
  const periodStart = recentPeriods(org.billingAnchor, now, 1)[0].start;
  for (const [metric, blocked] of Object.entries(usage.blocked ?? {})) {
    await db.query(`UPDATE usage_counters SET blocked = $1 WHERE org_id = $2 AND user_id = '' AND metric = $3 AND period_start = $4`, [blocked, org.id, metric, periodStart.toISOString()]);
  }
}

/** What one org is seeded with: a demo org as listed, or a copy of one under new ids. */
interface OrgSeed {
  org: DemoOrg;
  /** Its usage, keyed by the ids in `org`. */
  usage: DemoUsage;
  apiKeyId: string;
  apiKey: string;
}

/** One org: the org, its people and memberships, its API key (stored hashed), credits and usage history. */
async function seedOrg(db: SqlExecutor, { org, usage, apiKeyId, apiKey }: OrgSeed, now: Date) {
  await db.query(
    `INSERT INTO orgs (id, name, plan, billing_anchor, ai_paused, subscription_status, preview_flag)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [org.id, org.name, org.plan, org.billingAnchor.toISOString(), org.aiPaused ?? false, org.subscriptionStatus ?? "active", org.previewFlag ?? false],
  );
  for (const m of org.members) {
    await db.query(
      `INSERT INTO users (id, email, name) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name`,
      [m.id, m.email, m.name],
    );
    await db.query(
      `INSERT INTO memberships (org_id, user_id, role, seat_type, ai_allocation_micros, enrichment_allocation)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [org.id, m.id, m.role, m.seatType, m.aiAllocationMicros ?? null, m.enrichmentAllocation ?? null],
    );
  }
  await db.query(
    `INSERT INTO api_keys (id, org_id, name, key_hash, prefix) VALUES ($1, $2, 'Demo key', $3, $4)`,
    [apiKeyId, org.id, hashApiKey(apiKey), apiKey.slice(0, 14)],
  );
  if (org.creditMicros) {
    // A promotional grant that never expires: the balance the README and the e2e specs show.
    await db.query(`SELECT ledgerline_credit_grant($1, 'grant', 'promotional', $2, 'seed:credits', NULL, $3)`, [org.id, org.creditMicros, now]);
  }
  await insertLedger(db, org.id, usageRows(org, usage, now));
  await deriveRollups(db, org.id);
  await seedBlocked(db, org, usage, now);
}

export async function seedDemo(db: SqlExecutor, now = new Date()) {
  const keys = demoApiKeys();
  const ids = DEMO_ORGS.map((org) => org.id);
  for (const table of ORG_TABLES) await db.query(`DELETE FROM ${table} WHERE org_id = ANY($1::text[])`, [ids]);
  await db.query(`DELETE FROM orgs WHERE id = ANY($1::text[])`, [ids]);

  for (const org of DEMO_ORGS) {
    await seedOrg(db, { org, usage: DEMO_USAGE[org.id], apiKeyId: `key_${org.id}`, apiKey: keys[org.id] }, now);
  }
}

export interface DemoOrgCopy {
  orgId: string;
  /** The template's member id -> the copy's. */
  userIds: Record<string, string>;
  /** The template's member id -> the copy's email address. */
  emails: Record<string, string>;
  /** The copy's own API key, generated afresh (only its hash is stored). */
  apiKey: string;
}

/** `ada@acme.test` -> `ada+<suffix>@acme.test`: the same person by name, a different address. */
function copyEmail(email: string, suffix: string): string {
  const at = email.lastIndexOf("@");
  return `${email.slice(0, at)}+${suffix}${email.slice(at)}`;
}

/**
 * Seeds one demo org again as a fresh copy under new ids (`<id>_<suffix>`):
 * the same name, plan, anchor, flags, credits and usage history as `seedDemo`
 * gives the template, and the same people (names, roles, seats, allocations)
 * as new users whose addresses carry the suffix, with an API key of its own.
 * What happens to the copy touches neither the template nor any other copy.
 */
export async function seedDemoOrgCopy(
  db: SqlExecutor,
  templateOrgId: string,
  suffix: string,
  now = new Date(),
  /** A billing anchor of the copy's own, e.g. to start its cycle a set number of days ago. */
  billingAnchor?: Date,
): Promise<DemoOrgCopy> {
  if (!/^[a-z0-9]{1,40}$/.test(suffix)) throw new Error(`A copy's suffix is lower-case letters and digits, got ${JSON.stringify(suffix)}`);
  const template = DEMO_ORGS.find((org) => org.id === templateOrgId);
  if (!template) throw new Error(`No demo org ${templateOrgId}`);
  const userIds = Object.fromEntries(template.members.map((m) => [m.id, `${m.id}_${suffix}`]));
  const emails = Object.fromEntries(template.members.map((m) => [m.id, copyEmail(m.email, suffix)]));
  const org: DemoOrg = {
    ...template,
    id: `${template.id}_${suffix}`,
    billingAnchor: billingAnchor ?? template.billingAnchor,
    members: template.members.map((m) => ({ ...m, id: userIds[m.id], email: emails[m.id] })),
  };
  const rename = <T>(byMember: Record<string, T>) => Object.fromEntries(Object.entries(byMember).map(([id, value]) => [userIds[id], value]));
  const usage = DEMO_USAGE[template.id];
  const copiedUsage: DemoUsage = {
    ...usage,
    targets: usage.targets.map((target) => (target.byMember ? { ...target, byMember: rename(target.byMember) } : target)),
    aiMicros: rename(usage.aiMicros),
  };
  const { key } = generateApiKey();
  await seedOrg(db, { org, usage: copiedUsage, apiKeyId: `key_${org.id}`, apiKey: key }, now);
  return { orgId: org.id, userIds, emails, apiKey: key };
}

/** True when the demo has not been seeded into this database yet. */
export async function needsSeed(db: SqlExecutor) {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM orgs`);
  return rows[0].n === 0;
}
