import { nextRoute } from "@/lib/api/endpoint";
import { usageExport } from "@/app/api/endpoints";

export const GET = nextRoute(usageExport);
