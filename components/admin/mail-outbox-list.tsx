import type { OutboxMessageView } from "@/lib/mail/outbox-view";

const URL_PATTERN = /(https?:\/\/\S+)/g;

/** Each message with its links clickable, so an invitation can be opened straight from here. */
export function MailOutboxList({ messages }: { messages: OutboxMessageView[] }) {
  if (!messages.length) return <p className="text-sm text-slate-500">No mail yet. Invitations and usage alerts land here.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {messages.map((message) => (
        <li key={message.id} className="py-4" data-testid="outbox-message">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="text-sm font-semibold text-slate-900">{message.subject}</p>
            <p className="text-xs tabular-nums text-slate-500">{message.at}</p>
          </div>
          <p className="text-xs text-slate-500">To {message.to}</p>
          <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-700">
            {message.text.split(URL_PATTERN).map((part, i) =>
              i % 2 ? (
                <a key={i} href={part} className="font-medium text-blue-700 underline underline-offset-2 hover:text-blue-800">
                  {part}
                </a>
              ) : (
                part
              ),
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}
