import { nextRoute } from "@/lib/api/endpoint";
import { usageBatch } from "@/app/api/endpoints";

export const POST = nextRoute(usageBatch);
