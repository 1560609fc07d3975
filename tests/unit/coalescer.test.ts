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
    }, 2);
    await Promise.all([submit("a", 1), submit("b", 1), submit("a", 2), submit("a", 3), submit("a", 4)]);
    expect(batches.sort()).toEqual(["a:1", "a:2,3", "a:4", "b:1"]);
  });

  it("rejects every item of a failed batch and recovers for the next", async () => {
    let fail = true;
    const submit = createCoalescer<number, number>(async (_key, items) => {
      await tick();
      if (fail) throw new Error("store down");
      return items;
    });
    const first = await Promise.allSettled([submit("k", 1), submit("k", 2)]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await submit("k", 3)).toBe(3);
  });
});
