-- "Ask an admin to upgrade": a member who cannot change the plan asks, and each
-- admin of the org gets a notification naming who asked. A notification is now
-- about an alert or about such a request, exactly one of the two.
ALTER TABLE "notifications" ALTER COLUMN "alert_id" DROP NOT NULL;
ALTER TABLE "notifications" ADD COLUMN "upgrade_requested_by" TEXT;
-- The UTC day of the request: asking again the same day tells no one twice.
ALTER TABLE "notifications" ADD COLUMN "request_day" DATE;
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_one_subject"
    CHECK (("alert_id" IS NULL) <> ("upgrade_requested_by" IS NULL) AND ("upgrade_requested_by" IS NULL) = ("request_day" IS NULL));
CREATE UNIQUE INDEX "notifications_upgrade_request_key" ON "notifications"("org_id", "user_id", "upgrade_requested_by", "request_day");
