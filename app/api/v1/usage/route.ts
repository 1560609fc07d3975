import { withApiKey } from "@/lib/api/with-api-key";
import { getUsageSnapshot } from "@/lib/metering/snapshot";

export const GET = withApiKey(null, ({ db, orgId }) => getUsageSnapshot(db, orgId));
