import { nextRoute } from "@/lib/api/endpoint";
import { openApi } from "@/app/api/endpoints";

export const GET = nextRoute(openApi);
