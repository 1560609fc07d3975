import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiTypesSource } from "@/scripts/api-types-source";

describe("the client library's types", () => {
  it("are generated from the OpenAPI document as it is now (npm run api:types)", async () => {
    expect(readFileSync("packages/client/src/api.ts", "utf8")).toBe(await apiTypesSource());
  });
});
