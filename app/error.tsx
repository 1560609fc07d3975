"use client";

/**
 * Any page whose data cannot be loaded, the shared layout included (it reads
 * the session): a clear message and a way to retry, never a blank crash page.
 */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-6 py-24">
      <div role="alert" className="rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200">
        <h1 className="text-lg font-semibold text-slate-900">This page could not be loaded</h1>
        <p className="mt-1 text-sm text-slate-600">
          Ledgerline could not reach its data just now. Nothing is lost; try again in a moment.
        </p>
        {error.digest && <p className="mt-1 text-xs text-slate-400">Reference {error.digest}</p>}
        <button type="button" onClick={() => reset()} className="mt-5 rounded-lg bg-blue-600 px-3.5 py-2 text-sm font-semibold text-white hover:bg-blue-700">
          Try again
        </button>
      </div>
    </main>
  );
}
