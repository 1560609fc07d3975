import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";
import { openApiDocument } from "@/lib/api/openapi";

/** The client library's types (packages/client/src/api.ts), generated from the OpenAPI document by openapi-typescript. */
export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(structuredClone(openApiDocument()) as Parameters<typeof openapiTS>[0]);
  return `${COMMENT_HEADER}// Regenerate with \`npm run api:types\`.\n\n${astToString(ast)}`;
}
