-- Payment news (invoice.payment_failed, invoice.paid, a subscription turning
-- unpaid or active again) pauses and restores AI on its own clock, apart from
-- stripe_state_at: a late invoice event must neither undo a newer restore nor
-- be dropped because a newer plan change was applied first.

-- AlterTable
ALTER TABLE "orgs" ADD COLUMN "payment_state_at" TIMESTAMPTZ(3);
