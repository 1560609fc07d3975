/**
 * `npm run models -- <command>`: the AI model catalog, for platform operators.
 *
 *   list
 *   add <id> --tier <tier> --input <$/M tokens> --output <$/M tokens> [--at <ISO time>]
 *   price <id> --input <$/M tokens> --output <$/M tokens> [--tier <tier>] [--at <ISO time>]
 *   retire <id> [--at <ISO time>]
 *
 * Prices are dollars per million tokens ("0.40"). A new model may apply at once; a price change or
 * a retirement applies a minute after it is made at the earliest (the default), so that every
 * instance knows it first. Authorizations made before it keep their price.
 */
import { parseArgs } from "node:util";
import { addModel, CatalogChangeError, listModels, priceModel, retireModel } from "@/lib/admin/model-catalog";
import { storeLocation } from "@/lib/db/connection";
import { applyMigrations } from "@/lib/db/migrate";
import { openStore } from "@/lib/db/open";
import { formatMicros } from "@/lib/format";
import { parseDollarsPerMillion } from "@/lib/limits/model-catalog";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { tier: { type: "string" }, input: { type: "string" }, output: { type: "string" }, at: { type: "string" } },
});
const [command, id] = positionals;

function dollars(name: "input" | "output"): number {
  const micros = parseDollarsPerMillion(values[name] ?? "");
  if (micros === null) throw new CatalogChangeError(`--${name} must be dollars per million tokens, e.g. 0.40.`);
  return micros;
}

function at(): Date | undefined {
  if (values.at === undefined) return undefined;
  const when = new Date(values.at);
  if (Number.isNaN(when.getTime())) throw new CatalogChangeError(`--at must be an ISO time, e.g. 2027-01-01T00:00:00Z.`);
  return when;
}

const store = openStore(storeLocation());
try {
  await applyMigrations(store.sql);
  if (command !== "list" && !id) throw new CatalogChangeError("Name the model: npm run models -- <add|price|retire> <id> ...");
  if (command === "list") {
    for (const v of await listModels(store.sql)) {
      const what = v.retired ? "retired" : `${v.tier}, in ${formatMicros(v.inputPerMillionMicros)}/M, out ${formatMicros(v.outputPerMillionMicros)}/M`;
      console.log(`${v.id.padEnd(24)} from ${v.effectiveFrom.toISOString()}  ${what}`);
    }
  } else if (command === "add") {
    const added = await addModel(store.sql, { id, tier: values.tier ?? "", inputPerMillionMicros: dollars("input"), outputPerMillionMicros: dollars("output"), at: at() });
    console.log(`Added ${added.id} (${added.tier}) from ${added.effectiveFrom.toISOString()}.`);
  } else if (command === "price") {
    const priced = await priceModel(store.sql, { id, tier: values.tier, inputPerMillionMicros: dollars("input"), outputPerMillionMicros: dollars("output"), at: at() });
    console.log(`Priced ${priced.id} at ${formatMicros(priced.inputPerMillionMicros)}/M in, ${formatMicros(priced.outputPerMillionMicros)}/M out from ${priced.effectiveFrom.toISOString()}.`);
  } else if (command === "retire") {
    const retired = await retireModel(store.sql, { id, at: at() });
    console.log(`Retired ${retired.id} from ${retired.effectiveFrom.toISOString()}.`);
  } else {
    throw new CatalogChangeError("Commands: list, add, price, retire (see scripts/models.ts).");
  }
} catch (error) {
  if (!(error instanceof CatalogChangeError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await store.close();
}
