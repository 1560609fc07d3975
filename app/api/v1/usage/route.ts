import { nextRoute } from "@/lib/api/endpoint";
import { usageSnapshot } from "@/app/api/endpoints";

export const GET = nextRoute(usageSnapshot);
