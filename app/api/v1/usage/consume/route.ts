import { nextRoute } from "@/lib/api/endpoint";
import { usageConsume } from "@/app/api/endpoints";

export const POST = nextRoute(usageConsume);
