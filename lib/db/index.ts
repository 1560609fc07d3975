import "server-only";

export { db, store } from "./process-store";
