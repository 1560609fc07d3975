-- Plans, billing intervals, roles and seat types as text with a check constraint, not enum types.
--
-- Prisma reads enum columns back with a cast (RETURNING "plan"::text), and Citus refuses a
-- non-immutable function in the RETURNING of a distributed write, which broke every org and
-- membership update there. The allowed values stay enforced by the store; the app's own types
-- (lib/limits/plans.ts, lib/auth/roles.ts) name them.

ALTER TABLE "orgs"
  ALTER COLUMN "plan" DROP DEFAULT,
  ALTER COLUMN "plan" TYPE TEXT USING "plan"::text,
  ALTER COLUMN "plan" SET DEFAULT 'free',
  ADD CONSTRAINT "orgs_plan_check" CHECK ("plan" IN ('free', 'pro', 'business', 'ultra')),
  ALTER COLUMN "billing_interval" DROP DEFAULT,
  ALTER COLUMN "billing_interval" TYPE TEXT USING "billing_interval"::text,
  ALTER COLUMN "billing_interval" SET DEFAULT 'month',
  ADD CONSTRAINT "orgs_billing_interval_check" CHECK ("billing_interval" IN ('month', 'year'));

ALTER TABLE "memberships"
  ALTER COLUMN "role" DROP DEFAULT,
  ALTER COLUMN "role" TYPE TEXT USING "role"::text,
  ALTER COLUMN "role" SET DEFAULT 'user',
  ADD CONSTRAINT "memberships_role_check" CHECK ("role" IN ('super_admin', 'admin', 'manager', 'user')),
  ALTER COLUMN "seat_type" DROP DEFAULT,
  ALTER COLUMN "seat_type" TYPE TEXT USING "seat_type"::text,
  ALTER COLUMN "seat_type" SET DEFAULT 'collaborator',
  ADD CONSTRAINT "memberships_seat_type_check" CHECK ("seat_type" IN ('power', 'collaborator'));

ALTER TABLE "invitations"
  ALTER COLUMN "role" TYPE TEXT USING "role"::text,
  ADD CONSTRAINT "invitations_role_check" CHECK ("role" IN ('super_admin', 'admin', 'manager', 'user')),
  ALTER COLUMN "seat_type" TYPE TEXT USING "seat_type"::text,
  ADD CONSTRAINT "invitations_seat_type_check" CHECK ("seat_type" IN ('power', 'collaborator'));

DROP TYPE "PlanId";
DROP TYPE "BillingInterval";
DROP TYPE "Role";
DROP TYPE "SeatType";
