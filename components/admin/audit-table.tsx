import type { AuditEntryView } from "@/lib/audit/audit-log";

export function AuditTable({ entries }: { entries: AuditEntryView[] }) {
  if (!entries.length) return <p className="text-sm text-slate-500">Nothing has been changed yet.</p>;
  return (
    <ol className="divide-y divide-slate-100">
      {entries.map((entry) => (
        <li key={entry.id} className="grid gap-2 py-3 sm:grid-cols-[12rem_minmax(0,1fr)]" data-testid="audit-entry">
          <div className="text-xs text-slate-500">
            <p className="tabular-nums">{entry.at}</p>
            <p className="mt-0.5 font-medium text-slate-700">{entry.actor}</p>
          </div>
          <div className="min-w-0">
            <p className="text-sm font-medium text-slate-900">{entry.action}</p>
            {entry.changes.length > 0 && (
              <dl className="mt-1 grid gap-x-3 gap-y-0.5 text-xs sm:grid-cols-[10rem_minmax(0,1fr)]">
                {entry.changes.map((change) => (
                  <div key={change.field} className="contents">
                    <dt className="text-slate-500">{change.field}</dt>
                    <dd className="break-words text-slate-700">
                      {change.before !== null && change.after !== null && change.before !== change.after ? (
                        <>
                          <span className="text-slate-500 line-through decoration-slate-300">{change.before}</span> → {change.after}
                        </>
                      ) : (
                        (change.after ?? change.before)
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
