"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/** How often an open, visible Usage page asks the server for its figures again. */
export const LIVE_REFRESH_MS = 30_000;

/**
 * Keeps the Usage page's figures live: while the tab is visible it re-renders
 * the page on the server every LIVE_REFRESH_MS (router.refresh, which swaps
 * the new figures into the page in place: no reload, no loading skeleton, and
 * the Show $ choice and scroll position stay as they are). A background tab
 * asks nothing; coming back after the interval refreshes at once. `updated`
 * is the server's own time of the figures shown, so it changes only when they do.
 */
export function LiveRefresh({ updated }: { updated: string }) {
  const router = useRouter();
  // Set once the refresh is running in the browser: until the page has hydrated nothing refreshes.
  const [live, setLive] = useState(false);
  useEffect(() => {
    setLive(true);
    let timer: ReturnType<typeof setInterval> | null = null;
    let refreshedAt = Date.now();
    const refresh = () => {
      refreshedAt = Date.now();
      router.refresh();
    };
    const onVisibility = () => {
      if (document.visibilityState !== "visible") {
        if (timer !== null) clearInterval(timer);
        timer = null;
        return;
      }
      if (Date.now() - refreshedAt >= LIVE_REFRESH_MS) refresh();
      timer ??= setInterval(refresh, LIVE_REFRESH_MS);
    };
    onVisibility();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      if (timer !== null) clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [router]);
  return (
    <span className="tabular-nums" data-testid="usage-updated" data-live={live ? "on" : undefined}>
      Updated {updated}
    </span>
  );
}
