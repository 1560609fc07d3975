import type { ReactNode } from "react";
import type { BillingView } from "@/lib/billing-view";
import { Card, CardHeader } from "@/components/ui/card";

/**
 * Prepaid AI credits: the balance, the grants with something left (what is
 * left of each and when it expires, in the order AI spend draws on them) and
 * the ledger the balance is the sum of (grants, draw-downs, adjustments,
 * expiries). Grants and ledger reach dollar viewers only; `purchase` is the
 * admin's Buy credits form.
 */
export function CreditsCard({ billing, purchase }: { billing: BillingView; purchase: ReactNode }) {
  const ledger = billing.creditLedger;
  return (
    <Card aria-labelledby="credits-title" className="p-5 sm:p-6" data-testid="credits">
      <CardHeader id="credits-title" title="Prepaid AI credits" description="Used once the monthly AI pool runs out." />
      <p className="mt-4 text-sm text-slate-500">Balance</p>
      <p className="text-lg font-semibold tabular-nums text-slate-900" data-testid="credit-balance">
        {billing.credits ?? "No prepaid credits"}
      </p>
      {purchase}
      {billing.creditGrants && billing.creditGrants.length > 0 && <CreditGrantsTable grants={billing.creditGrants} />}
      {ledger ? (
        <CreditLedgerTable ledger={ledger} />
      ) : (
        <p className="mt-4 text-sm text-slate-500">Credit amounts, grants and their ledger are shown to admins.</p>
      )}
    </Card>
  );
}

function CreditGrantsTable({ grants }: { grants: NonNullable<BillingView["creditGrants"]> }) {
  return (
    <div className="mt-5">
      <h3 className="text-sm font-semibold text-slate-900">Grants</h3>
      <p className="mt-0.5 text-xs text-slate-500">AI spend draws the soonest-expiring grant first, then credits that never expire, oldest first.</p>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="credit-grants">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Source</th>
              <th scope="col" className="py-2 pr-4 font-medium">Expires</th>
              <th scope="col" className="py-2 pr-4 text-right font-medium">Granted</th>
              <th scope="col" className="py-2 text-right font-medium">Remaining</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {grants.map((grant) => (
              <tr key={grant.id}>
                <td className="py-2 pr-4 text-slate-900">{grant.source}</td>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{grant.expires ?? "Never"}</td>
                <td className="whitespace-nowrap py-2 pr-4 text-right tabular-nums text-slate-600">{grant.granted}</td>
                <td className="whitespace-nowrap py-2 text-right font-medium tabular-nums text-slate-900">{grant.remaining}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function CreditLedgerTable({ ledger }: { ledger: NonNullable<BillingView["creditLedger"]> }) {
  if (ledger.total === 0) return <p className="mt-4 text-sm text-slate-500">No credit has been granted or used yet.</p>;
  return (
    <div className="mt-5">
      <h3 className="text-sm font-semibold text-slate-900">Ledger</h3>
      <div className="mt-2 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="credit-ledger">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-4 font-medium">Date</th>
              <th scope="col" className="py-2 pr-4 font-medium">Entry</th>
              <th scope="col" className="py-2 pr-4 font-medium">Reference</th>
              <th scope="col" className="py-2 text-right font-medium">Amount</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {ledger.entries.map((entry) => (
              <tr key={entry.id}>
                <td className="whitespace-nowrap py-2 pr-4 text-slate-600">{entry.date}</td>
                <td className="py-2 pr-4 text-slate-900">{entry.kind}</td>
                <td className="max-w-48 truncate py-2 pr-4 font-mono text-xs text-slate-500" title={entry.reference}>
                  {entry.reference}
                </td>
                <td className="whitespace-nowrap py-2 text-right font-medium tabular-nums text-slate-900">{entry.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {ledger.total > ledger.entries.length && (
        <p className="mt-2 text-xs text-slate-500">
          The latest {ledger.entries.length} of {ledger.total} entries; the balance is the sum of all of them.
        </p>
      )}
    </div>
  );
}
