import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/observability/log";
import { startBackgroundLoop } from "@/lib/process/background-loop";

const log = { failed: "test loop failed", recovered: "Test loop recovered." };

describe("background loops", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("run one pass at a time, log an outage once and its end once, and start once per name", async () => {
    vi.useFakeTimers();
    const errors = vi.spyOn(logger(), "error").mockImplementation(() => undefined);
    const infos = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const outcomes = [false, false, true, true];
    let passes = 0;
    const pass = async () => {
      passes += 1;
      if (!outcomes[passes - 1]) throw new Error("store down");
    };
    expect(startBackgroundLoop({ name: "test-loop-a", intervalMs: 1_000, log, pass })).toBe(true);
    expect(startBackgroundLoop({ name: "test-loop-a", intervalMs: 1_000, log, pass })).toBe(false);
    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(1_000);
    expect(passes).toBe(4);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][1]).toBe("test loop failed");
    expect(infos.mock.calls).toEqual([["Test loop recovered."]]);
  });

  it("do not start at an interval of 0: another process does the work", async () => {
    vi.useFakeTimers();
    const pass = vi.fn(async () => undefined);
    expect(startBackgroundLoop({ name: "test-loop-b", intervalMs: 0, log, pass })).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pass).not.toHaveBeenCalled();
  });
});
