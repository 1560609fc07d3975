import { storeLocation } from "./connection";
import { openStore, type OpenStore } from "./open";

// One store per process; kept on globalThis so dev reloads do not open another
// (PGlite allows a single opener per data directory), and so code outside the
// request bundles (instrumentation's alert dispatcher) shares the same one.
const globalStore = globalThis as unknown as { ledgerlineStore?: OpenStore };

export function store(): OpenStore {
  globalStore.ledgerlineStore ??= openStore(storeLocation());
  return globalStore.ledgerlineStore;
}

export const db = () => store().prisma;

/** The process's store if one was opened, without opening it (for the metrics). */
export const openedStore = (): OpenStore | undefined => globalStore.ledgerlineStore;
