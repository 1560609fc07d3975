import { nextRoute } from "@/lib/api/endpoint";
import { usageCheck } from "@/app/api/endpoints";

export const POST = nextRoute(usageCheck);
