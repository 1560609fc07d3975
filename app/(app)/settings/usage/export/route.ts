import { replyResponse } from "@/lib/api/endpoint";
import { errorResponse } from "@/lib/api/respond";
import { requireSession } from "@/lib/auth/session";
import { store } from "@/lib/db";
import { usageExport } from "@/lib/export/usage-export";

/**
 * The Usage page's "Download CSV": the same export as GET /api/v1/usage/export
 * (same query; CSV, grouped by day, over the current cycle by default), as the
 * signed-in member may see it: dollars only for those canSeeDollars admits,
 * a user's own usage only (lib/export/usage-export.ts, readerScope). Signed
 * out, it sends the browser to sign-in as every page does (the proxy, or
 * requireSession for a cookie that names no live session).
 */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const session = await requireSession(url.pathname);
  try {
    const reply = await usageExport(store().sql, {
      orgId: session.orgId,
      reader: { kind: "member", userId: session.user.id, role: session.role },
      query: url.searchParams,
    });
    return await replyResponse(reply);
  } catch (error) {
    return errorResponse(error);
  }
}
