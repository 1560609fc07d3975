import { nextRoute } from "@/lib/api/endpoint";
import { aiSettle } from "@/app/api/endpoints";

export const POST = nextRoute(aiSettle);
