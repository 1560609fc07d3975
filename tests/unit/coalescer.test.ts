import { describe, expect, it } from "vitest";
import { createCoalescer } from "@/lib/metering/coalescer";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("createCoalescer", () => {
  it("runs the first item at once and batches what arrives while it is in flight", async () => {
    const batches: number[][] = [];
    const submit = createCoalescer<number, number>(async (_key, items) => {
      batches.push(items);
      await tick();
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3, 4].map((n) => submit("org", n)));
    expect(results).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("keeps keys apart and caps the batch size", async () => {
    const batches: string[] = [];
    const submit = createCoalescer<number, number>(async (key, items) => {
      batches.push(`${key}:${items.join(",")}`);
      await tick();
      return items;
    }, { maxBatch: 2 });
    await Promise.all([submit("a", 1), submit("b", 1), submit("a", 2), submit("a", 3), submit("a", 4)]);
    expect(batches.sort()).toEqual(["a:1", "a:2,3", "a:4", "b:1"]);
  });

  it("rejects every item of a batch that failed with an error it must not isolate, and recovers for the next", async () => {
    let fail = true;
    let calls = 0;
    const submit = createCoalescer<number, number>(async (_key, items) => {
      calls++;
      await tick();
      if (fail) throw new Error("store down");
      return items;
    }, { isolate: () => false });
    const first = await Promise.allSettled([submit("k", 1), submit("k", 2)]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(calls).toBe(2); // the lone first item, then the second's batch: none retried item by item
    fail = false;
    expect(await submit("k", 3)).toBe(3);
  });

  it("runs a failed batch again item by item, so the one bad item fails alone", async () => {
    const batches: number[][] = [];
    const submit = createCoalescer<number, number>(async (_key, items) => {
      batches.push(items);
      await tick();
      if (items.includes(-1)) throw new Error("the store refused -1");
      return items.map((i) => i * 10);
    });
    const settled = await Promise.allSettled([submit("k", 1), submit("k", 2), submit("k", -1), submit("k", 3)]);
    expect(settled.map((r) => (r.status === "fulfilled" ? r.value : "rejected"))).toEqual([10, 20, "rejected", 30]);
    // The first item ran alone, then [2, -1, 3] failed together and each ran again alone.
    expect(batches).toEqual([[1], [2, -1, 3], [2], [-1], [3]]);
  });
});
