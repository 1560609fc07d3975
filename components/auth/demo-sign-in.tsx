import { signInAsDemoUser } from "@/lib/auth/actions";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { DEMO_ORGS } from "@/lib/demo/orgs";
import { PLANS } from "@/lib/limits/plans";

/** One button per seeded demo user, grouped by org. */
export function DemoSignIn({ callbackUrl }: { callbackUrl: string }) {
  return (
    <div className="space-y-5">
      {DEMO_ORGS.map((org) => (
        <section key={org.id} aria-labelledby={`org-${org.id}`}>
          <h2 id={`org-${org.id}`} className="flex items-center gap-2 text-sm font-semibold text-slate-900">
            {org.name}
            <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600">{PLANS[org.plan].name}</span>
            {org.aiPaused && <span className="rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700">Payment past due</span>}
            {org.previewFlag && <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-700">Preview</span>}
          </h2>
          <ul className="mt-2 grid gap-2 sm:grid-cols-2">
            {org.members.map((member) => (
              <li key={member.id}>
                <form action={signInAsDemoUser}>
                  <input type="hidden" name="userId" value={member.id} />
                  <input type="hidden" name="callbackUrl" value={callbackUrl} />
                  <button
                    type="submit"
                    data-user-id={member.id}
                    className="flex w-full items-center justify-between gap-3 rounded-lg px-3 py-2.5 text-left ring-1 ring-slate-200 hover:bg-blue-50 hover:ring-blue-300 focus-visible:outline-2 focus-visible:outline-blue-600"
                  >
                    <span className="min-w-0">
                      <span className="block truncate text-sm font-medium text-slate-900">{member.name}</span>
                      <span className="block truncate text-xs text-slate-500">{member.email}</span>
                    </span>
                    <span className="shrink-0 text-xs font-medium text-slate-600">{ROLE_LABELS[member.role]}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
