import { describe, expect, it } from "vitest";
import { costMicros, ModelCatalog, parseDollarsPerMillion, type ModelVersion } from "@/lib/limits/model-catalog";
import { SEEDED_MODELS } from "../support/seeded-models";

const v = (effectiveFrom: string, input: number, extra: Partial<ModelVersion> = {}): ModelVersion => ({
  id: "m",
  effectiveFrom: new Date(effectiveFrom),
  tier: "fast",
  inputPerMillionMicros: input,
  outputPerMillionMicros: input * 4,
  retired: false,
  ...extra,
});

describe("the model catalog", () => {
  const catalog = new ModelCatalog([v("2026-03-01T00:00:00Z", 800_000, { tier: "standard" }), v("2026-01-01T00:00:00Z", 400_000), v("2026-06-01T00:00:00Z", 800_000, { retired: true })]);

  it("prices by the version in effect at the instant, whatever order the versions come in", () => {
    expect(catalog.priceFor("m", new Date("2025-12-31T23:59:59Z"))).toEqual({ ok: false, reason: "unknown" });
    expect(catalog.priceFor("m", new Date("2026-01-01T00:00:00Z"))).toMatchObject({ ok: true, version: { inputPerMillionMicros: 400_000, tier: "fast" } });
    expect(catalog.priceFor("m", new Date("2026-02-28T23:59:59.999Z"))).toMatchObject({ ok: true, version: { inputPerMillionMicros: 400_000 } });
    expect(catalog.priceFor("m", new Date("2026-03-01T00:00:00Z"))).toMatchObject({ ok: true, version: { inputPerMillionMicros: 800_000, tier: "standard" } });
  });

  it("refuses new authorizations from a retirement on, and still finds the version an older hold was priced by", () => {
    expect(catalog.priceFor("m", new Date("2026-06-01T00:00:00Z"))).toEqual({ ok: false, reason: "retired", since: new Date("2026-06-01T00:00:00Z") });
    expect(catalog.versionAt("m", new Date("2026-05-31T12:00:00Z"))?.inputPerMillionMicros).toBe(800_000);
    expect(catalog.priceFor("other", new Date())).toEqual({ ok: false, reason: "unknown" });
  });

  it("rounds a cost up to the micro-dollar, so a hold covers its charge", () => {
    expect(costMicros({ tier: "fast", inputPerMillionMicros: 400_000, outputPerMillionMicros: 1_600_000 }, 1_000, 200)).toBe(720);
    expect(costMicros({ tier: "light", inputPerMillionMicros: 100_000, outputPerMillionMicros: 400_000 }, 1, 0)).toBe(1);
    expect(costMicros({ tier: "light", inputPerMillionMicros: 100_000, outputPerMillionMicros: 400_000 }, 0, 0)).toBe(0);
  });

  it("reads dollars per million tokens exactly", () => {
    expect(parseDollarsPerMillion("0.40")).toBe(400_000);
    expect(parseDollarsPerMillion("$15")).toBe(15_000_000);
    expect(parseDollarsPerMillion("0.000001")).toBe(1);
    expect(parseDollarsPerMillion("0.1234567")).toBeNull();
    expect(parseDollarsPerMillion("-1")).toBeNull();
    expect(parseDollarsPerMillion("1e3")).toBeNull();
  });

  it("is seeded with today's seven models", () => {
    expect(Object.keys(SEEDED_MODELS).sort()).toEqual(["claude-haiku-4-5", "claude-opus-4-1", "claude-sonnet-4-5", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3-pro"]);
    expect(SEEDED_MODELS["gpt-4.1-mini"]).toEqual({ tier: "fast", inputPerMillionMicros: 400_000, outputPerMillionMicros: 1_600_000 });
  });
});
