import { formatQuantity } from "@/lib/format";
import type { HistoryChartView } from "@/lib/usage-view";
import { Card, CardHeader } from "@/components/ui/card";
import { HistoryChart } from "./history-chart";

export function UsageHistory({ history }: { history: { enough: boolean; charts: HistoryChartView[] } }) {
  return (
    <Card aria-labelledby="history-title" className="p-5 sm:p-6">
      <CardHeader id="history-title" title="Usage history" description="The last six billing cycles." />
      {history.enough ? (
        <ul className="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
          {history.charts.map((chart) => (
            <li key={chart.metric} className="rounded-lg border border-slate-100 p-3" data-testid={`history-${chart.metric}`}>
              <div className="flex items-baseline justify-between">
                <h3 className="text-sm font-medium text-slate-900">{chart.label}</h3>
                <p className="text-xs tabular-nums text-slate-500">This cycle: {chart.latest}</p>
              </div>
              <HistoryChart chart={chart} />
              <p className="sr-only">
                {chart.label} by month: {chart.points.map((p) => `${p.month} ${formatQuantity(p.value, chart.unit)}`).join(", ")}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-4 rounded-lg border border-dashed border-slate-200 px-4 py-8 text-center text-sm text-slate-500" data-testid="history-empty">
          Not enough history yet: trend charts appear once your organization has three billing cycles of usage.
        </p>
      )}
    </Card>
  );
}
