import { sendInvitationAgain, withdrawInvitation } from "@/app/(app)/admin/members/actions";
import { ActionButton } from "@/components/ui/action-button";
import type { InvitationRowView } from "@/lib/admin/members-view";

export function InvitationsTable({ orgId, invitations }: { orgId: string; invitations: InvitationRowView[] }) {
  if (!invitations.length) return <p className="mt-3 text-sm text-slate-500">No pending invitations.</p>;
  return (
    <ul className="mt-3 divide-y divide-slate-100">
      {invitations.map((invitation) => (
        <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid={`invitation-${invitation.email}`}>
          <div className="min-w-0">
            <p className="truncate text-sm font-medium text-slate-900">{invitation.email}</p>
            <p className="text-xs text-slate-500">
              {invitation.role} · {invitation.seat} seat · invited by {invitation.invitedBy} ·{" "}
              <span className={invitation.expired ? "font-medium text-amber-800" : undefined}>{invitation.expiry}</span>
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <ActionButton action={sendInvitationAgain} fields={{ orgId, invitationId: invitation.id }} label="Resend" pendingLabel="Sending…" />
            <ActionButton
              action={withdrawInvitation}
              fields={{ orgId, invitationId: invitation.id }}
              label="Revoke"
              pendingLabel="Revoking…"
              variant="danger"
              confirm={`Revoke the invitation to ${invitation.email}? Its link stops working.`}
            />
          </div>
        </li>
      ))}
    </ul>
  );
}
