import { writeFileSync } from "node:fs";
import { apiTypesSource } from "./api-types-source";

/** `npm run api:types`: regenerates the client's types from the OpenAPI document (a test fails when they are out of step). */
writeFileSync("packages/client/src/api.ts", await apiTypesSource());
console.log("wrote packages/client/src/api.ts");
