import { nextRoute } from "@/lib/api/endpoint";
import { health } from "@/app/api/endpoints";

export const GET = nextRoute(health);
