import { aiReleaseBody } from "@/lib/api/schemas";
import { withApiKey } from "@/lib/api/with-api-key";
import { releaseAi } from "@/lib/metering/ai-holds";

export const POST = withApiKey(aiReleaseBody, ({ db, orgId, body }) => releaseAi(db, orgId, body.authorizationId));
