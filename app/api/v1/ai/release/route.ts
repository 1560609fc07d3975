import { nextRoute } from "@/lib/api/endpoint";
import { aiRelease } from "@/app/api/endpoints";

export const POST = nextRoute(aiRelease);
