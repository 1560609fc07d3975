import { aiSettleBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { settleAi } from "@/lib/metering/ai-holds";

export const POST = withApiKey(aiSettleBody, ({ db, orgId, body }) => settleAi(db, { ...body, orgId }));
