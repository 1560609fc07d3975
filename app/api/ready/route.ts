import { nextRoute } from "@/lib/api/endpoint";
import { readiness } from "@/app/api/endpoints";

export const GET = nextRoute(readiness);
