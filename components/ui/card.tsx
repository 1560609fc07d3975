import type { ComponentProps, ReactNode } from "react";

/** The white panel every settings section sits on. */
export function Card({ className = "", ...props }: ComponentProps<"section">) {
  return <section className={`rounded-xl bg-white shadow-sm ring-1 ring-slate-200 ${className}`} {...props} />;
}

/** A card's title row: title and description on the left, an optional action on the right. */
export function CardHeader({ id, title, description, action }: { id?: string; title: ReactNode; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0">
        <h2 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {description && <p className="mt-0.5 text-sm text-slate-500">{description}</p>}
      </div>
      {action}
    </div>
  );
}
