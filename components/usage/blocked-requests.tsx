import Link from "next/link";
import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import type { BlockedRowView } from "@/lib/usage-view";
import { Card, CardHeader } from "@/components/ui/card";

/** Admins only: who hit a wall this cycle (429s), at the org's caps or at their own allocation. */
export function BlockedRequests({ rows }: { rows: BlockedRowView[] }) {
  return (
    <Card aria-labelledby="blocked-title" className="p-5 sm:p-6" data-testid="blocked-requests">
      <CardHeader
        id="blocked-title"
        title="Blocked requests"
        description="Requests refused with a 429 this cycle, by who hit the limit."
        action={
          <Link href={USAGE_LIMITS_PATH} className="text-sm font-semibold text-blue-700 hover:text-blue-800">
            Per-user allocations
          </Link>
        }
      />
      {rows.length ? (
        <table className="mt-4 w-full text-left text-sm">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 font-semibold">Who</th>
              <th scope="col" className="py-2 font-semibold">Limit hit</th>
              <th scope="col" className="py-2 text-right font-semibold">Blocked</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.key} data-testid={`blocked-row-${row.key}`}>
                <td className="py-2 font-medium text-slate-900">{row.who}</td>
                <td className="py-2 text-slate-600">{row.what}</td>
                <td className="py-2 text-right tabular-nums font-semibold text-red-700">{row.count.toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mt-4 text-sm text-slate-500">No requests were blocked this cycle.</p>
      )}
    </Card>
  );
}
