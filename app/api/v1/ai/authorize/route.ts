import { nextRoute } from "@/lib/api/endpoint";
import { aiAuthorize } from "@/app/api/endpoints";

export const POST = nextRoute(aiAuthorize);
