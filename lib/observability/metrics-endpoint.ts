import { createHash, timingSafeEqual } from "node:crypto";
import type { Endpoint } from "@/lib/api/endpoint";
import { ApiError } from "@/lib/api/errors";
import { errorReply } from "@/lib/api/respond";
import { bearerToken } from "@/lib/auth/api-keys";
import { metrics } from "./metrics";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * GET /metrics in Prometheus' text format, for a scraper holding METRICS_TOKEN
 * as a bearer token. Without METRICS_TOKEN the route does not exist (404), so
 * a deployment exposes nothing until it chooses a token.
 */
export function metricsEndpoint(token: () => string | undefined = () => process.env.METRICS_TOKEN || undefined): Endpoint {
  return async (request) => {
    const expected = token();
    if (!expected) return errorReply(new ApiError("not_found", "No route at /metrics."));
    const given = bearerToken(request.headers.get("authorization")) ?? "";
    if (!timingSafeEqual(digest(given), digest(expected))) {
      return { ...errorReply(new ApiError("unauthorized", "Send the metrics token as a bearer token.")), headers: { "WWW-Authenticate": "Bearer" } };
    }
    const { registry } = metrics();
    return { status: 200, body: await registry.metrics(), contentType: registry.contentType };
  };
}
