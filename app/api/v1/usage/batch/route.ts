import { usageBatchBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { consumeBatch } from "@/lib/metering/consume";

/** Up to 1,000 events per request, each all or nothing with its own answer. */
export const POST = withApiKey(
  usageBatchBody,
  async ({ sql, orgId, apiKeyHash, body }) => {
    const outcomes = await consumeBatch(sql, orgId, body.events, { apiKeyHash });
    const results = outcomes.map((o) => (o.ok ? { status: 200, ...o.decision } : { status: o.error.status, ...o.error.toJSON() }));
    return { admitted: outcomes.filter((o) => o.ok).length, denied: outcomes.filter((o) => !o.ok).length, results };
  },
  { keyCheckedByStore: true, maxBodyBytes: 1024 * 1024 },
);
