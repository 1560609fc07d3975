import { usageCheckBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { checkUsage } from "@/lib/metering/consume";

export const POST = withApiKey(usageCheckBody, ({ db, orgId, body }) => checkUsage(db, { ...body, orgId }));
