import { revokeApiKey } from "@/app/(app)/admin/api-keys/actions";
import { ActionButton } from "@/components/ui/action-button";
import type { ApiKeyRowView } from "@/lib/admin/api-keys-view";

export function ApiKeysTable({ orgId, keys }: { orgId: string; keys: ApiKeyRowView[] }) {
  if (!keys.length) return <p className="mt-3 text-sm text-slate-500">No keys yet.</p>;
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-semibold">Name</th>
            <th scope="col" className="py-2 font-semibold">Key</th>
            <th scope="col" className="py-2 font-semibold">Created by</th>
            <th scope="col" className="py-2 font-semibold">Last used</th>
            <th scope="col" className="py-2 text-right font-semibold">
              <span className="sr-only">Status</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((key) => (
            <tr key={key.id} data-testid={`api-key-${key.name}`} className={key.revokedOn ? "text-slate-400" : "text-slate-700"}>
              <td className="py-2.5 font-medium">{key.name}</td>
              <td className="py-2.5 font-mono text-xs">{key.prefix}</td>
              <td className="py-2.5">
                {key.createdBy}
                <span className="block text-xs text-slate-500">{key.createdOn}</span>
              </td>
              <td className="py-2.5 tabular-nums">{key.lastUsed}</td>
              <td className="py-2.5 text-right">
                {key.revokedOn ? (
                  <span className="text-xs font-medium">Revoked {key.revokedOn}</span>
                ) : (
                  <ActionButton
                    action={revokeApiKey}
                    fields={{ orgId, keyId: key.id }}
                    label="Revoke"
                    pendingLabel="Revoking…"
                    variant="danger"
                    confirm={`Revoke "${key.name}"? Calls with it are refused from the next request.`}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
