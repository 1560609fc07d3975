"use client";

import { useState, type ReactNode } from "react";
import { showDollarsCookie } from "@/lib/preferences/show-dollars";

/**
 * The Show $ switch. Both views are rendered on the server and handed in;
 * this only chooses which one shows. It is rendered only for viewers allowed
 * to see dollars, so for everyone else no dollar view exists to hand in. The
 * choice is kept for `personId` (lib/preferences/show-dollars.ts).
 */
export function AmountToggle({ heading, percent, dollars, personId, initiallyDollars }: {
  heading: ReactNode;
  percent: ReactNode;
  dollars: ReactNode;
  personId: string;
  initiallyDollars: boolean;
}) {
  const [showDollars, setShowDollars] = useState(initiallyDollars);
  const flip = () => {
    const on = !showDollars;
    setShowDollars(on);
    document.cookie = showDollarsCookie(personId, on);
  };
  return (
    <>
      <div className="flex items-start justify-between gap-3">
        {heading}
        <button
          type="button"
          role="switch"
          aria-checked={showDollars}
          onClick={flip}
          className="group inline-flex shrink-0 items-center gap-2 rounded-full text-sm font-medium text-slate-700 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-blue-600"
        >
          Show $
          <span className="relative inline-flex h-5 w-9 items-center rounded-full bg-switch-off transition-colors group-aria-checked:bg-switch-on">
            <span className="inline-block h-4 w-4 translate-x-0.5 rounded-full bg-white shadow transition-transform group-aria-checked:translate-x-4.5" />
          </span>
        </button>
      </div>
      {showDollars ? dollars : percent}
    </>
  );
}
