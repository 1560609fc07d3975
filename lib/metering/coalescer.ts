import { observeCoalescedBatch } from "@/lib/observability/metrics";

/**
 * Coalesces concurrent work for the same key into batches. The first item for
 * an idle key runs at once (no added latency when traffic is light); items that
 * arrive while a batch is in flight wait for it and then go together in the
 * next one. Under load, N concurrent requests for one hot counter cost about
 * one round trip per batch instead of N.
 */
export function createCoalescer<Item, Result>(
  run: (key: string, items: Item[]) => Promise<Result[]>,
  {
    kind = "other",
    maxBatch = 1_000,
    isolate = () => true,
  }: {
    /** What the batches hold, for the batch-size metric. */
    kind?: string;
    maxBatch?: number;
    /**
     * Whether a batch that failed with this error is run again item by item,
     * so that one item the store rejects fails alone instead of failing its
     * neighbours. Safe because a failed batch changed nothing (it is one
     * statement); an error that would fail every item alike (the store being
     * down) should answer false, so that it costs one round trip, not one per item.
     */
    isolate?: (error: unknown) => boolean;
  } = {},
) {
  interface Waiting {
    item: Item;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }
  const queues = new Map<string, Waiting[]>();

  async function drain(key: string, queue: Waiting[]) {
    while (queue.length) {
      const batch = queue.splice(0, maxBatch);
      observeCoalescedBatch(kind, batch.length);
      try {
        const results = await run(key, batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (error) {
        if (batch.length > 1 && isolate(error)) await runAlone(key, batch);
        else batch.forEach((w) => w.reject(error));
      }
    }
    queues.delete(key);
  }

  async function runAlone(key: string, batch: Waiting[]) {
    for (const waiting of batch) {
      try {
        waiting.resolve((await run(key, [waiting.item]))[0]);
      } catch (error) {
        waiting.reject(error);
      }
    }
  }

  return function submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const queue = queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh: Waiting[] = [{ item, resolve, reject }];
      queues.set(key, fresh);
      void drain(key, fresh);
    });
  };
}
