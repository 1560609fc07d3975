import { usageConsumeBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { consumeUsage } from "@/lib/metering/consume";

export const POST = withApiKey(
  usageConsumeBody,
  ({ sql, orgId, apiKeyHash, body }) => consumeUsage(sql, { ...body, orgId }, { apiKeyHash }),
  { keyCheckedByStore: true },
);
