import { handlers } from "@/auth";
import { ApiError } from "@/lib/api/errors";
import { errorResponse } from "@/lib/api/respond";
import { signInFailures } from "@/lib/auth/failure-limiter";
import { requestClientAddress } from "@/lib/http/client-address";

export const { GET } = handlers;

/** Sign-in attempts, with an abuse limit: an address that keeps failing gets 429 for a while. */
export async function POST(request: Request) {
  const client = requestClientAddress(request.headers);
  const failures = signInFailures();
  const wait = failures.retryAfter(client);
  if (wait !== null) {
    return errorResponse(new ApiError("rate_limited", "Too many failed sign-in attempts from this address; try again later.", {}, wait));
  }
  const response = await handlers.POST(request as Parameters<typeof handlers.POST>[0]);
  // Auth.js answers a refused sign-in by sending the browser back with ?error=.
  if (response.headers.get("location")?.includes("error=")) await failures.recordFailure(client);
  return response;
}
