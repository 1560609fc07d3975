import { nextRoute } from "@/lib/api/endpoint";
import { prometheusMetrics } from "@/app/api/endpoints";

export const GET = nextRoute(prometheusMetrics);
