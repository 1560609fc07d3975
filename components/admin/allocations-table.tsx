import type { AllocationCellView, AllocationsView } from "@/lib/admin/allocations-view";
import { USAGE_LIMITS_PATH } from "@/lib/admin/paths";
import { Card, CardHeader } from "@/components/ui/card";
import { PageLinks } from "@/components/ui/page-links";
import { ProgressBar } from "@/components/usage/progress-bar";
import { AllocationForm } from "./allocation-form";

export function AllocationsTable({ view }: { view: AllocationsView }) {
  return (
    <Card aria-labelledby="allocations-title" className="p-5 sm:p-6">
      <CardHeader
        id="allocations-title"
        title="Per-user allocations"
        description={`A member with an allocation is refused (429) past it; the others share the organization's pool of ${view.aiPool} AI and ${view.enrichmentPool} enrichments a cycle. Changes apply from the next API call.`}
      />
      <ul className="mt-4 divide-y divide-slate-100">
        {view.rows.map((row) => (
          <li key={row.userId} className="grid gap-4 py-4 md:grid-cols-[minmax(0,1.1fr)_minmax(0,1fr)_minmax(0,1fr)_minmax(0,1.3fr)]" data-testid={`allocation-${row.userId}`}>
            <div className="min-w-0">
              <p className="truncate text-sm font-medium text-slate-900">{row.name}</p>
              <p className="truncate text-xs text-slate-500">{row.email}</p>
              <p className="text-xs text-slate-500">{row.role}</p>
            </div>
            <UsageCell title="AI budget" cell={row.ai} testId="ai" />
            <UsageCell title="Enrichments" cell={row.enrichments} testId="enrichments" />
            <AllocationForm orgId={view.orgId} userId={row.userId} name={row.name} ai={row.ai.input} enrichments={row.enrichments.input} />
          </li>
        ))}
      </ul>
      <PageLinks pages={view.pages} href={(page) => `${USAGE_LIMITS_PATH}?page=${page}`} />
    </Card>
  );
}

function UsageCell({ title, cell, testId }: { title: string; cell: AllocationCellView; testId: string }) {
  return (
    <div data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</p>
      <p className="mt-0.5 text-sm tabular-nums text-slate-700">
        <span className="font-semibold text-slate-900">{cell.used}</span>
        {cell.allocation ? ` of ${cell.allocation}` : ""}
      </p>
      {cell.bar && (
        <div className="mt-1.5">
          <ProgressBar bar={cell.bar} label={`${title} used`} />
        </div>
      )}
      <p className="mt-1 text-xs text-slate-500">
        {cell.allocation ? "Personal allocation" : "Shares the pool"} · {cell.percentLabel}
      </p>
      {cell.blocked > 0 && <p className="mt-0.5 text-xs font-medium text-red-700">{`${cell.blocked} blocked this cycle`}</p>}
    </div>
  );
}
