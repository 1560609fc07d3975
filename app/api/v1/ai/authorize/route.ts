import { aiAuthorizeBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { authorizeAi } from "@/lib/metering/ai-holds";

export const POST = withApiKey(aiAuthorizeBody, ({ db, orgId, body }) => authorizeAi(db, { ...body, orgId }));
