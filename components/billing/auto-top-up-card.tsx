import type { AutoTopUpView, TopUpView } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";
import { AutoTopUpForm } from "./auto-top-up-form";

const TONES: Record<TopUpView["tone"], string> = { ok: "text-emerald-800", neutral: "text-slate-600", danger: "text-red-700" };

/**
 * Auto top-up: "when credits fall below $X, buy $Y, at most $Z a month".
 * Admins get the form; everyone else reads the setting as text (the amounts
 * only if they may see dollars) and gets no form at all. The recent top-ups
 * reach dollar viewers.
 */
export function AutoTopUpCard({ orgId, autoTopUp }: { orgId: string; autoTopUp: AutoTopUpView }) {
  return (
    <Card aria-labelledby="auto-top-up-title" className="p-5 sm:p-6" data-testid="auto-top-up">
      <CardHeader id="auto-top-up-title" title="Auto top-up" description="Buys prepaid AI credits when the balance runs low, so AI keeps working once the monthly pool is spent." />
      {autoTopUp.form ? (
        <AutoTopUpForm orgId={orgId} values={autoTopUp.form} />
      ) : (
        <p className="mt-4 text-sm text-slate-700" data-testid="auto-top-up-state">
          {autoTopUp.enabled ? `Auto top-up is on. ${autoTopUp.rule ?? "Admins set when and how much it buys."}` : "Auto top-up is off. Admins can turn it on."}
        </p>
      )}
      {autoTopUp.recent && autoTopUp.recent.length > 0 && <RecentTopUps topUps={autoTopUp.recent} />}
    </Card>
  );
}

function RecentTopUps({ topUps }: { topUps: TopUpView[] }) {
  return (
    <div className="mt-5">
      <h3 className="text-sm font-semibold text-slate-900">Recent top-ups</h3>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="top-ups">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Date</th>
              <th scope="col" className="py-2 pr-4 font-medium">Status</th>
              <th scope="col" className="py-2 text-right font-medium">Amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {topUps.map((topUp) => (
              <tr key={topUp.id}>
                <td className="whitespace-nowrap py-2 pr-4 align-top text-slate-600">{topUp.date}</td>
                <td className="py-2 pr-4">
                  <span className={`font-medium ${TONES[topUp.tone]}`}>{topUp.status}</span>
                  {topUp.detail && <span className="block text-xs text-slate-500">{topUp.detail}</span>}
                </td>
                <td className="whitespace-nowrap py-2 text-right align-top font-medium tabular-nums text-slate-900">{topUp.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
