-- The enforcement cache key.
--
-- The app caches each org's terms (plan, anchor, overrides, members' allocations)
-- and sends the computed ceilings with every batch (ledgerline_consume, defined
-- with the alerts it records); config_version tells it when that cache is
-- stale. Any change to those terms bumps the version, so a batch computed from
-- old terms is refused and recomputed, never applied.

ALTER TABLE "orgs" ADD COLUMN "config_version" BIGINT NOT NULL DEFAULT 1;

CREATE FUNCTION ledgerline_bump_org_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.plan, NEW.billing_anchor, NEW.limit_overrides) IS DISTINCT FROM (OLD.plan, OLD.billing_anchor, OLD.limit_overrides) THEN
    NEW.config_version := OLD.config_version + 1;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER orgs_config_version BEFORE UPDATE ON "orgs"
  FOR EACH ROW EXECUTE FUNCTION ledgerline_bump_org_version();

CREATE FUNCTION ledgerline_bump_member_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE orgs SET config_version = config_version + 1 WHERE id = OLD.org_id;
  ELSE
    UPDATE orgs SET config_version = config_version + 1 WHERE id = NEW.org_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER memberships_config_version AFTER INSERT OR UPDATE OR DELETE ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION ledgerline_bump_member_version();
