import type { DeliveryRowView } from "@/lib/alerts/alerts-view";

const STATE_STYLES: Record<DeliveryRowView["state"], string> = {
  scheduled: "bg-slate-100 text-slate-700",
  sending: "bg-blue-50 text-blue-800",
  succeeded: "bg-emerald-50 text-emerald-800",
  failed: "bg-red-50 text-red-800",
};

/** Every delivery attempt, newest first: a failed one is followed by its retry, with exponential backoff. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryRowView[] }) {
  if (!deliveries.length) return <p className="mt-3 text-sm text-slate-500">No alert has been delivered yet.</p>;
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-semibold">Alert</th>
            <th scope="col" className="py-2 font-semibold">To</th>
            <th scope="col" className="py-2 font-semibold">Attempt</th>
            <th scope="col" className="py-2 font-semibold">Result</th>
            <th scope="col" className="py-2 font-semibold">When</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 text-slate-700">
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery-row">
              <td className="py-2.5 pr-3 font-medium text-slate-900">{d.alert}</td>
              <td className="py-2.5 pr-3">
                <span className="block text-xs text-slate-500">{d.channel}</span>
                <span className="break-all">{d.recipient}</span>
              </td>
              <td className="py-2.5 pr-3 tabular-nums">{d.attempt}</td>
              <td className="py-2.5 pr-3">
                <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${STATE_STYLES[d.state]}`}>{d.state}</span>
                {d.outcome && <span className="mt-0.5 block text-xs text-slate-500">{d.outcome}</span>}
              </td>
              <td className="py-2.5 text-xs tabular-nums text-slate-500">{d.at}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
