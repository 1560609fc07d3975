import { removeFromOrg } from "@/app/(app)/admin/members/actions";
import { ActionButton } from "@/components/ui/action-button";
import type { MembersView } from "@/lib/admin/members-view";
import { SeatSelect } from "./seat-select";

export function MembersTable({ view }: { view: MembersView }) {
  return (
    <ul className="mt-3 divide-y divide-slate-100">
      {view.members.map((member) => (
        <li key={member.userId} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`member-${member.email}`}>
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-slate-900">{member.name}</p>
            <p className="truncate text-xs text-slate-500">
              {member.email} · {member.role}
            </p>
          </div>
          <div className="flex flex-wrap items-center justify-end gap-2">
            <SeatSelect orgId={view.orgId} userId={member.userId} name={member.name} seatType={member.seatType} seatTypes={view.seatTypes} />
            {member.removable && (
              <ActionButton
                action={removeFromOrg}
                fields={{ orgId: view.orgId, userId: member.userId }}
                label="Remove"
                pendingLabel="Removing…"
                variant="danger"
                confirm={`Remove ${member.name} from the organization? Their seat is freed and they are signed out at once.`}
              />
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
