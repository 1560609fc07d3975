import { USAGE_THRESHOLD_WORDS } from "@/lib/limits/thresholds";
import type { NotificationView } from "@/lib/notifications/notification-list";

const TONES = { raised: "bg-amber-500", resolved: "bg-emerald-500" };
const when = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export function NotificationList({ notifications }: { notifications: NotificationView[] }) {
  if (!notifications.length) return <p className="text-sm text-slate-500">No notifications. Usage alerts at {USAGE_THRESHOLD_WORDS} appear here.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {notifications.map((n) => (
        <li key={n.id} className="flex gap-3 py-3" data-testid="notification" data-unread={n.unread || undefined}>
          <span aria-hidden="true" className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${TONES[n.tone]}`} />
          <div className="min-w-0 flex-1">
            <p className={`text-sm text-slate-900 ${n.unread ? "font-semibold" : "font-medium"}`}>
              {n.title}
              {n.unread && <span className="sr-only"> (unread)</span>}
            </p>
            <p className="text-sm text-slate-600">{n.detail}</p>
          </div>
          <p className="shrink-0 text-xs tabular-nums text-slate-500">{when.format(new Date(n.createdAt))} UTC</p>
        </li>
      ))}
    </ul>
  );
}
