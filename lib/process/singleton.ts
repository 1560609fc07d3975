/**
 * One instance per process, whichever bundle asks. The production server
 * carries its own copy of lib/ (server.mjs) beside Next's chunks, and `next
 * dev` reloads modules: a module-level cache or limiter would exist once per
 * copy, and its bounds and counts would not be the process's. Keyed on
 * globalThis, every copy gets the same instance.
 */
const registry = ((globalThis as { ledgerlineSingletons?: Map<string, unknown> }).ledgerlineSingletons ??= new Map());

export function processSingleton<T>(name: string, create: () => T): T {
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}
