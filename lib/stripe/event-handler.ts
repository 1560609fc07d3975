import type Stripe from "stripe";
import type { Tx } from "@/lib/metering/types";

export interface StripeEventContext {
  tx: Tx;
  event: Stripe.Event;
  /** When Stripe created the event: the clock that orders states. */
  at: Date;
  /** When we apply it: the clock the counters run on. */
  now: Date;
  /** Who the audit trail names: stripe:<event id>. */
  actor: string;
}

/** Applies one event's effect inside its org's transaction (handle-event.ts found the org and recorded the event). */
export type StripeEventHandler = (context: StripeEventContext) => Promise<void>;
