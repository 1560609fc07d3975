// Shown while the usage snapshot loads: the page's shape, without numbers.
export default function UsageLoading() {
  const block = "animate-pulse rounded-xl bg-white ring-1 ring-slate-200";
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading usage…</span>
      <div className="mb-6 space-y-2" aria-hidden="true">
        <div className="h-3 w-28 rounded bg-slate-200" />
        <div className="h-7 w-40 rounded bg-slate-200" />
      </div>
      <div className="grid gap-6" aria-hidden="true">
        <div className="grid gap-6 lg:grid-cols-3">
          <div className={`h-96 lg:col-span-2 ${block}`} />
          <div className={`h-48 ${block}`} />
        </div>
        <div className="grid gap-4 lg:grid-cols-3">
          <div className={`h-80 ${block}`} />
          <div className={`h-80 ${block}`} />
          <div className={`h-80 ${block}`} />
        </div>
        <div className={`h-40 ${block}`} />
      </div>
    </div>
  );
}
